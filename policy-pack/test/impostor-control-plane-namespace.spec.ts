import { impostorControlPlaneNamespace } from "../policies/kubernetes/impostor-control-plane-namespace";
import { ROLE_CONTROL_PLANE, ROLE_LABEL } from "../contract";
import { K8S } from "../lib/types";
import { expectPass, expectViolation } from "./expect";
import { compliantNamespace, CONTROL_PLANE_NS } from "./fixtures/kubernetes";
import { resource } from "./fixtures/resources";

describe("impostor-control-plane-namespace", () => {
  it("passes coderd's configured namespace and workspace namespaces", async () => {
    await expectPass(impostorControlPlaneNamespace, compliantNamespace(CONTROL_PLANE_NS, ROLE_CONTROL_PLANE));
    await expectPass(impostorControlPlaneNamespace, compliantNamespace());
    await expectPass(impostorControlPlaneNamespace, compliantNamespace("ctl", ROLE_CONTROL_PLANE), {
      config: { "impostor-control-plane-namespace": { coderdNamespace: "ctl" } },
    });
  });

  it("fails another namespace claiming the control plane, as a Namespace or a NamespacePatch", async () => {
    await expectViolation(
      impostorControlPlaneNamespace,
      compliantNamespace("coder-workspaces", ROLE_CONTROL_PLANE),
      'Namespace "coder-workspaces"',
      /claims to be the control plane .* but coderd's namespace is "coder"; remove the label/,
    );
    await expectViolation(
      impostorControlPlaneNamespace,
      resource(K8S.namespacePatch, "p", { metadata: { name: "team-a", labels: { [ROLE_LABEL]: ROLE_CONTROL_PLANE } } }),
      'NamespacePatch "team-a"',
      /claims to be the control plane/,
    );
  });
});
