// Boots the real pack — policy-pack/index.ts, with the pack directory as working directory and its own
// node_modules, as the engine's analyzer host runs it — and talks to it over gRPC like the engine:
// the pack must start (the server exits on an invalid pack, e.g. enforcementLevel in a configSchema),
// advertise every policy with the levels and schemas the specs assume, and answer Analyze and
// AnalyzeStack with exactly the diagnostics the harness produces. This keeps the harness honest.
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type { ResourceValidationPolicy, StackValidationPolicy } from "../../policy-pack/node_modules/@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "../../policy-pack/policies";
import { missingDefaultDenyNetworkPolicy } from "../../policy-pack/policies/kubernetes/missing-default-deny-network-policy";
import { missingWorkspaceAdmission } from "../../policy-pack/policies/kubernetes/missing-workspace-admission";
import { K8S } from "../../policy-pack/lib/types";
import { unencryptedStorageClass } from "../../policy-pack/policies/kubernetes/unencrypted-storage-class";
import { ambientKubernetesProvider } from "../../policy-pack/policies/kubernetes/ambient-kubernetes-provider";
import { PackConfigFile, reconcileConfig } from "../harness/policy-config";
import { ResourceUnderTest, runResourcePolicy, runStackPolicy, unknown, urnOf } from "../harness/policy";
import { compliantKubernetesStack, compliantStorageClass, defaultProvider, WORKSPACE_NS } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const PACK_DIR = path.resolve(__dirname, "..", "..", "policy-pack");
const PROTO_DIR = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [PACK_DIR] }));
const fromPack = (id: string, base = PACK_DIR) => require(require.resolve(id, { paths: [base] }));

const grpc = fromPack("@grpc/grpc-js");
const services = fromPack("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = fromPack("@pulumi/pulumi/proto/analyzer_pb");
// The Struct and Empty classes must come from the copy of google-protobuf the generated code uses.
const { Struct } = fromPack("google-protobuf/google/protobuf/struct_pb", PROTO_DIR);
const { Empty } = fromPack("google-protobuf/google/protobuf/empty_pb", PROTO_DIR);
const { mapEnforcementLevel, convertEnforcementLevel } = fromPack("@pulumi/policy/protoutil");

interface Diag {
  policyName: string;
  message: string;
  enforcementLevel: string;
  urn?: string;
}

const call = <T>(client: any, method: string, req: unknown): Promise<T> =>
  new Promise((resolve, reject) =>
    client[method](req, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))),
  );

const struct = (o: unknown) => Struct.fromJavaScript(JSON.parse(JSON.stringify(o)));

function options() {
  const opts = new pb.AnalyzerResourceOptions();
  opts.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
  return opts;
}

function providerMessage(r: ResourceUnderTest) {
  const given = r.provider ?? {
    type: "pulumi:providers:kubernetes",
    name: "cluster",
    props: { kubeconfig: "/etc/coder-blueprint/kubeconfig", context: "coder" },
  };
  const p = new pb.AnalyzerProviderResource();
  p.setType(given.type ?? "pulumi:providers:kubernetes");
  p.setName(given.name);
  p.setUrn(given.urn ?? urnOf("test", given.type ?? "pulumi:providers:kubernetes", given.name));
  p.setProperties(struct(given.props ?? {}));
  return p;
}

function diagnostics(res: any): Diag[] {
  return res.getDiagnosticsList().map((d: any) => ({
    policyName: d.getPolicyname(),
    message: d.getMessage(),
    enforcementLevel: convertEnforcementLevel(d.getEnforcementlevel()),
    urn: d.getUrn() || undefined,
  }));
}

describe("the policy pack served for real", function () {
  this.timeout(120000);
  let child: ChildProcess;
  let client: any;
  let stderr = "";

  before(async () => {
    child = spawn(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), "index.ts"], {
      cwd: PACK_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.on("data", (d) => (stderr += d));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const line = out.split("\n")[0].trim();
        if (out.includes("\n") && /^\d+$/.test(line)) resolve(line);
      });
      child.on("exit", (code) => reject(new Error(`the pack exited with code ${code} before serving:\n${stderr}`)));
    });
    client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    if (child && child.exitCode === null) child.kill("SIGTERM");
  });

  async function configure(file: PackConfigFile = {}) {
    const req = new pb.ConfigureAnalyzerRequest();
    for (const [name, c] of reconcileConfig(policies, PACK_ENFORCEMENT_LEVEL, file)) {
      const pc = new pb.PolicyConfig();
      pc.setEnforcementlevel(mapEnforcementLevel(c.enforcementLevel));
      pc.setProperties(struct(c.properties));
      req.getPolicyconfigMap().set(name, pc);
    }
    await call(client, "configure", req);
  }

  async function analyze(r: ResourceUnderTest): Promise<Diag[]> {
    const req = new pb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name ?? "subject");
    req.setUrn(r.urn ?? urnOf("test", r.type, r.name ?? "subject"));
    req.setProperties(struct(r.props));
    req.setOptions(options());
    req.setProvider(providerMessage(r));
    return diagnostics(await call(client, "analyze", req));
  }

  async function analyzeStack(resources: ResourceUnderTest[]): Promise<Diag[]> {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((r) => {
        const m = new pb.AnalyzerResource();
        m.setType(r.type);
        m.setName(r.name ?? "subject");
        m.setUrn(r.urn ?? urnOf("test", r.type, r.name ?? "subject"));
        m.setProperties(struct(r.props));
        m.setOptions(options());
        m.setProvider(providerMessage(r));
        return m;
      }),
    );
    return diagnostics(await call(client, "analyzeStack", req));
  }

  const onlyFrom = (name: string, ds: Diag[]) => ds.filter((d) => d.policyName === name);

  async function sameAsHarness(policy: ResourceValidationPolicy, r: ResourceUnderTest): Promise<Diag[]> {
    const served = onlyFrom(policy.name, await analyze(r));
    const harness = (await runResourcePolicy(policy, r)).violations.map(
      ({ policyName, message, enforcementLevel }) => ({ policyName, message, enforcementLevel, urn: undefined }),
    );
    assert.deepStrictEqual(served, harness);
    return served;
  }

  it("starts and advertises every policy with its level and config schema", async () => {
    const info: any = await call(client, "getAnalyzerInfo", new Empty());
    assert.strictEqual(info.getName(), PACK_NAME);
    const served = info.getPoliciesList().map((p: any) => ({
      name: p.getName(),
      level: convertEnforcementLevel(p.getEnforcementlevel()),
      schema: p.getConfigschema()?.getProperties()?.toJavaScript() ?? {},
    }));
    assert.deepStrictEqual(
      served,
      policies.map((p) => ({
        name: p.name,
        level: p.enforcementLevel,
        schema: JSON.parse(JSON.stringify(p.configSchema?.properties ?? {})),
      })),
    );
  });

  it("answers Analyze exactly as the harness does: a mandatory violation, a preview gap, a pass", async () => {
    await configure();
    const [violation] = await sameAsHarness(
      unencryptedStorageClass,
      mutate(compliantStorageClass(), (p) => (p.parameters.encrypted = "false")),
    );
    assert.strictEqual(violation.enforcementLevel, "mandatory");
    const [gap] = await sameAsHarness(
      unencryptedStorageClass,
      mutate(compliantStorageClass(), (p) => (p.parameters.encrypted = unknown.string)),
    );
    assert.match(
      gap.message,
      /^can't run policy 'unencrypted-storage-class' from policy pack 'coder-blueprint-policies@v0\.1\.0' during preview/,
    );
    assert.strictEqual(gap.enforcementLevel, "advisory");
    assert.deepStrictEqual(await sameAsHarness(unencryptedStorageClass, compliantStorageClass()), []);
  });

  it("passes provider information through as the harness does", async () => {
    await configure();
    const [v] = await sameAsHarness(ambientKubernetesProvider, {
      ...compliantStorageClass(),
      provider: defaultProvider(),
    });
    assert.match(v.message, /default Kubernetes provider/);
  });

  it("applies --policy-pack-config levels and settings as the harness does", async () => {
    const file: PackConfigFile = { all: "advisory", "unencrypted-storage-class": { requireKmsKey: true } };
    await configure(file);
    const noKey = mutate(compliantStorageClass(), (p) => delete p.parameters.kmsKeyId);
    const served = onlyFrom(unencryptedStorageClass.name, await analyze(noKey));
    const harness = (await runResourcePolicy(unencryptedStorageClass, noKey, { config: file })).violations;
    assert.deepStrictEqual(
      served.map((d) => [d.enforcementLevel, d.message]),
      harness.map((v) => [v.enforcementLevel, v.message]),
    );
    assert.strictEqual(served[0].enforcementLevel, "advisory");
    await configure();
  });

  it("answers AnalyzeStack exactly as the harness does", async () => {
    await configure();
    const stack = compliantKubernetesStack().filter(
      (r) => !(r.props.metadata.name === "default-deny-all" && r.props.metadata.namespace === WORKSPACE_NS),
    );
    const policy: StackValidationPolicy = missingDefaultDenyNetworkPolicy;
    const served = onlyFrom(policy.name, await analyzeStack(stack));
    const harness = (await runStackPolicy(policy, stack)).violations.map(
      ({ policyName, message, enforcementLevel, urn }) => ({ policyName, message, enforcementLevel, urn }),
    );
    assert.strictEqual(served.length, 1);
    assert.deepStrictEqual(served, harness);
  });

  it("answers AnalyzeStack with preview unknowns exactly as the harness does: the gap advisory, the known violation mandatory", async () => {
    await configure();
    // As in a blueprint preview: bindings name their policy and namespaces through outputs; one policy is missing outright.
    const stack = compliantKubernetesStack()
      .filter(
        (r) => !(r.type === K8S.validatingAdmissionPolicy && r.props.metadata.name === "coder-workspace-volume-size"),
      )
      .map((r) =>
        r.type === K8S.validatingAdmissionPolicyBinding
          ? mutate(r, (p) => {
              p.spec.policyName = unknown.string;
              p.spec.matchResources.namespaceSelector.matchExpressions[0].values = unknown.array;
            })
          : r,
      );
    const policy: StackValidationPolicy = missingWorkspaceAdmission;
    const served = onlyFrom(policy.name, await analyzeStack(stack));
    const harness = (await runStackPolicy(policy, stack)).violations.map(
      ({ policyName, message, enforcementLevel, urn }) => ({
        policyName,
        message,
        enforcementLevel,
        urn: urn || undefined,
      }),
    );
    assert.deepStrictEqual(served, harness);
    assert.deepStrictEqual(served.map((d) => d.enforcementLevel).sort(), ["advisory", "mandatory"]);
    assert.match(
      served.find((d) => d.enforcementLevel === "advisory")!.message,
      /^can't run policy 'missing-workspace-admission' .* during preview: .*values can't be known during preview/,
    );
  });
});
