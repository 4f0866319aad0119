import * as assert from "assert";
import { eachRule, eachSubject, RuleView, SubjectView } from "../../lib/rbac";
import { PreviewGaps } from "../../lib/unknowns";

describe("lib/rbac", () => {
  it("eachRule: keeps the string entries of each list; a missing list is empty", () => {
    const seen: RuleView[] = [];
    eachRule({ rules: [{ verbs: ["get", 5, null, "list"], resources: "pods" }] }, new PreviewGaps(), (r) =>
      seen.push(r),
    );
    assert.deepStrictEqual(seen, [{ index: 0, verbs: ["get", "list"], resources: [], apiGroups: [] }]);
  });

  it("eachSubject: missing kind and name read as empty; a namespace only when it is a string", () => {
    const seen: SubjectView[] = [];
    const subjects = [{ kind: "ServiceAccount", name: "coder", namespace: "coder" }, { namespace: 7 }];
    eachSubject({ subjects }, new PreviewGaps(), (s) => seen.push(s));
    assert.deepStrictEqual(seen, [
      { kind: "ServiceAccount", name: "coder", namespace: "coder" },
      { kind: "", name: "", namespace: undefined },
    ]);
  });
});
