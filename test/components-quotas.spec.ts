// Workspace quotas and limits: every figure from the per-workspace size and the workspace count, and the
// component that gives each workspace namespace its own pair.
import "./harness/mocks";
import * as assert from "assert";
import { limitsFor, quotaFor, WorkspaceQuotas, WorkspaceSize } from "../components/quotas";
import { publishedBy } from "./harness/component-outputs";
import { capture } from "./harness/mocks";

const SIZE: WorkspaceSize = { cpu: "2", memory: "4Gi", homeDisk: "20Gi", ephemeralStorage: "10Gi" };

describe("components/quotas: quotaFor", () => {
  it("multiplies each per-workspace figure by the workspace count and allows no load balancer or node port", () => {
    assert.deepStrictEqual(quotaFor({ maxWorkspaces: 10, size: SIZE, servicesPerWorkspace: 3 }), {
      "requests.storage": "200Gi",
      persistentvolumeclaims: "10",
      "requests.ephemeral-storage": "100Gi",
      "limits.ephemeral-storage": "100Gi",
      pods: "10",
      services: "30",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
      "requests.cpu": "20",
      "limits.cpu": "20",
      "requests.memory": "40Gi",
      "limits.memory": "40Gi",
    });
  });
});

describe("components/quotas: limitsFor", () => {
  it("caps each container and volume at the workspace size and defaults requests to modest figures", () => {
    assert.deepStrictEqual(limitsFor(SIZE), [
      {
        type: "Container",
        default: { cpu: "2", memory: "4Gi", "ephemeral-storage": "10Gi" },
        defaultRequest: { cpu: "250m", memory: "512Mi", "ephemeral-storage": "1Gi" },
        max: { cpu: "2", memory: "4Gi", "ephemeral-storage": "10Gi" },
      },
      { type: "PersistentVolumeClaim", max: { storage: "20Gi" } },
    ]);
  });

  it("never defaults a request above a size smaller than the modest figure", () => {
    const small = { cpu: "100m", memory: "256Mi", homeDisk: "5Gi", ephemeralStorage: "512Mi" };
    const [container] = limitsFor(small);
    assert.deepStrictEqual(container.defaultRequest, { cpu: "100m", memory: "256Mi", "ephemeral-storage": "512Mi" });
    // Mixed: only the figures below the modest default are lowered.
    const [mixed] = limitsFor({ ...SIZE, cpu: "0.1" });
    assert.deepStrictEqual(mixed.defaultRequest, { cpu: "0.1", memory: "512Mi", "ephemeral-storage": "1Gi" });
  });
});

describe("components/quotas: WorkspaceQuotas", () => {
  it("gives each workspace namespace its own quota and limit range, and publishes the quota", async () => {
    const args = { maxWorkspaces: 4, size: SIZE, servicesPerWorkspace: 2 };
    let hard: Record<string, string> | undefined;
    const resources = await capture(() => {
      const quotas = new WorkspaceQuotas("quotas", {
        ...args,
        namespaces: [
          { name: "ws-a", ref: "ws-a" },
          { name: "ws-b", ref: "ws-b" },
        ],
      });
      hard = quotas.hard;
      return {};
    });
    assert.deepStrictEqual(hard, quotaFor(args));
    assert.deepStrictEqual(await publishedBy("coder-blueprint:quotas:WorkspaceQuotas"), ["hard"]);
    assert.deepStrictEqual(
      resources
        .filter((r) => r.custom)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((r) => [r.type, r.name, r.inputs.metadata, r.inputs.spec]),
      ["ws-a", "ws-b"].flatMap((ns) => [
        [
          "kubernetes:core/v1:LimitRange",
          `quotas-${ns}-limits`,
          { name: "workspace-limits", namespace: ns },
          { limits: limitsFor(SIZE) },
        ],
        [
          "kubernetes:core/v1:ResourceQuota",
          `quotas-${ns}-quota`,
          { name: "workspace-quota", namespace: ns },
          { hard },
        ],
      ]),
    );
  });
});
