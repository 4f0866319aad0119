// The schema's bounds and required-value messages: each bound holds at its edge, and each refusal names
// the setting and its fix in the operator's words.
import * as assert from "assert";
import { accepted, assertRefused } from "./harness/stacks";

describe("config schema bounds", () => {
  it("asks for the kubeconfig path and context of an existing cluster when they are empty", () => {
    assertRefused(
      "local",
      (raw) => (raw.cluster.kubeconfig = ""),
      "cluster.kubeconfig",
      /give the path of the kubeconfig file for this cluster/,
    );
    assertRefused(
      "local",
      (raw) => (raw.cluster.context = ""),
      "cluster.context",
      /name the kubeconfig context of the cluster to deploy into/,
    );
  });

  it("needs at least one workspace per namespace", () => {
    assertRefused(
      "local",
      (raw) => (raw.workspaces.maxWorkspaces = 0),
      "workspaces.maxWorkspaces",
      /must be at least 1/,
    );
    assert.strictEqual(accepted("local", (raw) => (raw.workspaces.maxWorkspaces = 1)).workspaces.maxWorkspaces, 1);
  });

  it("takes 0 to 20 services per workspace, both ends included", () => {
    for (const n of [0, 20]) {
      assert.strictEqual(
        accepted("local", (raw) => (raw.workspaces.servicesPerWorkspace = n)).workspaces.servicesPerWorkspace,
        n,
      );
    }
    for (const n of [-1, 21]) {
      assertRefused(
        "local",
        (raw) => (raw.workspaces.servicesPerWorkspace = n),
        "workspaces.servicesPerWorkspace",
        /./,
      );
    }
  });

  it("asks for the cluster's service range when none is listed", () => {
    assertRefused(
      "local",
      (raw) => (raw.network.serviceCidrs = []),
      "network.serviceCidrs",
      /list the cluster's service address range \(kind: 10\.96\.0\.0\/12, EKS: 172\.20\.0\.0\/16 or 10\.100\.0\.0\/16\)/,
    );
  });

  it("takes several API server ports", () => {
    const cfg = accepted("local", (raw) => (raw.network.kubernetesApi.ports = [443, 6443]));
    assert.deepStrictEqual(cfg.network.kubernetesApi.ports, [443, 6443]);
  });
});
