// The Role coderd gets in each workspace namespace, and the identities the component registers under the
// engine's mocks: coderd's ServiceAccount, token-less workspace and default ServiceAccounts, and the bindings.
import "./harness/mocks";
import * as assert from "assert";
import { ScopedServiceAccounts, ScopedServiceAccountsArgs, workspaceRules } from "../components/rbac";
import { publishedBy } from "./harness/component-outputs";
import { capture } from "./harness/mocks";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

describe("components/rbac: workspaceRules", () => {
  it("grants the chart's verbs on core pods and PVCs, and on Deployments when templates create them", () => {
    const core = [
      { apiGroups: [""], resources: ["pods"], verbs: VERBS },
      { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: VERBS },
    ];
    assert.deepStrictEqual(workspaceRules(false), core);
    assert.deepStrictEqual(workspaceRules(true), [
      ...core,
      { apiGroups: ["apps"], resources: ["deployments"], verbs: VERBS },
    ]);
  });
});

describe("components/rbac: ScopedServiceAccounts", () => {
  const ARGS: ScopedServiceAccountsArgs = {
    controlPlane: { name: "coder", ref: "coder" },
    workspaces: [
      { name: "ws-a", ref: "ws-a" },
      { name: "ws-b", ref: "ws-b" },
    ],
    coderdServiceAccount: "coderd",
    workspaceServiceAccount: "coder-workspace",
    allowDeployments: true,
    imagePullSecret: "coder-registry-pull",
    coderdAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/coderd" },
  };

  async function registered(args: ScopedServiceAccountsArgs) {
    let coderdName: string | undefined;
    const resources = await capture(() =>
      new ScopedServiceAccounts("rbac", args).coderdName.apply((n) => (coderdName = n)),
    );
    const byName = new Map(resources.filter((r) => r.custom).map((r) => [r.name, r]));
    return { byName, coderdName };
  }

  it("names coderd's ServiceAccount as configured, with its annotations, in the control-plane namespace", async () => {
    const { byName, coderdName } = await registered(ARGS);
    assert.strictEqual(coderdName, "coderd");
    assert.deepStrictEqual(await publishedBy("coder-blueprint:rbac:ScopedServiceAccounts"), ["coderd", "coderdName"]);
    assert.deepStrictEqual(byName.get("rbac-coderd")?.inputs.metadata, {
      name: "coderd",
      namespace: "coder",
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/coderd" },
    });
  });

  it("binds coderd to its Role in each workspace namespace and nowhere else", async () => {
    const { byName } = await registered(ARGS);
    for (const ws of ["ws-a", "ws-b"]) {
      const role = byName.get(`rbac-${ws}-coderd-role`)?.inputs;
      assert.deepStrictEqual(role.metadata, { name: "coder-workspace-perms", namespace: ws });
      assert.deepStrictEqual(role.rules, workspaceRules(true));
      const binding = byName.get(`rbac-${ws}-coderd-binding`)?.inputs;
      assert.deepStrictEqual(binding.metadata, { name: "coder-workspace-perms", namespace: ws });
      assert.deepStrictEqual(binding.roleRef, {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Role",
        name: "coder-workspace-perms",
      });
      assert.deepStrictEqual(binding.subjects, [{ kind: "ServiceAccount", name: "coderd", namespace: "coder" }]);
    }
    assert.ok(!byName.has("rbac-coder-coderd-role"), "coderd gets no Role in its own namespace");
    assert.deepStrictEqual(
      (await registered({ ...ARGS, allowDeployments: false })).byName.get("rbac-ws-a-coderd-role")?.inputs.rules,
      workspaceRules(false),
    );
  });

  it("gives workspace pods a token-less identity that pulls with the Coder-only account", async () => {
    const { byName } = await registered(ARGS);
    for (const ws of ["ws-a", "ws-b"]) {
      const sa = byName.get(`rbac-${ws}-workspace-sa`)?.inputs;
      assert.deepStrictEqual(sa.metadata, { name: "coder-workspace", namespace: ws });
      assert.strictEqual(sa.automountServiceAccountToken, false);
      assert.deepStrictEqual(sa.imagePullSecrets, [{ name: "coder-registry-pull" }]);
    }
    const without = (await registered({ ...ARGS, imagePullSecret: undefined })).byName;
    assert.ok(!("imagePullSecrets" in without.get("rbac-ws-a-workspace-sa")!.inputs));
  });

  it("stops every managed namespace's default ServiceAccount mounting a token; workspace ones pull as Coder", async () => {
    const { byName } = await registered(ARGS);
    const patch = (ns: string) => byName.get(`rbac-${ns}-default-sa`)?.inputs;
    for (const ns of ["coder", "ws-a", "ws-b"]) {
      assert.deepStrictEqual(patch(ns).metadata, {
        name: "default",
        namespace: ns,
        annotations: { "pulumi.com/patchForce": "true" },
      });
      assert.strictEqual(patch(ns).automountServiceAccountToken, false);
    }
    assert.deepStrictEqual(patch("ws-a").imagePullSecrets, [{ name: "coder-registry-pull" }]);
    assert.ok(!("imagePullSecrets" in patch("coder")), "coderd's namespace pulls with its own identity");
    const without = (await registered({ ...ARGS, imagePullSecret: undefined })).byName;
    assert.ok(!("imagePullSecrets" in without.get("rbac-ws-a-default-sa")!.inputs));
  });
});
