import { unlabelledWorkspaceNamespace } from "../policies/kubernetes/unlabelled-workspace-namespace";
import * as assert from "assert";
import { ROLE_LABEL } from "../contract";
import { runStackPolicy, unknown } from "./harness/analyzer";
import { K8S } from "../lib/types";
import { expectStackPass, expectStackPreviewGap, expectStackViolation, show } from "./expect";
import {
  compliantKubernetesStack,
  compliantNamespace,
  compliantRole,
  compliantRoleBinding,
  WORKSPACE_NS,
} from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const SETTINGS = { config: { "unlabelled-workspace-namespace": { workspaceNamespaces: [WORKSPACE_NS] } } };
const unlabelled = (name = WORKSPACE_NS) =>
  mutate(compliantNamespace(name), (p) => delete p.metadata.labels[ROLE_LABEL]);

describe("unlabelled-workspace-namespace", () => {
  it("passes the blueprint's labelled workspace namespace, named in the settings, with coderd's Role", async () => {
    await expectStackPass(
      unlabelledWorkspaceNamespace,
      [...compliantKubernetesStack(), compliantRole(), compliantRoleBinding()],
      SETTINGS,
    );
  });

  it("fails a configured workspace namespace whose role label was dropped or changed", async () => {
    await expectStackViolation(
      unlabelledWorkspaceNamespace,
      [unlabelled()],
      `Namespace "${WORKSPACE_NS}"`,
      /is a workspace namespace \(pack settings\) but is not registered with coder-blueprint\/role: workspaces/,
      SETTINGS,
    );
    await expectStackViolation(
      unlabelledWorkspaceNamespace,
      [mutate(compliantNamespace(), (p) => (p.metadata.labels[ROLE_LABEL] = "tools"))],
      `Namespace "${WORKSPACE_NS}"`,
      /pack settings/,
      SETTINGS,
    );
  });

  it("fails a configured workspace namespace the stack deploys into without registering it", async () => {
    // A stack that touches nothing there (the AWS layer alone) passes; one that deploys into it does not.
    await expectStackPass(unlabelledWorkspaceNamespace, [], SETTINGS);
    const service = resource(K8S.service, "svc", {
      metadata: { name: "dev-url", namespace: WORKSPACE_NS },
      spec: { type: "ClusterIP", ports: [{ port: 80 }] },
    });
    const o = await runStackPolicy(unlabelledWorkspaceNamespace, [service], SETTINGS);
    assert.deepStrictEqual(
      o.violations.map((v) => v.detail.slice(0, v.detail.indexOf(";"))),
      [
        `Namespace "${WORKSPACE_NS}": is a workspace namespace (pack settings) but is not registered with ` +
          "coder-blueprint/role: workspaces, so no workspace guard applies to it",
      ],
    );
  });

  it("counts only Kubernetes objects as deploying there, and reads those without metadata too", async () => {
    // Another provider's resource that names the namespace deploys nothing into it.
    const other = resource("example:index:Workload", "other", { metadata: { namespace: WORKSPACE_NS } });
    await expectStackPass(unlabelledWorkspaceNamespace, [other], SETTINGS);
    // A Helm release carries its namespace outside metadata; the service still counts.
    const release = resource(K8S.helmReleaseV3, "coder", { chart: "coder", namespace: "coder" });
    const service = resource(K8S.service, "svc", {
      metadata: { name: "dev-url", namespace: WORKSPACE_NS },
      spec: { type: "ClusterIP", ports: [{ port: 80 }] },
    });
    // A YAML component carries no metadata of its own.
    const manifests = resource("kubernetes:yaml/v2:ConfigGroup", "manifests", { files: ["./manifests/*.yaml"] });
    const o = await runStackPolicy(unlabelledWorkspaceNamespace, [release, manifests, service], SETTINGS);
    assert.deepStrictEqual(
      o.violations.map((v) => v.detail.slice(0, v.detail.indexOf(" ("))),
      [`Namespace "${WORKSPACE_NS}": is a workspace namespace`],
    );
  });

  it("counts a Helm release or chart installed into a configured namespace as deploying there", async () => {
    for (const type of [K8S.helmReleaseV3, K8S.helmChartV3, K8S.helmChartV4]) {
      const release = resource(type, "tools", { chart: "tools", namespace: WORKSPACE_NS });
      const o = await runStackPolicy(unlabelledWorkspaceNamespace, [release], SETTINGS);
      assert.deepStrictEqual(
        o.violations.map((v) => v.detail.slice(0, v.detail.indexOf(" ("))),
        [`Namespace "${WORKSPACE_NS}": is a workspace namespace`],
        type,
      );
    }
  });

  it("still reports a known unlabelled namespace when another object's namespace is unknown during preview", async () => {
    const pending = resource(K8S.service, "pending", {
      metadata: { name: "pending", namespace: unknown.string },
      spec: { type: "ClusterIP", ports: [{ port: 80 }] },
    });
    const o = await expectStackPreviewGap(
      unlabelledWorkspaceNamespace,
      [pending, unlabelled()],
      /namespace can't be known/,
      SETTINGS,
    );
    const known = o.violations.filter((v) => v.enforcementLevel === "mandatory");
    assert.ok(known.length === 1 && known[0].detail.startsWith(`Namespace "${WORKSPACE_NS}"`), show(o));
  });

  it("names every reason a namespace holds workspaces, and how to register it", async () => {
    await expectStackViolation(
      unlabelledWorkspaceNamespace,
      [unlabelled(), compliantRole(), compliantRoleBinding()],
      `Namespace "${WORKSPACE_NS}"`,
      new RegExp(
        String.raw`is a workspace namespace \(pack settings, coderd can create pods there\) but is not registered ` +
          String.raw`with coder-blueprint/role: workspaces, so no workspace guard applies to it; create it through ` +
          String.raw`workspaces\.namespaces, or remove coderd's permission to create pods there\.$`,
      ),
      SETTINGS,
    );
  });

  it("fails a namespace where coderd can create pods, however the role is reached", async () => {
    // Its own Role, a built-in role, and a ClusterRole bound by a RoleBinding.
    const viaEdit = mutate(compliantRoleBinding("team-a"), (p) => (p.roleRef = { kind: "ClusterRole", name: "edit" }));
    const podMaker = resource(K8S.clusterRole, "cr", {
      metadata: { name: "pod-maker" },
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["create"] }],
    });
    const viaClusterRole = mutate(
      compliantRoleBinding("team-a"),
      (p) => (p.roleRef = { kind: "ClusterRole", name: "pod-maker" }),
    );
    for (const stack of [
      [unlabelled("team-a"), compliantRole("team-a"), compliantRoleBinding("team-a")],
      [viaEdit],
      [podMaker, viaClusterRole],
    ]) {
      await expectStackViolation(
        unlabelledWorkspaceNamespace,
        stack,
        'Namespace "team-a"',
        /\(coderd can create pods there\)/,
      );
    }
  });

  it("passes a namespace where coderd may only read pods", async () => {
    const reader = mutate(
      compliantRole("team-a"),
      (p) => (p.rules = [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]),
    );
    await expectStackPass(unlabelledWorkspaceNamespace, [unlabelled("team-a"), reader, compliantRoleBinding("team-a")]);
  });
});
