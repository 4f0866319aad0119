import { missingDefaultDenyNetworkPolicy } from "../policies/kubernetes/missing-default-deny-network-policy";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { compliantKubernetesStack, networkPolicy, WORKSPACE_NS } from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Namespace "coder-workspaces"';
const isDeny = (r: { type: string; props: any }) =>
  r.type === K8S.networkPolicy &&
  r.props.metadata.name === "default-deny-all" &&
  r.props.metadata.namespace === WORKSPACE_NS;

function withDeny(change: (props: any) => void) {
  return compliantKubernetesStack().map((r) => (isDeny(r) ? mutate(r, change) : r));
}

describe("missing-default-deny-network-policy", () => {
  it("passes when every managed namespace has a default-deny policy", async () => {
    await expectStackPass(missingDefaultDenyNetworkPolicy, compliantKubernetesStack());
  });

  it("ignores namespaces without the role label", async () => {
    await expectStackPass(missingDefaultDenyNetworkPolicy, [
      ...compliantKubernetesStack(),
      resource(K8S.namespace, "monitoring", { metadata: { name: "monitoring" } }),
    ]);
  });

  it("accepts a default-deny policy under another name", async () => {
    await expectStackPass(
      missingDefaultDenyNetworkPolicy,
      withDeny((p) => (p.metadata.name = "deny-everything")),
    );
  });

  it("accepts default-deny split into an Ingress and an Egress policy, policyTypes written or defaulted", async () => {
    const split = (ingress: Record<string, unknown>) => [
      ...compliantKubernetesStack().filter((r) => !isDeny(r)),
      networkPolicy(WORKSPACE_NS, "deny-ingress", ingress),
      networkPolicy(WORKSPACE_NS, "deny-egress", { podSelector: {}, policyTypes: ["Egress"] }),
    ];
    await expectStackPass(missingDefaultDenyNetworkPolicy, split({ podSelector: {}, policyTypes: ["Ingress"] }));
    // Without policyTypes the API server sets Ingress (and Egress only when there are egress rules).
    await expectStackPass(missingDefaultDenyNetworkPolicy, split({ podSelector: {} }));
  });

  it("fails a split whose Egress half is missing, or whose Ingress half allows something", async () => {
    const base = compliantKubernetesStack().filter((r) => !isDeny(r));
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      [...base, networkPolicy(WORKSPACE_NS, "deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] })],
      WHO,
      /without a default-deny NetworkPolicy for Egress/,
    );
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      [
        ...base,
        networkPolicy(WORKSPACE_NS, "deny-ingress", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] }),
        networkPolicy(WORKSPACE_NS, "deny-egress", { podSelector: {}, policyTypes: ["Egress"] }),
      ],
      WHO,
      /without a default-deny NetworkPolicy for Ingress,/,
    );
  });

  it("applies a NetworkPolicyPatch that adds a rule to the default-deny policy", async () => {
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      [
        ...compliantKubernetesStack(),
        resource(K8S.networkPolicyPatch, "open-deny", {
          metadata: { name: "default-deny-all", namespace: WORKSPACE_NS },
          spec: { egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] },
        }),
      ],
      WHO,
      /without a default-deny NetworkPolicy for Egress/,
    );
  });

  it("fails a managed namespace with no default-deny policy", async () => {
    const stack = compliantKubernetesStack().filter((r) => !isDeny(r));
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      stack,
      WHO,
      new RegExp(
        String.raw`managed namespace \(coder-blueprint/role: workspaces\) without a default-deny NetworkPolicy for ` +
          String.raw`Ingress and Egress, so any such flow not explicitly denied is open; add a NetworkPolicy ` +
          String.raw`"default-deny-all" in it with podSelector \{\} and policyTypes \[Ingress, Egress\] and no rules\.$`,
      ),
    );
  });

  it("does not count a policy that only denies ingress", async () => {
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      withDeny((p) => (p.spec.policyTypes = ["Ingress"])),
      WHO,
      /without a default-deny NetworkPolicy/,
    );
  });

  it("does not count a policy that selects only some pods", async () => {
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      withDeny((p) => (p.spec.podSelector = { matchLabels: { app: "ws" } })),
      WHO,
      /without a default-deny/,
    );
  });

  it("does not count a policy that allows something", async () => {
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      withDeny((p) => (p.spec.egress = [{}])),
      WHO,
      /without a default-deny/,
    );
  });

  it("does not count a deny policy in another namespace", async () => {
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      withDeny((p) => (p.metadata.namespace = "default")),
      WHO,
      /without a default-deny/,
    );
  });

  it("still reports a known gap when another namespace's policy is unknown during preview", async () => {
    const stack = compliantKubernetesStack()
      .filter((r) => !isDeny(r))
      .map((r) =>
        r.type === K8S.networkPolicy && r.props.metadata.namespace === "coder"
          ? mutate(r, (p) => (p.spec.policyTypes = unknown.array))
          : r,
      );
    const o = await expectStackPreviewGap(missingDefaultDenyNetworkPolicy, stack, /policyTypes can't be known/);
    const known = o.violations.filter((v) => v.enforcementLevel === "mandatory");
    if (known.length !== 1 || !known[0].detail.startsWith(WHO))
      throw new Error(`expected the known gap in ${WORKSPACE_NS} to stay mandatory`);
  });
});
