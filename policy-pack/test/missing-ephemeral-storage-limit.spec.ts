import { missingEphemeralStorageLimit } from "../policies/kubernetes/missing-ephemeral-storage-limit";
import { unknown } from "./harness/analyzer";
import { expectPass, expectViolation } from "./expect";
import { compliantDeployment, compliantPod, mainContainer, podSpec } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace"';

describe("missing-ephemeral-storage-limit", () => {
  it("passes containers and init containers with ephemeral-storage limits", async () => {
    await expectPass(missingEphemeralStorageLimit, compliantDeployment());
    await expectPass(missingEphemeralStorageLimit, compliantPod());
  });

  it("accepts a limit whose value is unknown during preview", async () => {
    await expectPass(
      missingEphemeralStorageLimit,
      mutate(compliantDeployment(), (p) => (mainContainer(p).resources.limits["ephemeral-storage"] = unknown.string)),
    );
  });

  it("fails a container without an ephemeral-storage limit", async () => {
    await expectViolation(
      missingEphemeralStorageLimit,
      mutate(compliantDeployment(), (p) => delete mainContainer(p).resources.limits["ephemeral-storage"]),
      `${WHO} container "dev"`,
      /no ephemeral-storage limit, so it can fill the node's disk.*set resources\.limits\["ephemeral-storage"\]/,
    );
  });

  it("fails an init container without resources at all", async () => {
    await expectViolation(
      missingEphemeralStorageLimit,
      mutate(compliantDeployment(), (p) => delete podSpec(p).initContainers[0].resources),
      `${WHO} init container "init-home"`,
      /no ephemeral-storage limit/,
    );
  });
});
