import { workspaceNamespaceWithoutQuota } from "../policies/kubernetes/workspace-namespace-without-quota";
import { K8S } from "../lib/types";
import { expectStackPass, expectStackViolation } from "./expect";
import { compliantKubernetesStack } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Namespace "coder-workspaces"';

function withQuota(change: (props: any) => void) {
  return compliantKubernetesStack().map((r) => (r.type === K8S.resourceQuota ? mutate(r, change) : r));
}

describe("workspace-namespace-without-quota", () => {
  it("passes a workspace namespace with a full quota and a limit range", async () => {
    await expectStackPass(workspaceNamespaceWithoutQuota, compliantKubernetesStack());
  });

  it("accepts the coverage spread across several quotas and the count/ key forms", async () => {
    const stack = withQuota(
      (p) =>
        (p.spec.hard = {
          "requests.storage": "1Ti",
          "count/persistentvolumeclaims": "10",
          "limits.ephemeral-storage": "100Gi",
        }),
    );
    const second = mutate(
      stack.find((r) => r.type === K8S.resourceQuota)!,
      (p, r) => {
        r.name = "quota-2";
        p.metadata.name = "objects";
        p.spec.hard = { "count/pods": "10", "count/services": "10" };
      },
    );
    await expectStackPass(workspaceNamespaceWithoutQuota, [...stack, second]);
  });

  it("fails a workspace namespace without any quota", async () => {
    const stack = compliantKubernetesStack().filter((r) => r.type !== K8S.resourceQuota);
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      stack,
      WHO,
      /no ResourceQuota limiting PVC storage, PVC count, ephemeral storage, pod count \(pod IPs\), service count \(service IPs\).*add an unscoped ResourceQuota with spec\.hard requests\.storage/,
    );
  });

  for (const [key, concern] of [
    ["requests.storage", "PVC storage"],
    ["persistentvolumeclaims", "PVC count"],
    ["pods", "pod count"],
    ["services", "service count"],
  ]) {
    it(`fails a quota without ${key}`, async () => {
      await expectStackViolation(
        workspaceNamespaceWithoutQuota,
        withQuota((p) => delete p.spec.hard[key]),
        WHO,
        new RegExp(`limiting ${concern.replace(/[()]/g, "\\$&")}.*spec\\.hard ${key.replace(".", "\\.")}`),
      );
    });
  }

  it("fails a quota without any ephemeral-storage key", async () => {
    const stack = withQuota((p) => {
      delete p.spec.hard["requests.ephemeral-storage"];
      delete p.spec.hard["limits.ephemeral-storage"];
    });
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      stack,
      WHO,
      /limiting ephemeral storage, .*add an unscoped ResourceQuota with spec\.hard requests\.ephemeral-storage/,
    );
  });

  it("does not count a scoped quota", async () => {
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withQuota((p) => (p.spec.scopes = ["BestEffort"])),
      WHO,
      /no ResourceQuota limiting PVC storage/,
    );
  });

  it("fails a workspace namespace without a LimitRange", async () => {
    const stack = compliantKubernetesStack().filter((r) => r.type !== K8S.limitRange);
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      stack,
      WHO,
      /has no LimitRange.*add a LimitRange with Container defaults and max for ephemeral-storage/,
    );
  });
});
