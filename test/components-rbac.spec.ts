// The Role coderd gets in each workspace namespace.
import * as assert from "assert";
import { workspaceRules } from "../components/rbac";

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
