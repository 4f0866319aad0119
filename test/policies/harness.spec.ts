// The harness's own contract, with throwaway policies: config reconciliation as the CLI does it, the
// server's level resolution, its not-applicable fast path, stack tags, and resource linking.
import * as assert from "assert";
import type {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "../../policy-pack/node_modules/@pulumi/policy";
import { validateResourceOfType } from "../../policy-pack/node_modules/@pulumi/policy";
import { policies, PACK_ENFORCEMENT_LEVEL } from "../../policy-pack/policies";
import { reconcileConfig } from "../harness/policy-config";
import { previewGaps, runResourcePolicy, runStackPolicy, unknown, urnOf } from "../harness/policy";

const seen: Record<string, unknown> = {};
const probe: ResourceValidationPolicy = {
  name: "probe",
  description: "Records what the server hands a policy.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      limit: { type: "integer", default: 3 },
      names: { type: "array", items: { type: "string" }, default: ["a"] },
    },
  },
  validateResource: (args, report) => {
    seen.config = args.getConfig();
    seen.env = args.stackTags.get("env");
    seen.provider = args.provider?.name;
    if (args.props.bad === true) report("bad");
  },
};

class FakeConfigMap {
  static __pulumiType = "kubernetes:core/v1:ConfigMap";
}

describe("policy harness", () => {
  it("hands getConfig the schema defaults overlaid by the config file, without enforcementLevel", async () => {
    await runResourcePolicy(probe, { type: "t:m:R", props: {} });
    assert.deepStrictEqual(seen.config, { limit: 3, names: ["a"] });
    await runResourcePolicy(
      probe,
      { type: "t:m:R", props: {} },
      { config: { probe: { enforcementLevel: "advisory", limit: 5 } } },
    );
    assert.deepStrictEqual(seen.config, { limit: 5, names: ["a"] });
  });

  it("rejects a config the engine would reject", async () => {
    await assert.rejects(
      runResourcePolicy(probe, { type: "t:m:R", props: {} }, { config: { probe: { limit: "many" } } }),
      /probe: limit: Invalid type/,
    );
    await assert.rejects(
      runResourcePolicy(probe, { type: "t:m:R", props: {} }, { config: { probe: "blocking" as any } }),
      /not a valid enforcement level/,
    );
  });

  it("resolves levels: per-policy config over `all` over the policy's own level", async () => {
    const bad = { type: "t:m:R", props: { bad: true } };
    assert.strictEqual((await runResourcePolicy(probe, bad)).violations[0].enforcementLevel, "mandatory");
    assert.strictEqual(
      (await runResourcePolicy(probe, bad, { config: { all: "advisory" } })).violations[0].enforcementLevel,
      "advisory",
    );
    assert.strictEqual(
      (await runResourcePolicy(probe, bad, { config: { all: "advisory", probe: "mandatory" } })).violations[0]
        .enforcementLevel,
      "mandatory",
    );
    assert.deepStrictEqual((await runResourcePolicy(probe, bad, { config: { probe: "disabled" } })).violations, []);
  });

  it("passes stack tags and provider information", async () => {
    await runResourcePolicy(probe, { type: "kubernetes:core/v1:ConfigMap", props: {} }, { stackTags: { env: "prod" } });
    assert.strictEqual(seen.env, "prod");
    assert.strictEqual(seen.provider, "cluster");
  });

  it("skips a typed validation on other types without calling it, as the server's fast path does", async () => {
    let called = false;
    const typed: ResourceValidationPolicy = {
      name: "typed",
      description: "typed",
      validateResource: validateResourceOfType(FakeConfigMap as any, () => {
        called = true;
      }),
    };
    const o = await runResourcePolicy(typed, { type: "kubernetes:core/v1:Secret", props: {} });
    assert.strictEqual(called, false);
    assert.strictEqual(o.notApplicable, "Policy only applies to resources of type 'kubernetes:core/v1:ConfigMap'");
  });

  it("turns a read of an unknown value into the server's advisory preview diagnostic", async () => {
    const reader: ResourceValidationPolicy = {
      name: "reader",
      description: "reads x",
      enforcementLevel: "mandatory",
      validateResource: (args) => void args.props.x.y,
    };
    const o = await runResourcePolicy(reader, { type: "t:m:R", props: { x: { y: unknown.number } } });
    assert.deepStrictEqual(
      previewGaps(o).map((v) => [v.enforcementLevel, v.message]),
      [
        [
          "advisory",
          "can't run policy 'reader' from policy pack 'coder-blueprint-policies@v0.1.0' during preview: number value at .x.y can't be known during preview",
        ],
      ],
    );
  });

  it("links stack resources' parents and dependencies by URN, and treats a remediate stack policy as mandatory", async () => {
    const linked: Record<string, string[]> = {};
    const stackProbe: StackValidationPolicy = {
      name: "stack-probe",
      description: "links",
      validateStack: (args, report) => {
        const child = args.resources.find((r) => r.name === "child") as PolicyResource;
        linked.parent = [child.parent?.name ?? ""];
        linked.deps = child.dependencies.map((d) => d.name);
        linked.roleArn = (child.propertyDependencies.roleArn ?? []).map((d) => d.name);
        report("always", child.urn);
      },
    };
    const parentUrn = urnOf("test", "x:index:Parent", "parent");
    const o = await runStackPolicy(
      stackProbe,
      [
        { type: "x:index:Parent", name: "parent", props: {}, provider: null },
        { type: "aws:iam/role:Role", name: "role", props: {} },
        {
          type: "aws:eks/nodeGroup:NodeGroup",
          name: "child",
          props: {},
          parent: parentUrn,
          dependencies: [urnOf("test", "aws:iam/role:Role", "role")],
          propertyDependencies: { roleArn: [urnOf("test", "aws:iam/role:Role", "role")] },
        },
      ],
      { config: { "stack-probe": "remediate" } },
    );
    assert.deepStrictEqual(linked, { parent: ["parent"], deps: ["role"], roleArn: ["role"] });
    assert.strictEqual(o.violations[0].enforcementLevel, "mandatory");
    assert.strictEqual(o.violations[0].urn, urnOf("test", "aws:eks/nodeGroup:NodeGroup", "child"));
  });

  it("reconciles the pack's real defaults: every schema default present, levels as declared", () => {
    const config = reconcileConfig(policies, PACK_ENFORCEMENT_LEVEL);
    for (const p of policies) {
      const c = config.get(p.name)!;
      assert.strictEqual(c.enforcementLevel, p.enforcementLevel);
      assert.deepStrictEqual(Object.keys(c.properties).sort(), Object.keys(p.configSchema?.properties ?? {}).sort());
    }
  });
});
