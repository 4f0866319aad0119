import { missingEphemeralStorageLimit } from "../policies/kubernetes/missing-ephemeral-storage-limit";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import {
  CONTROL_PLANE_NS,
  compliantCronJob,
  compliantDeployment,
  compliantPod,
  compliantService,
  limitRange,
  mainContainer,
  podSpec,
  WORKSPACE_NS,
} from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";
import { K8S } from "../lib/types";

const WHO = 'Deployment "coder-workspaces/coder-workspace"';
const withoutLimit = (r = compliantDeployment()) =>
  mutate(r, (p) => delete mainContainer(p).resources.limits["ephemeral-storage"]);

describe("missing-ephemeral-storage-limit", () => {
  it("passes containers and init containers with ephemeral-storage limits", async () => {
    await expectStackPass(missingEphemeralStorageLimit, [compliantDeployment(), compliantPod(), compliantCronJob()]);
  });

  it("accepts a limit whose value is unknown during preview", async () => {
    await expectStackPass(missingEphemeralStorageLimit, [
      mutate(compliantDeployment(), (p) => (mainContainer(p).resources.limits["ephemeral-storage"] = unknown.string)),
    ]);
  });

  it("passes a container without its own limit in a namespace whose LimitRange supplies a default", async () => {
    await expectStackPass(missingEphemeralStorageLimit, [limitRange(WORKSPACE_NS), withoutLimit()]);
    await expectStackPass(missingEphemeralStorageLimit, [
      limitRange(WORKSPACE_NS),
      mutate(compliantPod(), (p) => delete podSpec(p).initContainers[0].resources),
    ]);
  });

  it("fails a container without an ephemeral-storage limit", async () => {
    await expectStackViolation(
      missingEphemeralStorageLimit,
      [withoutLimit()],
      `${WHO} container "dev"`,
      /no ephemeral-storage limit, so it can fill the node's disk.*set resources\.limits\["ephemeral-storage"\]/,
    );
  });

  it("fails an init container without resources at all", async () => {
    await expectStackViolation(
      missingEphemeralStorageLimit,
      [mutate(compliantDeployment(), (p) => delete podSpec(p).initContainers[0].resources)],
      `${WHO} init container "init-home"`,
      /no ephemeral-storage limit/,
    );
  });

  it("fails when the LimitRange is in another namespace, caps only a maximum, or limits only pods", async () => {
    const elsewhere = limitRange(CONTROL_PLANE_NS);
    const maxOnly = mutate(limitRange(WORKSPACE_NS), (p) => delete p.spec.limits[0].default);
    const podOnly = mutate(limitRange(WORKSPACE_NS), (p) => (p.spec.limits[0].type = "Pod"));
    for (const lr of [elsewhere, maxOnly, podOnly]) {
      await expectStackViolation(
        missingEphemeralStorageLimit,
        [lr, withoutLimit()],
        `${WHO} container "dev"`,
        /no ephemeral-storage limit/,
      );
    }
  });

  it("judges the LimitRange with the stack's patches applied: a patch that drops the default is caught", async () => {
    const base = limitRange(WORKSPACE_NS);
    const dropDefault = resource(K8S.limitRangePatch, "limits-patch", {
      metadata: { ...base.props.metadata },
      spec: { limits: [{ type: "Container", max: { "ephemeral-storage": "10Gi" } }] },
    });
    await expectStackViolation(
      missingEphemeralStorageLimit,
      [base, dropDefault, withoutLimit()],
      `${WHO} container "dev"`,
      /no ephemeral-storage limit/,
    );
    // A patch that keeps a default keeps the namespace covered.
    const keepDefault = mutate(dropDefault, (p) => (p.spec.limits[0].default = { "ephemeral-storage": "1Gi" }));
    await expectStackPass(missingEphemeralStorageLimit, [base, keepDefault, withoutLimit()]);
  });

  it("judges a custom resource's pod template like a workload", async () => {
    const rollout = resource("kubernetes:argoproj.io/v1alpha1:Rollout", "rollout", {
      metadata: { name: "web", namespace: CONTROL_PLANE_NS },
      spec: { template: { spec: podSpec(withoutLimit().props) } },
    });
    await expectStackViolation(
      missingEphemeralStorageLimit,
      [rollout],
      'Rollout "coder/web" container "dev"',
      /no ephemeral-storage limit/,
    );
  });

  it("leaves a workload patch alone: it names only what it changes, not the limits the object keeps", async () => {
    const patch = mutate(withoutLimit(), (_p, r) => (r.type = "kubernetes:apps/v1:DeploymentPatch"));
    await expectStackPass(missingEphemeralStorageLimit, [patch]);
  });

  it("does not need the namespace of a resource without a pod spec (unknown during preview)", async () => {
    await expectStackPass(missingEphemeralStorageLimit, [
      compliantDeployment(),
      mutate(compliantService(), (p) => (p.metadata.namespace = unknown.string)),
    ]);
  });

  it("says it could not finish when a container's resources are unknown during preview", async () => {
    await expectStackPreviewGap(
      missingEphemeralStorageLimit,
      [mutate(compliantDeployment(), (p) => (mainContainer(p).resources = unknown.object))],
      /\.containers\.0\.resources can.t be known during preview/,
    );
  });
});
