// Runs policies through @pulumi/policy's own analyzer server, in-process, so a test exercises the code
// path of `pulumi preview --policy-pack`: this module plays the engine. It loads the pack's index.ts with
// the gRPC transport held back (no port is opened) and keeps the service handlers the server registers,
// then, for every run, sends what the engine sends — ConfigureAnalyzer with the reconciled
// --policy-pack-config, ConfigureStack with the stack's tags, Remediate, then Analyze for each resource
// and AnalyzeStack for the whole stack — as protobuf messages, and reads the diagnostics, remediations
// and not-applicable reasons from the protobuf responses. Properties travel as protobuf Structs carrying
// the engine's unknown and secret sentinels, so the server's own decoding, proxies, preview-gap
// diagnostics, level resolution and config handling are what the specs observe.
//
// Runs share the server's module-level configuration, as one engine session does: they must not overlap.
import type {
  EnforcementLevel,
  Policies,
  PolicyResourceOptions,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as path from "path";
import { PackConfigFile, reconcileConfig } from "./policy-config";

const PACK_DIR = path.resolve(__dirname, "..", "..");

// Code outside the pack (the root project's specs and scripts) takes the policy types from here, so
// @pulumi/policy is always the pack's copy.
export type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
export type { PackConfigFile } from "./policy-config";

type Callback = (err: Error | null | undefined, response?: any) => void;
type Handler = (call: { request: unknown }, callback: Callback) => void;
type HandlerFactory = (
  packName: string,
  packVersion: string,
  packLevel: EnforcementLevel,
  policies: Policies,
) => Handler;

// The server's handler factories are exported for its own tests (marked @internal, so absent from
// its .d.ts); the pack's own handlers for configure and configureStack are captured from serve().
const server = require("@pulumi/policy/server") as {
  serve(this: void, name: string, version: string, level: EnforcementLevel, ...rest: unknown[]): void;
  makeAnalyzeRpcFun: HandlerFactory;
  makeAnalyzeStackRpcFun: HandlerFactory;
  makeRemediateRpcFun: HandlerFactory;
};
const { convertEnforcementLevel, mapEnforcementLevel } = require("@pulumi/policy/protoutil") as {
  convertEnforcementLevel(this: void, level: number): EnforcementLevel;
  mapEnforcementLevel(this: void, level: EnforcementLevel): number;
};
const sentinels = require("@pulumi/policy/proxy") as Record<string, string>;
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };
// Struct and Empty must come from the copy of google-protobuf the generated messages use.
const PROTO_DIR = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const fromProto = (id: string) => require(require.resolve(id, { paths: [PROTO_DIR] }));
const { Struct } = fromProto("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromProto("google-protobuf/google/protobuf/empty_pb");

/** What the engine sends for a value it cannot know during preview. */
export const unknown = {
  string: sentinels.unknownStringValue,
  number: sentinels.unknownNumberValue,
  boolean: sentinels.unknownBooleanValue,
  array: sentinels.unknownArrayValue,
  object: sentinels.unknownObjectValue,
};

/** What the engine sends for a secret value (the SDK's secret signature). */
export function secret(value: unknown): Record<string, unknown> {
  return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}

export const PROJECT = "coder-blueprint";

export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

export interface ProviderUnderTest {
  type?: string;
  name: string;
  urn?: string;
  props?: Record<string, unknown>;
}

export interface ResourceUnderTest {
  type: string;
  props: Record<string, any>;
  name?: string;
  urn?: string;
  /** Defaults to an explicit provider for the type's package; `null` sends none (components, providers). */
  provider?: ProviderUnderTest | null;
  opts?: Partial<PolicyResourceOptions>;
  /** Stack runs only: URNs, resolved to resources by the server. */
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface RunOptions {
  /** The --policy-pack-config file. */
  config?: PackConfigFile;
  stackTags?: Record<string, string>;
  stack?: string;
  /** The pack's own level; defaults to the level the pack is served with. */
  packLevel?: EnforcementLevel;
}

export interface Violation {
  policyName: string;
  /** As the engine prints it: the policy's description, a newline, then the reported message. */
  message: string;
  /** The reported message alone (for a preview gap, the server's reason). */
  detail: string;
  enforcementLevel: EnforcementLevel;
  urn?: string;
  severity?: string;
}

export interface Outcome {
  policyName: string;
  /** The level the server reports this policy's violations at, from the configuration the engine sent. */
  enforcementLevel: EnforcementLevel;
  violations: Violation[];
  /** The reason given when the server reported the policy not applicable. */
  notApplicable?: string;
  /** Props after this policy's remediation, when one ran and changed them. */
  remediated?: Record<string, unknown>;
  /** The server's diagnostic when a remediation hit an unknown value. */
  remediationDiagnostic?: string;
}

export const PREVIEW_GAP = /^can't run policy '.*' from policy pack '.*' during preview: /;

export const mandatory = (o: Outcome) => o.violations.filter((v) => v.enforcementLevel === "mandatory");
export const advisory = (o: Outcome) => o.violations.filter((v) => v.enforcementLevel === "advisory");
/** The advisory diagnostic the server emits when a policy read a value unknown during preview. */
export const previewGaps = (o: Outcome) => o.violations.filter((v) => PREVIEW_GAP.test(v.message));

interface ServedPack {
  name: string;
  version: string;
  level: EnforcementLevel;
  handlers: Record<string, Handler>;
}

let served: Promise<ServedPack> | undefined;

function call<T = any>(handler: Handler, request: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    handler({ request }, (err, response) => (err ? reject(err) : resolve(response as T))),
  );
}

/** Round-trips a message through its wire encoding, so only what protobuf carries reaches the other side. */
function wire<T extends { serializeBinary(): Uint8Array }>(message: T): T {
  return (message.constructor as any).deserializeBinary(message.serializeBinary());
}

/**
 * Starts the pack exactly as the engine's analyzer host does — policy-pack/index.ts run from the pack's
 * directory — except that the server's gRPC transport registers its handlers here instead of opening a
 * port. The server exits the process on an invalid pack; that exit becomes a thrown error.
 */
function servePack(): ServedPack {
  const grpcDir = path.dirname(require.resolve("@pulumi/policy/server"));
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [grpcDir] }));
  const proto = grpc.Server.prototype;
  const { addService, bindAsync } = proto;
  const exit = process.exit.bind(process);
  const cwd = process.cwd();
  let handlers: Record<string, Handler> | undefined;
  const { serve } = server;
  let served: Omit<ServedPack, "handlers"> | undefined;
  server.serve = (name, version, level, ...rest) => {
    served = { name, version, level };
    serve(name, version, level, ...rest);
  };
  proto.addService = (_service: unknown, implementation: Record<string, Handler>) => {
    handlers = implementation;
  };
  proto.bindAsync = () => undefined;
  process.exit = (code?: number | string | null) => {
    throw new Error(`the analyzer server refused the pack (exit code ${code}); see its message above`);
  };
  try {
    process.chdir(PACK_DIR);
    require(path.join(PACK_DIR, "index"));
  } finally {
    server.serve = serve;
    proto.addService = addService;
    proto.bindAsync = bindAsync;
    process.exit = exit;
    process.chdir(cwd);
  }
  if (!handlers || !served) throw new Error("the pack did not start an analyzer service");
  return { ...served, handlers };
}

/** The pack as the engine sees it; started once per process, as the server allows only one pack. */
export function pack(): Promise<ServedPack> {
  served ??= Promise.resolve().then(servePack);
  return served;
}

/** The engine's GetAnalyzerInfo call on the served pack: the raw pulumirpc.AnalyzerInfo response. */
export async function analyzerInfo(): Promise<any> {
  return wire(await call((await pack()).handlers.getAnalyzerInfo, new Empty()));
}

const struct = (o: unknown) => Struct.fromJavaScript(JSON.parse(JSON.stringify(o ?? {})));

const DEFAULT_PROVIDERS: Record<string, ProviderUnderTest> = {
  kubernetes: {
    type: "pulumi:providers:kubernetes",
    name: "cluster",
    props: { kubeconfig: "/etc/coder-blueprint/kubeconfig", context: "coder" },
  },
  aws: { type: "pulumi:providers:aws", name: "aws", props: { region: "eu-west-1" } },
};

function providerMessage(r: ResourceUnderTest, stack: string): unknown {
  const pkg = r.type.split(":")[0];
  const given = r.provider === undefined ? DEFAULT_PROVIDERS[pkg] : r.provider;
  if (!given) return undefined;
  const type = given.type ?? `pulumi:providers:${pkg}`;
  const m = new pb.AnalyzerProviderResource();
  m.setType(type);
  m.setName(given.name);
  m.setUrn(given.urn ?? urnOf(stack, type, given.name));
  m.setProperties(struct(given.props ?? {}));
  return m;
}

function optionsMessage(opts: Partial<PolicyResourceOptions> = {}): unknown {
  const m = new pb.AnalyzerResourceOptions();
  m.setProtect(opts.protect ?? false);
  m.setIgnorechangesList(opts.ignoreChanges ?? []);
  m.setAliasesList(opts.aliases ?? []);
  m.setAdditionalsecretoutputsList(opts.additionalSecretOutputs ?? []);
  const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(opts.customTimeouts?.createSeconds ?? 0);
  timeouts.setUpdate(opts.customTimeouts?.updateSeconds ?? 0);
  timeouts.setDelete(opts.customTimeouts?.deleteSeconds ?? 0);
  m.setCustomtimeouts(timeouts);
  if (opts.deleteBeforeReplace !== undefined) {
    m.setDeletebeforereplacedefined(true);
    m.setDeletebeforereplace(opts.deleteBeforeReplace);
  }
  if (opts.parent) m.setParent(opts.parent);
  return m;
}

type Named = ResourceUnderTest & { name: string; urn: string };

function named(r: ResourceUnderTest, stack: string): Named {
  const name = r.name ?? "subject";
  return { ...r, name, urn: r.urn ?? urnOf(stack, r.type, name) };
}

/** The Analyze (and Remediate) request for one resource; `properties` is a Struct when given. */
function analyzeRequest(r: Named, stack: string, properties?: unknown): any {
  const m = new pb.AnalyzeRequest();
  m.setType(r.type);
  m.setName(r.name);
  m.setUrn(r.urn);
  m.setProperties(properties ?? struct(r.props));
  m.setOptions(optionsMessage(r.opts));
  const provider = providerMessage(r, stack);
  if (provider) m.setProvider(provider);
  return wire(m);
}

function analyzeStackRequest(resources: Named[], stack: string): any {
  const m = new pb.AnalyzeStackRequest();
  m.setResourcesList(
    resources.map((r) => {
      const a = new pb.AnalyzerResource();
      a.setType(r.type);
      a.setName(r.name);
      a.setUrn(r.urn);
      a.setProperties(struct(r.props));
      a.setOptions(optionsMessage(r.opts));
      const provider = providerMessage(r, stack);
      if (provider) a.setProvider(provider);
      if (r.parent) a.setParent(r.parent);
      a.setDependenciesList(r.dependencies ?? []);
      for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
        const deps = new pb.AnalyzerPropertyDependencies();
        deps.setUrnsList(urns);
        a.getPropertydependenciesMap().set(key, deps);
      }
      return a;
    }),
  );
  return wire(m);
}

interface Session {
  served: ServedPack;
  stack: string;
  policies: Policies;
  packLevel: EnforcementLevel;
  levels: Map<string, EnforcementLevel>;
}

/** ConfigureAnalyzer and ConfigureStack, as the engine sends them before analyzing anything. */
async function configure(policies: Policies, options: RunOptions): Promise<Session> {
  const served = await pack();
  const packLevel = options.packLevel ?? served.level;
  const stack = options.stack ?? "test";
  const config = reconcileConfig(policies, packLevel, options.config);
  const req = new pb.ConfigureAnalyzerRequest();
  for (const [name, c] of config) {
    const pc = new pb.PolicyConfig();
    pc.setEnforcementlevel(mapEnforcementLevel(c.enforcementLevel));
    pc.setProperties(struct(c.properties));
    req.getPolicyconfigMap().set(name, pc);
  }
  await call(served.handlers.configure, wire(req));
  const stackReq = new pb.AnalyzerStackConfigureRequest();
  stackReq.setStack(stack);
  stackReq.setProject(PROJECT);
  stackReq.setDryRun(true);
  for (const [k, v] of Object.entries(options.stackTags ?? {})) stackReq.getTagsMap().set(k, v);
  await call(served.handlers.configureStack, wire(stackReq));
  const levels = new Map([...config].map(([name, c]) => [name, c.enforcementLevel]));
  return { served, stack, policies, packLevel, levels };
}

function handler(s: Session, factory: HandlerFactory): Handler {
  return factory(s.served.name, s.served.version, s.packLevel, s.policies);
}

const SEVERITIES = Object.fromEntries(
  Object.entries(pb.PolicySeverity as Record<string, number>).map(([k, v]) => [v, k]),
) as Record<number, string>;

function severityOf(value: number): string | undefined {
  const name = SEVERITIES[value]?.replace(/^POLICY_SEVERITY_/, "").toLowerCase();
  return name && name !== "unspecified" ? name : undefined;
}

function violationsOf(response: any): Violation[] {
  return response.getDiagnosticsList().map((d: any): Violation => {
    const message: string = d.getMessage();
    const description: string = d.getDescription();
    let detail = message;
    if (PREVIEW_GAP.test(message)) detail = message.replace(PREVIEW_GAP, "");
    else if (message.startsWith(`${description}\n`)) detail = message.slice(description.length + 1);
    else if (message === description) detail = "";
    const v: Violation = {
      policyName: d.getPolicyname(),
      message,
      detail,
      enforcementLevel: convertEnforcementLevel(d.getEnforcementlevel()),
    };
    if (d.getUrn()) v.urn = d.getUrn();
    const severity = severityOf(d.getSeverity());
    if (severity) v.severity = severity;
    return v;
  });
}

function notApplicableOf(response: any): Map<string, string> {
  return new Map(
    response
      .getNotApplicableList()
      .map((n: any): [string, string] => [n.getPolicyName(), n.getReason() || "(no reason given)"]),
  );
}

/** The level the server resolves for a policy from the engine's configuration. */
function reportedLevel(s: Session, policy: { name: string; enforcementLevel?: EnforcementLevel }): EnforcementLevel {
  const level = s.levels.get(policy.name) || policy.enforcementLevel || s.packLevel;
  return level === "remediate" ? "mandatory" : level;
}

interface Remediated {
  /** The Struct the engine analyzes after remediation, when any remediation changed the props. */
  properties?: unknown;
  byPolicy: Map<string, { properties?: Record<string, unknown>; diagnostic?: string }>;
  notApplicable: Map<string, string>;
}

/** The engine's Remediate call: every remediate-level policy in pack order, each seeing the last result. */
async function remediate(s: Session, r: Named): Promise<Remediated> {
  const response = wire(await call(handler(s, server.makeRemediateRpcFun), analyzeRequest(r, s.stack)));
  const result: Remediated = { byPolicy: new Map(), notApplicable: notApplicableOf(response) };
  for (const rem of response.getRemediationsList()) {
    const properties = rem.getProperties();
    if (properties) result.properties = properties;
    result.byPolicy.set(rem.getPolicyname(), {
      properties: properties?.toJavaScript(),
      diagnostic: rem.getDiagnostic() || undefined,
    });
  }
  return result;
}

async function analyze(s: Session, r: Named, remediated: Remediated): Promise<any> {
  return wire(await call(handler(s, server.makeAnalyzeRpcFun), analyzeRequest(r, s.stack, remediated.properties)));
}

async function analyzeStack(s: Session, resources: Named[]): Promise<any> {
  return wire(await call(handler(s, server.makeAnalyzeStackRpcFun), analyzeStackRequest(resources, s.stack)));
}

/** Runs one resource policy on one resource, as the engine's Remediate and Analyze calls do. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
  options: RunOptions = {},
): Promise<Outcome> {
  const s = await configure([policy], options);
  const r = named(resource, s.stack);
  const remediated = await remediate(s, r);
  const response = await analyze(s, r, remediated);
  const outcome: Outcome = {
    policyName: policy.name,
    enforcementLevel: reportedLevel(s, policy),
    violations: violationsOf(response).filter((v) => v.policyName === policy.name),
  };
  const notApplicable = notApplicableOf(response).get(policy.name) ?? remediated.notApplicable.get(policy.name);
  if (notApplicable !== undefined) outcome.notApplicable = notApplicable;
  const own = remediated.byPolicy.get(policy.name);
  if (own?.properties) outcome.remediated = own.properties;
  if (own?.diagnostic) outcome.remediationDiagnostic = own.diagnostic;
  return outcome;
}

/** Runs one stack policy over a stack, as the engine's AnalyzeStack call does. */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: ResourceUnderTest[],
  options: RunOptions = {},
): Promise<Outcome> {
  const s = await configure([policy], options);
  const response = await analyzeStack(
    s,
    resources.map((r) => named(r, s.stack)),
  );
  const outcome: Outcome = {
    policyName: policy.name,
    enforcementLevel: reportedLevel(s, policy),
    violations: violationsOf(response).filter((v) => v.policyName === policy.name),
  };
  const notApplicable = notApplicableOf(response).get(policy.name);
  if (notApplicable !== undefined) outcome.notApplicable = notApplicable;
  return outcome;
}

/** Runs a whole pack: Remediate and Analyze on every resource, then AnalyzeStack on the stack. */
export async function runPack(
  policies: Policies,
  resources: ResourceUnderTest[],
  options: RunOptions = {},
): Promise<Violation[]> {
  const s = await configure(policies, options);
  const all = resources.map((r) => named(r, s.stack));
  const violations: Violation[] = [];
  for (const r of all) violations.push(...violationsOf(await analyze(s, r, await remediate(s, r))));
  violations.push(...violationsOf(await analyzeStack(s, all)));
  return violations;
}
