import * as assert from "assert";
import { openWorkspaceSshEgress } from "../policies/kubernetes/open-workspace-ssh-egress";
import { K8S } from "../lib/types";
import { mandatory, unknown } from "./harness/analyzer";
import { expectSettingsRefused, expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { compliantKubernetesStack, CONTROL_PLANE_NS, networkPolicy, WORKSPACE_NS } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'NetworkPolicy "coder-workspaces/workspace-egress"';
const isEgress = (r: { type: string; props: any }) =>
  r.type === K8S.networkPolicy && r.props.metadata.name === "workspace-egress";
const GIT_HOST = {
  to: [{ ipBlock: { cidr: "140.82.112.0/20" } }],
  ports: [
    { port: 22, protocol: "TCP" },
    { port: 443, protocol: "TCP" },
  ],
};

function withEgress(change: (props: any) => void) {
  return compliantKubernetesStack().map((r) => (isEgress(r) ? mutate(r, change) : r));
}
/** Rule 1 of the fixture is HTTPS to 0.0.0.0/0 (except the metadata and cluster ranges). */
const withInternetPorts = (ports: unknown[] | undefined) =>
  withEgress((p) => (ports === undefined ? delete p.spec.egress[1].ports : (p.spec.egress[1].ports = ports)));

describe("open-workspace-ssh-egress", () => {
  it("passes HTTPS to anywhere and SSH to the Git hosts' ranges", async () => {
    await expectStackPass(openWorkspaceSshEgress, compliantKubernetesStack());
    await expectStackPass(
      openWorkspaceSshEgress,
      withEgress((p) => p.spec.egress.push(GIT_HOST)),
    );
  });

  it("treats /8 as anywhere and /9 as a range", async () => {
    await expectStackPass(
      openWorkspaceSshEgress,
      withEgress((p) => p.spec.egress.push({ ...GIT_HOST, to: [{ ipBlock: { cidr: "10.0.0.0/9" } }] })),
    );
    await expectStackViolation(
      openWorkspaceSshEgress,
      withEgress((p) => p.spec.egress.push({ ...GIT_HOST, to: [{ ipBlock: { cidr: "10.0.0.0/8" } }] })),
      WHO,
      /egress rule 3 allows SSH \(TCP 22\) from workspaces to ipBlock 10\.0\.0\.0\/8 \(it lists port 22\)/,
    );
  });

  it("fails port 22 to 0.0.0.0/0, naming the policy and the Git hosts' setting", async () => {
    await expectStackViolation(
      openWorkspaceSshEgress,
      withInternetPorts([
        { port: 443, protocol: "TCP" },
        { port: 22, protocol: "TCP" },
      ]),
      WHO,
      /egress rule 1 allows SSH \(TCP 22\) from workspaces to ipBlock 0\.0\.0\.0\/0 \(it lists port 22\), so the Coder-generated key that Git hosts accept without 2FA.*; list the Git hosts' ranges in coder-blueprint:gitProviders\[\]\.egressCidrs and give this rule explicit ports other than 22\./,
    );
  });

  it("fails a broad rule without ports, a covering range, a protocol-wide entry and a numeric string", async () => {
    await expectStackViolation(
      openWorkspaceSshEgress,
      withInternetPorts(undefined),
      WHO,
      /to ipBlock 0\.0\.0\.0\/0 \(it lists no ports, so every port is open\)/,
    );
    await expectStackViolation(openWorkspaceSshEgress, withInternetPorts([]), WHO, /it lists no ports/);
    await expectStackViolation(
      openWorkspaceSshEgress,
      withInternetPorts([{ port: 1, endPort: 1024, protocol: "TCP" }]),
      WHO,
      /\(its port range 1-1024 covers 22\)/,
    );
    await expectStackViolation(
      openWorkspaceSshEgress,
      withInternetPorts([{ protocol: "TCP" }]),
      WHO,
      /\(it opens every TCP port\)/,
    );
    await expectStackViolation(openWorkspaceSshEgress, withInternetPorts([{ port: 22 }]), WHO, /\(it lists port 22\)/);
    await expectStackViolation(
      openWorkspaceSshEgress,
      withInternetPorts([{ port: "22", protocol: "TCP" }]),
      WHO,
      /\(it lists port 22\)/,
    );
  });

  it("passes ranges and protocols that miss TCP 22, and named ports, which resolve only to pods", async () => {
    await expectStackPass(openWorkspaceSshEgress, withInternetPorts([{ port: 23, endPort: 1024, protocol: "TCP" }]));
    await expectStackPass(openWorkspaceSshEgress, withInternetPorts([{ port: 22, protocol: "UDP" }]));
    await expectStackPass(openWorkspaceSshEgress, withInternetPorts([{ protocol: "SCTP" }]));
    await expectStackPass(openWorkspaceSshEgress, withInternetPorts([{ port: "ssh", protocol: "TCP" }]));
  });

  it("fails SSH without destinations and SSH to ::/0", async () => {
    await expectStackViolation(
      openWorkspaceSshEgress,
      withEgress((p) => p.spec.egress.push({ ports: [{ port: 22, protocol: "TCP" }] })),
      WHO,
      /egress rule 3 allows SSH \(TCP 22\) from workspaces to every destination \(the rule has no `to`\)/,
    );
    await expectStackViolation(
      openWorkspaceSshEgress,
      withEgress((p) => (p.spec.egress[2].ports = [{ port: 22 }])),
      WHO,
      /egress rule 2 allows SSH \(TCP 22\) from workspaces to ipBlock ::\/0/,
    );
  });

  it("fails the blueprint's open egress mode, which lists neither ports nor narrow ranges", async () => {
    const open = networkPolicy(WORKSPACE_NS, "workspace-open", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }] }],
    });
    await expectStackViolation(
      openWorkspaceSshEgress,
      [...compliantKubernetesStack(), open],
      'NetworkPolicy "coder-workspaces/workspace-open"',
      /egress rule 0 allows SSH .* to ipBlock 0\.0\.0\.0\/0 \(it lists no ports/,
    );
  });

  it("ignores namespaces that are not workspace namespaces", async () => {
    const coderd = networkPolicy(CONTROL_PLANE_NS, "coderd-egress", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }],
    });
    await expectStackPass(openWorkspaceSshEgress, [...compliantKubernetesStack(), coderd]);
  });

  it("allows open SSH when the policy config says so", async () => {
    await expectStackPass(openWorkspaceSshEgress, withInternetPorts(undefined), {
      config: { "open-workspace-ssh-egress": { allowOpenSshEgress: true } },
    });
  });

  // A string "false" would read as true and switch the check off.
  it("refuses an allowOpenSshEgress that is not a boolean before judging anything", () => {
    expectSettingsRefused(
      openWorkspaceSshEgress,
      { allowOpenSshEgress: "false" },
      /allowOpenSshEgress: Invalid type\. Expected: boolean/,
    );
  });

  it("cannot judge a range computed during preview, and still reports the known rules", async () => {
    const computed = withEgress((p) => {
      p.spec.egress.push({ to: [{ ipBlock: { cidr: unknown.string } }], ports: [{ port: 22 }] });
      p.spec.egress[2].ports = [{ port: 22 }];
    });
    const o = await expectStackPreviewGap(openWorkspaceSshEgress, computed, /can't be known during preview/);
    assert.strictEqual(mandatory(o).length, 1);
    assert.match(
      mandatory(o)[0].detail,
      /^NetworkPolicy "coder-workspaces\/workspace-egress": egress rule 2 allows SSH \(TCP 22\) from workspaces to ipBlock ::\/0/,
    );
  });

  it("reads port strings that are not all digits as names, a hexadecimal-looking one included", async () => {
    await expectStackPass(openWorkspaceSshEgress, withInternetPorts([{ port: "0x16", protocol: "TCP" }]));
  });

  it("judges a range by its bounds: ending at 22 covers it, ending below does not, a negative start still counts", async () => {
    await expectStackViolation(
      openWorkspaceSshEgress,
      withInternetPorts([{ port: 1, endPort: 22, protocol: "TCP" }]),
      WHO,
      /\(its port range 1-22 covers 22\)/,
    );
    await expectStackPass(openWorkspaceSshEgress, withInternetPorts([{ port: 1, endPort: 21, protocol: "TCP" }]));
    await expectStackViolation(
      openWorkspaceSshEgress,
      withInternetPorts([{ port: -1, endPort: 1024, protocol: "TCP" }]),
      WHO,
      /\(its port range -1-1024 covers 22\)/,
    );
  });

  it("names only the ipBlocks of a rule that also lists pod peers, and all of them when several add up", async () => {
    await expectStackViolation(
      openWorkspaceSshEgress,
      withEgress((p) =>
        p.spec.egress.push({
          to: [{ podSelector: { matchLabels: { app: "git-mirror" } } }, { ipBlock: { cidr: "0.0.0.0/0" } }],
          ports: [{ port: 22, protocol: "TCP" }],
        }),
      ),
      WHO,
      /egress rule 3 allows SSH \(TCP 22\) from workspaces to ipBlock 0\.0\.0\.0\/0 \(it lists port 22\)/,
    );
    await expectStackViolation(
      openWorkspaceSshEgress,
      withEgress((p) =>
        p.spec.egress.push({
          to: [{ ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }],
          ports: [{ port: 22, protocol: "TCP" }],
        }),
      ),
      WHO,
      /egress rule 3 allows SSH \(TCP 22\) from workspaces to ipBlocks 0\.0\.0\.0\/1, 128\.0\.0\.0\/1 \(together as wide as a \/8 or wider\) \(it lists port 22\)/,
    );
  });
});
