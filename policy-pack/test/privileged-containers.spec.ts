import { privilegedContainers } from "../policies/kubernetes/privileged-containers";
import { expectNotApplicable, expectPass, expectViolation } from "./expect";
import {
  compliantPodSpec,
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

  // Custom resources become pods too: their pod templates are found wherever they sit under spec.
  for (const [type, place] of [
    ["kubernetes:argoproj.io/v1alpha1:Rollout", (spec: any) => ({ template: { spec } })],
    ["kubernetes:keda.sh/v1alpha1:ScaledJob", (spec: any) => ({ jobTargetRef: { template: { spec } } })],
    ["kubernetes:example.com/v1:Runner", (spec: any) => ({ pods: [{ name: "a", podSpec: spec }] })],
  ] as const) {
    it(`fails a privileged container in a custom resource's pod template (${type})`, async () => {
      const spec = compliantPodSpec();
      spec.containers[0].securityContext.privileged = true;
      const cr = resource(type, "cr", { metadata: { name: "runner", namespace: "coder" }, spec: place(spec) });
      await expectViolation(
        privilegedContainers,
        cr,
        `${type.split(":")[2]} "coder/runner" container "dev"`,
        /runs privileged/,
      );
    });
  }

  it("passes a custom resource without a pod template, and one whose template is compliant", async () => {
    await expectNotApplicable(
      privilegedContainers,
      resource("kubernetes:cert-manager.io/v1:Certificate", "c", {
        metadata: { name: "c" },
        spec: { secretName: "x" },
      }),
      /carrying a pod template/,
    );
    await expectPass(
      privilegedContainers,
      resource("kubernetes:argoproj.io/v1alpha1:Rollout", "r", {
        metadata: { name: "r" },
        spec: { template: { spec: compliantPodSpec() } },
      }),
    );
  });

  it("does not apply to non-workloads", async () => {
    await expectNotApplicable(
      privilegedContainers,
      resource("kubernetes:core/v1:Service", "svc", { metadata: { name: "s" } }),
      /Pod/,
    );
  });

  it("passes a container without a securityContext", async () => {
    await expectPass(
      privilegedContainers,
      mutate(compliantDeployment(), (p) => delete mainContainer(p).securityContext),
    );
  });
});
