import * as assert from "assert";
import { hasRequirements, KnownLabels, namespaceRequirements } from "../../lib/selectors";

const NAME = "kubernetes.io/metadata.name";
const known: KnownLabels = new Map([[NAME, "coder-workspaces"]]);
const verdict = (operator: string, values?: string[]) =>
  namespaceRequirements({ matchExpressions: [{ key: NAME, operator, values }] }).map((r) => r(known));

describe("lib/selectors", () => {
  it("hasRequirements: only a label or an expression narrows a selector", () => {
    assert.ok(!hasRequirements(undefined));
    assert.ok(!hasRequirements({}));
    assert.ok(!hasRequirements({ matchLabels: {}, matchExpressions: [] }));
    assert.ok(hasRequirements({ matchLabels: { team: "a" } }));
    assert.ok(hasRequirements({ matchExpressions: [{ key: "team", operator: "Exists" }] }));
  });

  it("namespaceRequirements: each operator against a label the pack knows", () => {
    assert.deepStrictEqual(verdict("In", ["coder-workspaces"]), [undefined]);
    assert.deepStrictEqual(verdict("NotIn", ["other"]), [undefined]);
    assert.deepStrictEqual(verdict("Exists"), [undefined]);
    assert.deepStrictEqual(verdict("In", ["other"]), [
      `its namespaceSelector requires ${NAME} In [other], which "coder-workspaces" does not meet`,
    ]);
    assert.deepStrictEqual(verdict("NotIn", ["coder-workspaces"]), [
      `its namespaceSelector requires ${NAME} NotIn [coder-workspaces], which "coder-workspaces" does not meet`,
    ]);
    assert.deepStrictEqual(verdict("DoesNotExist"), [
      `its namespaceSelector requires ${NAME} DoesNotExist, which "coder-workspaces" does not meet`,
    ]);
  });
});
