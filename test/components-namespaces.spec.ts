// The Pod Security labels every managed namespace carries.
import * as assert from "assert";
import { podSecurityLabels } from "../components/namespaces";

describe("components/namespaces: podSecurityLabels", () => {
  it("sets each mode's level and pins each mode to the configured Pod Security Standards version", () => {
    assert.deepStrictEqual(
      podSecurityLabels({ enforce: "baseline", audit: "restricted", warn: "restricted" }, "v1.31"),
      {
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/enforce-version": "v1.31",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "v1.31",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "v1.31",
      },
    );
  });
});
