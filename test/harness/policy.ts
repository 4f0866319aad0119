// Runs policies the way @pulumi/policy 1.21's analyzer server (policy/server.js) does, using the pack's
// own copy of the library and its internals, so a test sees what `pulumi preview --policy-pack` sees:
//
// - props travel as the engine sends them: JSON (undefined dropped) in a protobuf Struct, decoded by the
//   server's deserializeProperties, then wrapped in the exported unknownCheckingProxy — afresh for each
//   validation function, as the server does;
// - unknown values are the engine's sentinel strings; reading one throws UnknownValueError, which becomes
//   the server's advisory "can't run policy ... during preview" diagnostic, whatever the policy's level;
// - args.notApplicable throws, and the reason is recorded instead of a result; the __pulumiType fast
//   path is honoured; a policy at "disabled" is skipped;
// - getConfig returns the reconciled config (schema defaults, then `all`, then the policy's entry)
//   without enforcementLevel; the level is config level || policy level || pack level;
// - at "remediate", the remediation runs first on secret-preserving proxied props, its result is
//   serialized by the server's serializeProperties, and validation then runs on it as mandatory;
// - reportViolation builds messages as the server does: description, newline, message;
// - stack resources get parent, dependencies and propertyDependencies resolved from URNs.
import type {
  EnforcementLevel,
  Policies,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "../../policy-pack/node_modules/@pulumi/policy";
import * as policyLib from "../../policy-pack/node_modules/@pulumi/policy";
import * as path from "path";
import { PACK_NAME } from "../../policy-pack/policies";
import { PackConfigFile, reconcileConfig, ReconciledPolicyConfig } from "./policy-config";

const PACK_DIR = path.resolve(__dirname, "..", "..", "policy-pack");
const packRequire = (id: string) => require(require.resolve(id, { paths: [PACK_DIR] }));

// 1.21 re-exports these two from the package root (its .d.ts omits their types, hence the casts).
const { unknownCheckingProxy, UnknownValueError } = policyLib as unknown as {
  unknownCheckingProxy: <T>(value: T) => T;
  UnknownValueError: new (...args: any[]) => Error;
};
// The rest are the server's own internals, loaded from the same copy of the library.
const internals = packRequire("@pulumi/policy/policy") as {
  getPulumiType(obj: unknown): string | undefined;
  isResourcePolicy(p: unknown): boolean;
  isStackPolicy(p: unknown): boolean;
};
const { deserializeProperties, serializeProperties } = packRequire("@pulumi/policy/deserialize") as {
  deserializeProperties(this: void, struct: unknown, proxySecrets: boolean): Record<string, any>;
  serializeProperties(this: void, obj: unknown): Promise<any>;
};
const sentinels = packRequire("@pulumi/policy/proxy") as Record<string, string>;
const { Struct } = packRequire("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(o: unknown): unknown };
};

const PACK_VERSION: string = require(path.join(PACK_DIR, "package.json")).version;

/** What the engine sends for a value it cannot know during preview. */
export const unknown = {
  string: sentinels.unknownStringValue,
  number: sentinels.unknownNumberValue,
  boolean: sentinels.unknownBooleanValue,
  array: sentinels.unknownArrayValue,
  object: sentinels.unknownObjectValue,
};

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
  /** Stack runs only: URNs, resolved to resources as the server does. */
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface RunOptions {
  /** The --policy-pack-config file. */
  config?: PackConfigFile;
  stackTags?: Record<string, string>;
  stack?: string;
  packLevel?: EnforcementLevel;
}

export interface Violation {
  policyName: string;
  /** As the engine prints it: the policy's description, a newline, then the reported message. */
  message: string;
  /** The reported message alone. */
  detail: string;
  enforcementLevel: EnforcementLevel;
  urn?: string;
  severity?: string;
}

export interface Outcome {
  policyName: string;
  enforcementLevel: EnforcementLevel;
  violations: Violation[];
  /** The reason given when the policy declared itself not applicable. */
  notApplicable?: string;
  /** Props after a remediation, when one ran and changed them. */
  remediated?: Record<string, unknown>;
  /** The server's diagnostic when a remediation hit an unknown value. */
  remediationDiagnostic?: string;
}

const PREVIEW_GAP = /^can't run policy '.*' from policy pack '.*' during preview: /;

export const mandatory = (o: Outcome) => o.violations.filter((v) => v.enforcementLevel === "mandatory");
export const advisory = (o: Outcome) => o.violations.filter((v) => v.enforcementLevel === "advisory");
/** The advisory diagnostic the server emits when a policy read a value unknown during preview. */
export const previewGaps = (o: Outcome) => o.violations.filter((v) => PREVIEW_GAP.test(v.message));

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}
const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason);
};

function freezeTags(tags: Record<string, string>): ReadonlyMap<string, string> {
  const map = new Map(Object.entries(tags));
  return Object.freeze({
    entries: map.entries.bind(map),
    forEach: map.forEach.bind(map),
    get: map.get.bind(map),
    has: map.has.bind(map),
    keys: map.keys.bind(map),
    size: map.size,
    values: map.values.bind(map),
    [Symbol.iterator]: map[Symbol.iterator].bind(map),
  });
}

/** JSON over the wire, then the server's decoder. */
function overTheWire(props: Record<string, unknown>, proxySecrets = false): Record<string, any> {
  return deserializeProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(props ?? {}))), proxySecrets);
}

const DEFAULT_PROVIDERS: Record<string, ProviderUnderTest> = {
  kubernetes: {
    type: "pulumi:providers:kubernetes",
    name: "cluster",
    props: { kubeconfig: "/etc/coder-blueprint/kubeconfig", context: "coder" },
  },
  aws: { type: "pulumi:providers:aws", name: "aws", props: { region: "eu-west-1" } },
};

function providerOf(r: ResourceUnderTest, stack: string): PolicyProviderResource | undefined {
  const pkg = r.type.split(":")[0];
  const given = r.provider === undefined ? DEFAULT_PROVIDERS[pkg] : r.provider;
  if (!given) return undefined;
  const type = given.type ?? `pulumi:providers:${pkg}`;
  return {
    type,
    name: given.name,
    urn: given.urn ?? urnOf(stack, type, given.name),
    props: unknownCheckingProxy(overTheWire(given.props ?? {})),
  };
}

function optionsOf(r: ResourceUnderTest): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...r.opts,
  };
}

interface Context {
  stack: string;
  stackTags: ReadonlyMap<string, string>;
  config: Map<string, ReconciledPolicyConfig>;
  packLevel: EnforcementLevel;
}

function contextFor(policies: Policies, options: RunOptions): Context {
  const packLevel = options.packLevel ?? "advisory";
  return {
    stack: options.stack ?? "test",
    stackTags: freezeTags(options.stackTags ?? {}),
    config: reconcileConfig(policies, packLevel, options.config),
    packLevel,
  };
}

function levelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }, ctx: Context): EnforcementLevel {
  return ctx.config.get(policy.name)?.enforcementLevel || policy.enforcementLevel || ctx.packLevel;
}

function getConfigFor(name: string, ctx: Context) {
  return <T extends object>(): T => ({ ...(ctx.config.get(name)?.properties ?? {}) }) as T;
}

function reporter(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  level: EnforcementLevel,
  into: Violation[],
) {
  return (message: string, urn?: string) => {
    into.push({
      policyName: policy.name,
      message: message ? `${policy.description}\n${message}` : policy.description,
      detail: message,
      enforcementLevel: level,
      urn,
      severity: policy.severity,
    });
  };
}

function previewGap(policy: { name: string; severity?: string }, e: Error): Violation {
  const message = `can't run policy '${policy.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${e.message}`;
  return {
    policyName: policy.name,
    message,
    detail: e.message,
    enforcementLevel: "advisory",
    severity: policy.severity,
  };
}

function typeChecks(type: string) {
  const isTypeOf = (resourceClass: unknown) => internals.getPulumiType(resourceClass) === type;
  return { isType: isTypeOf as any };
}

async function remediate(
  policy: ResourceValidationPolicy,
  r: ResourceUnderTest & { name: string; urn: string },
  ctx: Context,
  outcome: Outcome,
): Promise<Record<string, unknown>> {
  if (!policy.remediateResource) return r.props;
  const pulumiType = internals.getPulumiType(policy.remediateResource);
  if (pulumiType && pulumiType !== r.type) {
    outcome.notApplicable = `Policy only applies to resources of type '${pulumiType}'`;
    return r.props;
  }
  const props = unknownCheckingProxy(overTheWire(r.props, true));
  const args = {
    urn: r.urn,
    name: r.name,
    type: r.type,
    opts: optionsOf(r),
    props,
    stackTags: ctx.stackTags,
    getConfig: getConfigFor(policy.name, ctx),
    ...typeChecks(r.type),
    asType: (cls: unknown) => (internals.getPulumiType(cls) === r.type ? props : undefined),
    notApplicable: throwNotApplicable,
  } as ResourceValidationArgs;
  const provider = providerOf(r, ctx.stack);
  if (provider) args.provider = provider;
  try {
    const result = await Promise.resolve(policy.remediateResource(args));
    if (!result) return r.props;
    outcome.remediated = await serializeProperties(result);
    return outcome.remediated!;
  } catch (e) {
    if (e instanceof UnknownValueError) {
      outcome.remediationDiagnostic = `can't run remediation '${policy.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${e.message}`;
      return r.props;
    }
    if (e instanceof NotApplicableError) {
      outcome.notApplicable = e.reason;
      return r.props;
    }
    throw e;
  }
}

function named(resource: ResourceUnderTest, ctx: Context): ResourceUnderTest & { name: string; urn: string } {
  const name = resource.name ?? "subject";
  return { ...resource, name, urn: resource.urn ?? urnOf(ctx.stack, resource.type, name) };
}

/** The engine's Remediate call: every remediate-level policy, in pack order, each seeing the last one's result. */
async function remediateAll(
  policies: Policies,
  resource: ResourceUnderTest,
  ctx: Context,
  outcomes: Map<string, Outcome>,
): Promise<Record<string, unknown>> {
  let current = named(resource, ctx);
  for (const policy of policies) {
    if (levelOf(policy, ctx) !== "remediate" || !internals.isResourcePolicy(policy)) continue;
    const outcome: Outcome = { policyName: policy.name, enforcementLevel: "mandatory", violations: [] };
    outcomes.set(policy.name, outcome);
    current = { ...current, props: await remediate(policy, current, ctx, outcome) };
  }
  return current.props;
}

/** The engine's Analyze call for one policy; `props` are the inputs after any remediation. */
async function analyzeResource(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
  ctx: Context,
  props = resource.props,
  prior?: Outcome,
): Promise<Outcome> {
  const r = named(resource, ctx);
  let level = levelOf(policy, ctx);
  const outcome: Outcome = prior ?? { policyName: policy.name, enforcementLevel: level, violations: [] };
  if (level === "disabled" || !internals.isResourcePolicy(policy)) return outcome;
  if (level === "remediate") {
    // A violation that survives remediation is reported as mandatory.
    level = "mandatory";
    outcome.enforcementLevel = level;
  }
  if (!policy.validateResource) {
    outcome.notApplicable = "Policy does not implement validateResource";
    return outcome;
  }
  if (!Array.isArray(policy.validateResource)) {
    const pulumiType = internals.getPulumiType(policy.validateResource);
    if (pulumiType && r.type !== pulumiType) {
      outcome.notApplicable = `Policy only applies to resources of type '${pulumiType}'`;
      return outcome;
    }
  }
  const report = reporter(policy, level, outcome.violations);
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  for (const validation of validations) {
    try {
      const proxied = unknownCheckingProxy(overTheWire(props));
      const args = {
        type: r.type,
        props: proxied,
        urn: r.urn,
        name: r.name,
        opts: optionsOf(r),
        stackTags: ctx.stackTags,
        ...typeChecks(r.type),
        asType: (cls: unknown) => (internals.getPulumiType(cls) === r.type ? proxied : undefined),
        getConfig: getConfigFor(policy.name, ctx),
        notApplicable: throwNotApplicable,
      } as ResourceValidationArgs;
      const provider = providerOf(r, ctx.stack);
      if (provider) args.provider = provider;
      await Promise.resolve(validation(args, report));
    } catch (e) {
      if (e instanceof UnknownValueError) outcome.violations.push(previewGap(policy, e));
      else if (e instanceof NotApplicableError) outcome.notApplicable = e.reason;
      else
        throw new Error(`Error validating resource with policy '${policy.name}': ${String((e as Error).stack ?? e)}`, {
          cause: e,
        });
    }
  }
  return outcome;
}

function toPolicyResources(resources: ResourceUnderTest[], ctx: Context): PolicyResource[] {
  const intermediates = resources.map((raw) => {
    const name = raw.name ?? "subject";
    const urn = raw.urn ?? urnOf(ctx.stack, raw.type, name);
    const props = unknownCheckingProxy(overTheWire(raw.props));
    const resource: PolicyResource = {
      type: raw.type,
      props,
      urn,
      name,
      opts: optionsOf(raw),
      dependencies: [],
      propertyDependencies: {},
      ...typeChecks(raw.type),
      asType: (cls: unknown) => (internals.getPulumiType(cls) === raw.type ? (props as any) : undefined),
    };
    const provider = providerOf(raw, ctx.stack);
    if (provider) resource.provider = provider;
    return { resource, raw };
  });
  const byUrn = new Map(intermediates.map((i) => [i.resource.urn, i.resource]));
  for (const { resource, raw } of intermediates) {
    const parent = raw.parent ? byUrn.get(raw.parent) : undefined;
    if (parent) resource.parent = parent;
    resource.dependencies = (raw.dependencies ?? [])
      .map((u) => byUrn.get(u))
      .filter((d): d is PolicyResource => d !== undefined);
    for (const [k, urns] of Object.entries(raw.propertyDependencies ?? {})) {
      resource.propertyDependencies[k] = urns
        .map((u) => byUrn.get(u))
        .filter((d): d is PolicyResource => d !== undefined);
    }
  }
  return intermediates.map((i) => i.resource);
}

async function analyzeStack(
  policy: StackValidationPolicy,
  resources: ResourceUnderTest[],
  ctx: Context,
): Promise<Outcome> {
  let level = levelOf(policy, ctx);
  const outcome: Outcome = { policyName: policy.name, enforcementLevel: level, violations: [] };
  if (level === "disabled" || !internals.isStackPolicy(policy)) return outcome;
  // Stack policies cannot remediate; the server treats the level as mandatory.
  if (level === "remediate") level = outcome.enforcementLevel = "mandatory";
  const pulumiType = internals.getPulumiType(policy.validateStack);
  if (pulumiType && !resources.some((r) => r.type === pulumiType)) {
    outcome.notApplicable = `Policy only applies to resources of type '${pulumiType}'`;
    return outcome;
  }
  const report = reporter(policy, level, outcome.violations);
  try {
    const args: StackValidationArgs = {
      resources: toPolicyResources(resources, ctx),
      getConfig: getConfigFor(policy.name, ctx),
      stackTags: ctx.stackTags,
      notApplicable: throwNotApplicable,
    };
    await Promise.resolve(policy.validateStack(args, report));
  } catch (e) {
    if (e instanceof UnknownValueError) outcome.violations.push(previewGap(policy, e));
    else if (e instanceof NotApplicableError) outcome.notApplicable = e.reason;
    else
      throw new Error(`Error validating stack with policy '${policy.name}': ${String((e as Error).stack ?? e)}`, {
        cause: e,
      });
  }
  return outcome;
}

/** Runs one resource policy on one resource, as the engine's Analyze call does. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
  options: RunOptions = {},
): Promise<Outcome> {
  const ctx = contextFor([policy], options);
  const remediations = new Map<string, Outcome>();
  const props = await remediateAll([policy], resource, ctx, remediations);
  return analyzeResource(policy, resource, ctx, props, remediations.get(policy.name));
}

/** Runs one stack policy over a stack, as the engine's AnalyzeStack call does. */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: ResourceUnderTest[],
  options: RunOptions = {},
): Promise<Outcome> {
  return analyzeStack(policy, resources, contextFor([policy], options));
}

/** Runs a whole pack: every resource policy on every resource, then every stack policy on the stack. */
export async function runPack(
  policies: Policies,
  resources: ResourceUnderTest[],
  options: RunOptions = {},
): Promise<Violation[]> {
  const ctx = contextFor(policies, options);
  const violations: Violation[] = [];
  for (const r of resources) {
    const remediations = new Map<string, Outcome>();
    const props = await remediateAll(policies, r, ctx, remediations);
    for (const policy of policies) {
      if (!internals.isResourcePolicy(policy)) continue;
      violations.push(...(await analyzeResource(policy, r, ctx, props, remediations.get(policy.name))).violations);
    }
  }
  for (const policy of policies) {
    if (internals.isStackPolicy(policy))
      violations.push(...(await analyzeStack(policy as StackValidationPolicy, resources, ctx)).violations);
  }
  return violations;
}
