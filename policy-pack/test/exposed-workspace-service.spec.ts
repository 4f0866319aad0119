import { exposedWorkspaceService } from "../policies/kubernetes/exposed-workspace-service";
import { K8S } from "../lib/types";
import { expectStackPass, expectStackViolation } from "./expect";
import { compliantKubernetesStack } from "./fixtures/kubernetes";
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
});
