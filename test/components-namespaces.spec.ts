// The managed namespaces under the engine's mocks, and the Pod Security labels every one of them carries.
import "./harness/mocks";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Namespaces, podSecurityLabels } from "../components/namespaces";
import { publishedBy } from "./harness/component-outputs";
import { capture } from "./harness/mocks";

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

describe("components/namespaces: Namespaces", () => {
  const restricted = (version: string) =>
    podSecurityLabels({ enforce: "restricted", audit: "restricted", warn: "restricted" }, version);

  it("holds coderd's namespace to restricted and each workspace namespace to its configured levels", async () => {
    const names: string[][] = [];
    const resources = await capture(() => {
      const namespaces = new Namespaces("ns", {
        controlPlaneNamespace: "coder",
        workspaceNamespaces: ["ws-a", "ws-b"],
        workspacePodSecurity: { enforce: "baseline", audit: "restricted", warn: "restricted" },
        podSecurityVersion: "v1.33",
      });
      return pulumi.all([namespaces.controlPlaneName, ...namespaces.workspaceNames]).apply((n) => names.push(n));
    });
    const reclaim = { "pulumi.com/patchForce": "true" };
    assert.deepStrictEqual(
      resources.filter((r) => r.custom).map((r) => [r.type, r.name, r.inputs.metadata]),
      [
        [
          "kubernetes:core/v1:Namespace",
          "ns-coder",
          {
            name: "coder",
            annotations: reclaim,
            labels: { "coder-blueprint/role": "control-plane", ...restricted("v1.33") },
          },
        ],
        ...["ws-a", "ws-b"].map((ws) => [
          "kubernetes:core/v1:Namespace",
          `ns-${ws}`,
          {
            name: ws,
            annotations: reclaim,
            labels: {
              "coder-blueprint/role": "workspaces",
              ...podSecurityLabels({ enforce: "baseline", audit: "restricted", warn: "restricted" }, "v1.33"),
            },
          },
        ]),
      ],
    );
    assert.deepStrictEqual(names, [["coder", "ws-a", "ws-b"]]);
    assert.deepStrictEqual(await publishedBy("coder-blueprint:namespaces:Namespaces"), [
      "controlPlane",
      "controlPlaneName",
      "workspaceNames",
      "workspaces",
    ]);
  });
});
