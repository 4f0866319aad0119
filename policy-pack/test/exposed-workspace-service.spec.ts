import { exposedWorkspaceService } from "../policies/kubernetes/exposed-workspace-service";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { compliantKubernetesStack, compliantRole, compliantRoleBinding } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Service "coder-workspaces/dev-url"';
const isDevUrl = (r: { type: string; props: any }) => r.type === K8S.service && r.props.metadata.name === "dev-url";
const withDevUrl = (change: (p: any) => void) =>
  compliantKubernetesStack().map((r) => (isDevUrl(r) ? mutate(r, change) : r));

describe("exposed-workspace-service", () => {
  it("passes ClusterIP services in workspace namespaces and a LoadBalancer in the control plane", async () => {
    await expectStackPass(exposedWorkspaceService, compliantKubernetesStack());
  });

  for (const type of ["LoadBalancer", "NodePort"]) {
    it(`fails a ${type} service in a workspace namespace`, async () => {
      await expectStackViolation(
        exposedWorkspaceService,
        withDevUrl((p) => (p.spec.type = type)),
        WHO,
        new RegExp(
          `is of type ${type} in workspace namespace "coder-workspaces", which bypasses coderd's authentication; use type ClusterIP`,
        ),
      );
    });
  }

  it("fails externalIPs in a workspace namespace", async () => {
    await expectStackViolation(
      exposedWorkspaceService,
      withDevUrl((p) => (p.spec.externalIPs = ["203.0.113.10"])),
      WHO,
      /sets externalIPs.*remove spec\.externalIPs/,
    );
  });

  it("judges a workspace namespace the role label no longer names: from the pack settings or coderd's reach", async () => {
    const stripLabel = (r: { type: string; props: any }) =>
      r.type === K8S.namespace && r.props.metadata.name === "coder-workspaces"
        ? mutate(r as any, (p) => delete p.metadata.labels["coder-blueprint/role"])
        : r;
    const unlabelled = withDevUrl((p) => (p.spec.type = "LoadBalancer")).map(stripLabel);
    await expectStackPass(exposedWorkspaceService, unlabelled);
    await expectStackViolation(exposedWorkspaceService, unlabelled, WHO, /in workspace namespace "coder-workspaces"/, {
      config: { "exposed-workspace-service": { workspaceNamespaces: ["coder-workspaces"] } },
    });
    await expectStackViolation(
      exposedWorkspaceService,
      [...unlabelled, compliantRole(), compliantRoleBinding()],
      WHO,
      /is of type LoadBalancer in workspace namespace "coder-workspaces"/,
    );
  });

  it("says it could not finish when a workspace Service's type is unknown during preview", async () => {
    await expectStackPreviewGap(
      exposedWorkspaceService,
      withDevUrl((p) => (p.spec.type = unknown.string)),
      /string value at \.spec\.type can.t be known during preview/,
    );
  });
});
