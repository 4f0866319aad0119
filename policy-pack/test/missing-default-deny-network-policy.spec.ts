import { missingDefaultDenyNetworkPolicy } from "../policies/kubernetes/missing-default-deny-network-policy";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { compliantKubernetesStack, WORKSPACE_NS } from "./fixtures/kubernetes";
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

  it("fails a managed namespace with no default-deny policy", async () => {
    const stack = compliantKubernetesStack().filter((r) => !isDeny(r));
    await expectStackViolation(
      missingDefaultDenyNetworkPolicy,
      stack,
      WHO,
      /managed namespace \(coder-blueprint\/role: workspaces\) without a default-deny NetworkPolicy.*add a NetworkPolicy "default-deny-all" in it with podSelector \{\} and policyTypes \[Ingress, Egress\]/,
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
