import { rootContainers } from "../policies/kubernetes/root-containers";
import { expectPass, expectViolation } from "./expect";
import { compliantDeployment, compliantPod, K8S_WORKLOADS, mainContainer, podSpec } from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace"';

describe("root-containers", () => {
  it("passes runAsNonRoot at pod level", async () => {
    await expectPass(rootContainers, compliantDeployment());
  });

  it("passes runAsNonRoot set on every container instead of the pod", async () => {
    const perContainer = mutate(compliantPod(), (p) => {
      delete p.spec.securityContext.runAsNonRoot;
      for (const c of [...p.spec.containers, ...p.spec.initContainers]) c.securityContext.runAsNonRoot = true;
    });
    await expectPass(rootContainers, perContainer);
  });

  it("fails when runAsNonRoot is set nowhere", async () => {
    await expectViolation(
      rootContainers,
      mutate(compliantDeployment(), (p) => delete podSpec(p).securityContext.runAsNonRoot),
      `${WHO} container "dev"`,
      /may run as root \(runAsNonRoot is not set\); set securityContext\.runAsNonRoot: true/,
    );
  });

  it("fails a container that overrides runAsNonRoot to false", async () => {
    await expectViolation(
      rootContainers,
      mutate(compliantDeployment(), (p) => (mainContainer(p).securityContext.runAsNonRoot = false)),
      `${WHO} container "dev"`,
      /runAsNonRoot is false/,
    );
  });

  it("fails runAsUser 0 on the pod or a container", async () => {
    await expectViolation(
      rootContainers,
      mutate(compliantDeployment(), (p) => (podSpec(p).securityContext.runAsUser = 0)),
      WHO,
      /pod securityContext\.runAsUser is 0 \(root\); set a non-zero UID/,
    );
    await expectViolation(
      rootContainers,
      mutate(compliantDeployment(), (p) => (mainContainer(p).securityContext.runAsUser = 0)),
      `${WHO} container "dev"`,
      /runAsUser is 0 \(root\)/,
    );
  });

  it("judges a patch only on what it sets", async () => {
    const patch = (sc: object) =>
      resource(K8S_WORKLOADS.deploymentPatch, "p", {
        metadata: { name: "coderd", namespace: "coder" },
        spec: { template: { spec: { containers: [{ name: "coder", securityContext: sc }] } } },
      });
    await expectPass(rootContainers, patch({ readOnlyRootFilesystem: true }));
    await expectViolation(
      rootContainers,
      patch({ runAsUser: 0 }),
      'DeploymentPatch "coder/coderd" container "coder"',
      /runAsUser is 0/,
    );
  });

  it("fails a patch that sets runAsNonRoot: false on a container", async () => {
    const patch = resource(K8S_WORKLOADS.deploymentPatch, "p", {
      metadata: { name: "coderd", namespace: "coder" },
      spec: { template: { spec: { containers: [{ name: "coder", securityContext: { runAsNonRoot: false } }] } } },
    });
    await expectViolation(
      rootContainers,
      patch,
      'DeploymentPatch "coder/coderd" container "coder"',
      /may run as root \(runAsNonRoot is false\); set securityContext\.runAsNonRoot: true/,
    );
  });
});
