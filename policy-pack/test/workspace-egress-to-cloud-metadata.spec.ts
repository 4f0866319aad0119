import * as assert from "assert";
import { workspaceEgressToCloudMetadata } from "../policies/kubernetes/workspace-egress-to-cloud-metadata";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { compliantKubernetesStack, CONTROL_PLANE_NS, networkPolicy, WORKSPACE_NS } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'NetworkPolicy "coder-workspaces/workspace-egress"';
const isEgress = (r: { type: string; props: any }) =>
  r.type === K8S.networkPolicy && r.props.metadata.name === "workspace-egress";

function withEgress(change: (props: any) => void) {
  return compliantKubernetesStack().map((r) => (isEgress(r) ? mutate(r, change) : r));
}

describe("workspace-egress-to-cloud-metadata", () => {
  it("passes egress rules whose ipBlocks except the metadata addresses", async () => {
    await expectStackPass(workspaceEgressToCloudMetadata, compliantKubernetesStack());
  });

  it("passes an ipBlock that does not cover the metadata address", async () => {
    await expectStackPass(
      workspaceEgressToCloudMetadata,
      withEgress((p) => (p.spec.egress[1].to = [{ ipBlock: { cidr: "10.50.0.0/16" } }])),
    );
  });

  it("ignores namespaces that are not workspace namespaces", async () => {
    const open = networkPolicy(CONTROL_PLANE_NS, "coderd-egress", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }],
    });
    await expectStackPass(workspaceEgressToCloudMetadata, [...compliantKubernetesStack(), open]);
  });

  it("fails an ipBlock covering 169.254.169.254 without an except", async () => {
    await expectStackViolation(
      workspaceEgressToCloudMetadata,
      withEgress((p) => delete p.spec.egress[1].to[0].ipBlock.except),
      WHO,
      /egress rule 1 lets workspace pods reach the cloud metadata service \(ipBlock 0\.0\.0\.0\/0 covers 169\.254\.169\.254.*add 169\.254\.169\.254\/32 and fd00:ec2::254\/128 to the ipBlock's except list/,
    );
  });

  it("fails an except list that misses the metadata address", async () => {
    await expectStackViolation(
      workspaceEgressToCloudMetadata,
      withEgress((p) => (p.spec.egress[1].to[0].ipBlock.except = ["10.0.0.0/8"])),
      WHO,
      /covers 169\.254\.169\.254/,
    );
  });

  it("fails a link-local block and the IPv6 metadata address", async () => {
    await expectStackViolation(
      workspaceEgressToCloudMetadata,
      withEgress((p) => (p.spec.egress[1].to[0].ipBlock = { cidr: "169.254.0.0/16" })),
      WHO,
      /ipBlock 169\.254\.0\.0\/16 covers/,
    );
    await expectStackViolation(
      workspaceEgressToCloudMetadata,
      withEgress((p) => (p.spec.egress[2].to[0].ipBlock.except = [])),
      WHO,
      /egress rule 2 .*covers fd00:ec2::254/,
    );
  });

  it("fails an egress rule without destinations, which allows everything", async () => {
    await expectStackViolation(
      workspaceEgressToCloudMetadata,
      withEgress((p) => delete p.spec.egress[1].to),
      WHO,
      /without `to` allows every destination/,
    );
  });

  it("judges a second program's policy in the workspace namespace too", async () => {
    const extra = networkPolicy(WORKSPACE_NS, "debug", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "169.254.169.254/32" } }] }],
    });
    await expectStackViolation(
      workspaceEgressToCloudMetadata,
      [...compliantKubernetesStack(), extra],
      'NetworkPolicy "coder-workspaces/debug"',
      /covers 169\.254\.169\.254/,
    );
  });

  it("names both metadata ranges and both fixes in the message", async () => {
    const v = await expectStackViolation(
      workspaceEgressToCloudMetadata,
      withEgress((p) => delete p.spec.egress[1].to[0].ipBlock.except),
      WHO,
      /egress rule 1/,
    );
    assert.strictEqual(
      v.detail,
      `${WHO}: egress rule 1 lets workspace pods reach the cloud metadata service (ipBlock 0.0.0.0/0 covers ` +
        "169.254.169.254 and its except list does not exclude it); add 169.254.169.254/32 and fd00:ec2::254/128 " +
        "to the ipBlock's except list, or narrow the rule's destinations.",
    );
  });

  it("says it could not finish when a workspace egress rule's destinations are unknown during preview", async () => {
    await expectStackPreviewGap(
      workspaceEgressToCloudMetadata,
      withEgress((p) => (p.spec.egress[1].to = unknown.array)),
      /egress\.1\.to can.t be known during preview/,
    );
  });

  it("skips an ipBlock without a CIDR (the API server rejects it), not waiting for its except list", async () => {
    await expectStackPass(
      workspaceEgressToCloudMetadata,
      withEgress((p) => (p.spec.egress[1].to[0].ipBlock = { except: unknown.array })),
    );
  });
});
