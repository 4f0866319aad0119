// The harness plays the engine around @pulumi/policy's own server, so what it must get right is what
// the engine sends: the pack started as the analyzer host starts it, the --policy-pack-config reconciled
// as the CLI does, stack tags, providers, secrets and resource links in the requests. A second check
// starts the pack as its own process from this directory and compares its gRPC answer with the
// in-process one, so the in-process path is the same pack the engine talks to.
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "../policies";
import { analyzerInfo, runResourcePolicy, runStackPolicy, secret, urnOf } from "./harness/analyzer";
import { reconcileConfig } from "./harness/policy-config";

const PACK_DIR = path.resolve(__dirname, "..");

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
    seen.password = args.props.password;
    if (args.props.bad === true) report("bad");
  },
};

describe("the analyzer harness", () => {
  it("starts the pack under the server's own checks, advertising every policy with its level and schema", async () => {
    const info = await analyzerInfo();
    assert.strictEqual(info.getName(), PACK_NAME);
    const served = info.getPoliciesList().map((p: any) => ({
      name: p.getName(),
      level: p.getEnforcementlevel(),
      schema: p.getConfigschema()?.getProperties()?.toJavaScript() ?? {},
    }));
    const levels = { advisory: 0, mandatory: 1, remediate: 2, disabled: 3 } as const;
    assert.deepStrictEqual(
      served,
      policies.map((p) => ({
        name: p.name,
        level: levels[p.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL],
        schema: JSON.parse(JSON.stringify(p.configSchema?.properties ?? {})),
      })),
    );
  });

  it("sends getConfig the schema defaults overlaid by the config file, without enforcementLevel", async () => {
    await runResourcePolicy(probe, { type: "t:m:R", props: {} });
    assert.deepStrictEqual(seen.config, { limit: 3, names: ["a"] });
    await runResourcePolicy(
      probe,
      { type: "t:m:R", props: {} },
      { config: { probe: { enforcementLevel: "advisory", limit: 5 } } },
    );
    assert.deepStrictEqual(seen.config, { limit: 5, names: ["a"] });
  });

  it("rejects a config the CLI would reject", async () => {
    await assert.rejects(
      runResourcePolicy(probe, { type: "t:m:R", props: {} }, { config: { probe: { limit: "many" } } }),
      /probe: limit: Invalid type/,
    );
    await assert.rejects(
      runResourcePolicy(probe, { type: "t:m:R", props: {} }, { config: { probe: "blocking" as any } }),
      /not a valid enforcement level/,
    );
  });

  it("sends levels as the CLI reconciles them: per-policy config over `all` over the policy's own", async () => {
    const bad = { type: "t:m:R", props: { bad: true } };
    const level = async (config?: Record<string, any>) =>
      (await runResourcePolicy(probe, bad, { config })).violations.map((v) => v.enforcementLevel);
    assert.deepStrictEqual(await level(), ["mandatory"]);
    assert.deepStrictEqual(await level({ all: "advisory" }), ["advisory"]);
    assert.deepStrictEqual(await level({ all: "advisory", probe: "mandatory" }), ["mandatory"]);
    assert.deepStrictEqual(await level({ probe: "disabled" }), []);
  });

  it("sends stack tags, the resource's provider, and secrets the server unwraps", async () => {
    await runResourcePolicy(
      probe,
      { type: "kubernetes:core/v1:ConfigMap", props: { password: secret("hunter2") } },
      { stackTags: { env: "prod" } },
    );
    assert.deepStrictEqual([seen.env, seen.provider, seen.password], ["prod", "cluster", "hunter2"]);
    await runResourcePolicy(probe, { type: "kubernetes:core/v1:ConfigMap", props: {} });
    assert.strictEqual(seen.env, undefined, "stack tags must not leak from one run into the next");
  });

  it("sends stack resources' parents and dependencies by URN, which the server links", async () => {
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
    const roleUrn = urnOf("test", "aws:iam/role:Role", "role");
    const o = await runStackPolicy(stackProbe, [
      { type: "x:index:Parent", name: "parent", props: {}, provider: null },
      { type: "aws:iam/role:Role", name: "role", props: {} },
      {
        type: "aws:eks/nodeGroup:NodeGroup",
        name: "child",
        props: {},
        parent: urnOf("test", "x:index:Parent", "parent"),
        dependencies: [roleUrn],
        propertyDependencies: { roleArn: [roleUrn] },
      },
    ]);
    assert.deepStrictEqual(linked, { parent: ["parent"], deps: ["role"], roleArn: ["role"] });
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

describe("the pack served as its own process", function () {
  this.timeout(120000);
  let child: ChildProcess | undefined;
  after(() => {
    if (child && child.exitCode === null) child.kill("SIGTERM");
  });

  it("starts from its directory and answers GetAnalyzerInfo over gRPC as the in-process server does", async () => {
    const grpc = require(
      require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/policy/server"))] }),
    );
    const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
    const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
    const { Empty } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [protoDir] }));
    const proc = spawn(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), "index.ts"], {
      cwd: PACK_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    let stderr = "";
    proc.stderr.on("data", (d) => (stderr += d));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      proc.stdout.on("data", (d) => {
        out += d;
        const line = out.split("\n")[0].trim();
        if (out.includes("\n") && /^\d+$/.test(line)) resolve(line);
      });
      proc.on("exit", (code) => reject(new Error(`the pack exited with code ${code} before serving:\n${stderr}`)));
    });
    const client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const remote: any = await new Promise((resolve, reject) =>
        client.getAnalyzerInfo(new Empty(), (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))),
      );
      assert.deepStrictEqual(remote.toObject(), (await analyzerInfo()).toObject());
    } finally {
      client.close();
    }
  });
});
