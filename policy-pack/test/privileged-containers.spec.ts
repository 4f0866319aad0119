import { privilegedContainers } from "../policies/kubernetes/privileged-containers";
import { expectNotApplicable, expectPass, expectViolation } from "./expect";
import {
  compliantCronJob,
  compliantDeployment,
  compliantPod,
  K8S_WORKLOADS,
  mainContainer,
  podSpec,
} from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

describe("privileged-containers", () => {
  it("passes unprivileged workloads of every kind", async () => {
    for (const w of [compliantDeployment(), compliantPod(), compliantCronJob()])
      await expectPass(privilegedContainers, w);
  });

  it("fails a privileged container in a Deployment", async () => {
    await expectViolation(
      privilegedContainers,
      mutate(compliantDeployment(), (p) => (mainContainer(p).securityContext.privileged = true)),
      'Deployment "coder-workspaces/coder-workspace" container "dev"',
      /runs privileged.*remove securityContext\.privileged/,
    );
  });

  it("fails a privileged init container in a CronJob's pod template", async () => {
    await expectViolation(
      privilegedContainers,
      mutate(compliantCronJob(), (p) => (podSpec(p).initContainers[0].securityContext.privileged = true)),
      'CronJob "coder/cleanup" init container "init-home"',
      /runs privileged/,
    );
  });

  it("fails a patch that makes a container privileged", async () => {
    const patch = resource(K8S_WORKLOADS.deploymentPatch, "patch", {
      metadata: { name: "coderd", namespace: "coder" },
      spec: { template: { spec: { containers: [{ name: "coder", securityContext: { privileged: true } }] } } },
    });
    await expectViolation(
      privilegedContainers,
      patch,
      'DeploymentPatch "coder/coderd" container "coder"',
      /runs privileged/,
    );
  });

  it("does not apply to non-workloads", async () => {
    await expectNotApplicable(
      privilegedContainers,
      resource("kubernetes:core/v1:Service", "svc", { metadata: { name: "s" } }),
      /Pod/,
    );
  });
});
