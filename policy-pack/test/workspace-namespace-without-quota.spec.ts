import { workspaceNamespaceWithoutQuota } from "../policies/kubernetes/workspace-namespace-without-quota";
import { K8S } from "../lib/types";
import * as assert from "assert";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation, show } from "./expect";
import { compliantKubernetesStack, quota } from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Namespace "coder-workspaces"';

function withQuota(change: (props: any) => void) {
  return compliantKubernetesStack().map((r) => (r.type === K8S.resourceQuota ? mutate(r, change) : r));
}

describe("workspace-namespace-without-quota", () => {
  it("passes a workspace namespace with a full quota and a limit range", async () => {
    await expectStackPass(workspaceNamespaceWithoutQuota, compliantKubernetesStack());
  });

  it("accepts the coverage spread across several quotas and the count/ key forms", async () => {
    const stack = withQuota(
      (p) =>
        (p.spec.hard = {
          "requests.storage": "1Ti",
          "count/persistentvolumeclaims": "10",
          "limits.ephemeral-storage": "100Gi",
        }),
    );
    const second = mutate(
      stack.find((r) => r.type === K8S.resourceQuota)!,
      (p, r) => {
        r.name = "quota-2";
        p.metadata.name = "objects";
        p.spec.hard = { "count/pods": "10", "count/services": "10" };
      },
    );
    await expectStackPass(workspaceNamespaceWithoutQuota, [...stack, second]);
  });

  it("fails a workspace namespace without any quota", async () => {
    const stack = compliantKubernetesStack().filter((r) => r.type !== K8S.resourceQuota);
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      stack,
      WHO,
      new RegExp(
        String.raw`no ResourceQuota limiting PVC storage, PVC count, ephemeral storage, pod count \(pod IPs\), ` +
          String.raw`service count \(service IPs\), so one tenant can exhaust them for all; add an unscoped ResourceQuota ` +
          String.raw`with spec\.hard requests\.storage, persistentvolumeclaims, requests\.ephemeral-storage, pods, services\.$`,
      ),
    );
  });

  for (const [key, concern] of [
    ["requests.storage", "PVC storage"],
    ["persistentvolumeclaims", "PVC count"],
    ["pods", "pod count"],
    ["services", "service count"],
  ]) {
    it(`fails a quota without ${key}`, async () => {
      await expectStackViolation(
        workspaceNamespaceWithoutQuota,
        withQuota((p) => delete p.spec.hard[key]),
        WHO,
        new RegExp(`limiting ${concern.replace(/[()]/g, "\\$&")}.*spec\\.hard ${key.replace(".", "\\.")}`),
      );
    });
  }

  // The API server caps a concern under any of these keys, so each one alone covers it.
  for (const [spelling, concern] of [
    ["requests.storage", ["requests.storage"]],
    ["persistentvolumeclaims", ["persistentvolumeclaims"]],
    ["count/persistentvolumeclaims", ["persistentvolumeclaims"]],
    ["requests.ephemeral-storage", ["requests.ephemeral-storage", "limits.ephemeral-storage"]],
    ["limits.ephemeral-storage", ["requests.ephemeral-storage", "limits.ephemeral-storage"]],
    ["ephemeral-storage", ["requests.ephemeral-storage", "limits.ephemeral-storage"]],
    ["pods", ["pods"]],
    ["count/pods", ["pods"]],
    ["services", ["services"]],
    ["count/services", ["services"]],
  ] as const) {
    it(`accepts ${spelling} as the quota's only key for its concern`, async () => {
      await expectStackPass(
        workspaceNamespaceWithoutQuota,
        withQuota((p) => {
          for (const key of concern) delete p.spec.hard[key];
          p.spec.hard[spelling] = "10";
        }),
      );
    });
  }

  it("fails a quota without any ephemeral-storage key", async () => {
    const stack = withQuota((p) => {
      delete p.spec.hard["requests.ephemeral-storage"];
      delete p.spec.hard["limits.ephemeral-storage"];
    });
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      stack,
      WHO,
      /limiting ephemeral storage, .*add an unscoped ResourceQuota with spec\.hard requests\.ephemeral-storage/,
    );
  });

  it("does not count a scoped quota", async () => {
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withQuota((p) => (p.spec.scopes = ["BestEffort"])),
      WHO,
      /no ResourceQuota limiting PVC storage/,
    );
  });

  it("fails a workspace namespace without a LimitRange", async () => {
    const stack = compliantKubernetesStack().filter((r) => r.type !== K8S.limitRange);
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      stack,
      WHO,
      new RegExp(
        String.raw`has no LimitRange, so pods without limits are either rejected by the quota or unbounded; add a ` +
          String.raw`LimitRange with Container defaults and max for ephemeral-storage and a PersistentVolumeClaim max ` +
          String.raw`storage\.$`,
      ),
    );
  });
});

describe("workspace-namespace-without-quota: figures against the stack's settings", () => {
  const SETTINGS = {
    config: {
      "workspace-namespace-without-quota": {
        // The compliant fixture's own figures: the settings and the quota it is judged against agree.
        hard: { ...quota().props.spec.hard },
        containerMax: { "ephemeral-storage": "10Gi" },
        volumeMax: "20Gi",
      },
    },
  };
  /** A second quota in the workspace namespace with the given figures. */
  const second = (hard: Record<string, unknown>) =>
    mutate(quota(), (p, r) => {
      r.name = "second";
      p.metadata.name = "second";
      p.spec.hard = hard;
    });
  const withLimits = (change: (props: any) => void) =>
    compliantKubernetesStack().map((r) => (r.type === K8S.limitRange ? mutate(r, change) : r));

  it("passes the stack's own figures, tighter ones, and the count/ spelling of a key", async () => {
    await expectStackPass(workspaceNamespaceWithoutQuota, compliantKubernetesStack(), SETTINGS);
    await expectStackPass(
      workspaceNamespaceWithoutQuota,
      withQuota((p) => {
        p.spec.hard["requests.storage"] = "100Gi";
        delete p.spec.hard.pods;
        p.spec.hard["count/pods"] = "5";
      }),
      SETTINGS,
    );
  });

  it("fails an absurd figure, a lifted limit and a figure that is not a quantity", async () => {
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withQuota((p) => (p.spec.hard["requests.storage"] = "1Pi")),
      WHO,
      new RegExp(
        String.raw`its ResourceQuotas allow more than the stack's configuration: quota on requests\.storage 1Pi, above ` +
          String.raw`the stack's 500Gi; set the unscoped quota's spec\.hard to the stack's figures ` +
          String.raw`\(coder-blueprint:workspaces\) and keep this policy's settings equal to them\.$`,
      ),
      SETTINGS,
    );
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withQuota((p) => delete p.spec.hard["services.loadbalancers"]),
      WHO,
      /no quota on services\.loadbalancers \(the stack's figure is 0\)/,
      SETTINGS,
    );
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withQuota((p) => (p.spec.hard.pods = "lots")),
      WHO,
      /quota on pods "lots", which is not a quantity/,
      SETTINGS,
    );
  });

  it("counts the tightest quota: a second, lax quota does not lift the first", async () => {
    const lax = mutate(
      compliantKubernetesStack().find((r) => r.type === K8S.resourceQuota)!,
      (p, r) => {
        r.name = "lax";
        p.metadata.name = "lax";
        p.spec.hard = { pods: "100000" };
      },
    );
    await expectStackPass(workspaceNamespaceWithoutQuota, [...compliantKubernetesStack(), lax], SETTINGS);
  });

  it("counts the tightest quota whatever the order, and names the first of equal figures", async () => {
    await expectStackPass(
      workspaceNamespaceWithoutQuota,
      [second({ pods: "100000" }), ...compliantKubernetesStack()],
      SETTINGS,
    );
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      [...withQuota((p) => (p.spec.hard["requests.storage"] = "1Ti")), second({ "requests.storage": "1024Gi" })],
      WHO,
      /quota on requests\.storage 1Ti, above the stack's 500Gi;/,
      SETTINGS,
    );
  });

  it("reads numeric figures, skips null ones, and fails a list", async () => {
    await expectStackPass(
      workspaceNamespaceWithoutQuota,
      withQuota((p) => (p.spec.hard.pods = 25)),
      SETTINGS,
    );
    await expectStackPass(
      workspaceNamespaceWithoutQuota,
      [...compliantKubernetesStack(), second({ pods: null })],
      SETTINGS,
    );
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withQuota((p) => (p.spec.hard.pods = ["25"])),
      WHO,
      /quota on pods "\["25"\]", which is not a quantity/,
      SETTINGS,
    );
  });

  it("matches the stack's count/ spelling of a key to the quota's plain one", async () => {
    const { pods, ...hard } = quota().props.spec.hard;
    await expectStackPass(workspaceNamespaceWithoutQuota, compliantKubernetesStack(), {
      config: {
        "workspace-namespace-without-quota": {
          ...SETTINGS.config["workspace-namespace-without-quota"],
          hard: { ...hard, "count/pods": pods },
        },
      },
    });
  });

  // The API server reads each pair as one quota, so the stack's figure caps the quota's under either name.
  for (const [plain, alias] of [
    ["pods", "count/pods"],
    ["services", "count/services"],
    ["persistentvolumeclaims", "count/persistentvolumeclaims"],
    ["requests.cpu", "cpu"],
    ["requests.memory", "memory"],
    ["requests.ephemeral-storage", "ephemeral-storage"],
  ]) {
    for (const [stackKey, quotaKey] of [
      [plain, alias],
      [alias, plain],
    ]) {
      it(`compares the stack's ${stackKey} with the quota's ${quotaKey}`, async () => {
        const config = (limit: string) => ({
          config: { "workspace-namespace-without-quota": { hard: { [stackKey]: limit } } },
        });
        const stack = withQuota((p) => {
          delete p.spec.hard[plain];
          delete p.spec.hard[alias];
          p.spec.hard[quotaKey] = "20";
        });
        await expectStackPass(workspaceNamespaceWithoutQuota, stack, config("20"));
        await expectStackViolation(
          workspaceNamespaceWithoutQuota,
          stack,
          WHO,
          new RegExp(
            `allow more than the stack's configuration: quota on ${stackKey.replace(/[./]/g, "\\$&")} 20, above ` +
              "the stack's 10;",
          ),
          config("10"),
        );
      });
    }
  }

  it("applies a ResourceQuotaPatch to the quota it patches", async () => {
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      [
        ...compliantKubernetesStack(),
        resource(K8S.resourceQuotaPatch, "lift", {
          metadata: { name: "workspace-quota", namespace: "coder-workspaces" },
          spec: { hard: { pods: "10000", services: "10000" } },
        }),
      ],
      WHO,
      /quota on pods 10000, above the stack's 25; quota on services 10000, above the stack's 25/,
      SETTINGS,
    );
  });

  it("passes a second LimitRange with other defaults, a volume minimum and a Pod cap", async () => {
    const extra = resource(K8S.limitRange, "extra-limits", {
      metadata: { name: "extra-limits", namespace: "coder-workspaces" },
      spec: {
        limits: [
          { type: "Container", default: { cpu: "1" } },
          { type: "PersistentVolumeClaim", min: { storage: "1Gi" } },
          { type: "Pod", max: { "ephemeral-storage": "20Gi" } },
        ],
      },
    });
    await expectStackPass(workspaceNamespaceWithoutQuota, [...compliantKubernetesStack(), extra], SETTINGS);
  });

  it("judges each LimitRange item by its type: a Pod cap does not cap a container", async () => {
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withLimits((p) => {
        p.spec.limits[0].max["ephemeral-storage"] = "1Ti";
        p.spec.limits.push({ type: "Pod", max: { "ephemeral-storage": "10Gi" } });
      }),
      WHO,
      /Container max ephemeral-storage 1Ti, above the stack's 10Gi/,
      SETTINGS,
    );
  });

  it("fails a LimitRange without a spec, and skips an empty entry in its limits", async () => {
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withLimits((p) => delete p.spec),
      WHO,
      /no Container max ephemeral-storage \(the stack's figure is 10Gi\); no Container default ephemeral-storage/,
      SETTINGS,
    );
    await expectStackPass(
      workspaceNamespaceWithoutQuota,
      withLimits((p) => p.spec.limits.unshift(null)),
      SETTINGS,
    );
  });

  it("still reports a known missing quota when a LimitRange is unknown during preview", async () => {
    const stack = compliantKubernetesStack()
      .filter((r) => r.type !== K8S.resourceQuota)
      .map((r) => (r.type === K8S.limitRange ? mutate(r, (p) => (p.spec.limits = unknown.array)) : r));
    const o = await expectStackPreviewGap(workspaceNamespaceWithoutQuota, stack, /limits can't be known/);
    const known = o.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.detail);
    assert.ok(known.length === 1 && known[0].startsWith(`${WHO}: workspace namespace has no ResourceQuota`), show(o));
  });

  it("fails a LimitRange without caps: max raised, no default, no volume cap, or patched away", async () => {
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withLimits((p) => (p.spec.limits[0].max["ephemeral-storage"] = "1Ti")),
      WHO,
      new RegExp(
        String.raw`its LimitRanges do not cap what one workspace may use: Container max ephemeral-storage 1Ti, above ` +
          String.raw`the stack's 10Gi; set the LimitRange's Container default and max and its PersistentVolumeClaim ` +
          String.raw`max to the stack's workspace size \(coder-blueprint:workspaces\.size\)\.$`,
      ),
      SETTINGS,
    );
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      withLimits((p) => {
        delete p.spec.limits[0].default;
        p.spec.limits.pop();
      }),
      WHO,
      /no Container default ephemeral-storage.*; no PersistentVolumeClaim max storage \(the stack's figure is 20Gi\)/,
      SETTINGS,
    );
    await expectStackViolation(
      workspaceNamespaceWithoutQuota,
      [
        ...compliantKubernetesStack(),
        resource(K8S.limitRangePatch, "uncap", {
          metadata: { name: "workspace-limits", namespace: "coder-workspaces" },
          spec: { limits: [{ type: "Container", default: { "ephemeral-storage": "1Gi" } }] },
        }),
      ],
      WHO,
      /Container max ephemeral-storage \(the stack's figure is 10Gi\)/,
      SETTINGS,
    );
  });
});
