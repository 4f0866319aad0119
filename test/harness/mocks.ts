// Pulumi's unit-test mocks, installed once per mocha process before any program module is imported.
// The AWS layer and Helm cannot be reached here, so every resource registration lands in `recorded`,
// where specs read the inputs the program sent to the engine.
//
// Two modes. `capture` runs as an update: every resource gets an invented `<name>-id` and echoes its
// inputs. `capturePreview` runs as `pulumi preview` does before anything exists: AWS resources (`aws:*`)
// get no ID and no provider-computed outputs (ARNs, endpoints, IDs), so those read as unknown in the
// program and arrive as unknown (`pulumi.isUnknown`) in the inputs of the resources that use them; a
// component that invented such a value would show it there. Other resources behave as in `capture`, and
// the account, region and partition data sources answer with fixed test values, as a real preview reads
// them from the account.
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  type: string;
  name: string;
  inputs: any;
  provider?: string;
  custom: boolean;
  /** The parent's URN (mock stack `test`); absent for a resource registered at the top of the program. */
  parent?: string;
}

let recorded: RecordedResource[] = [];

// The mock monitor does not pass a resource's parent to `newResource`, and the plan's state file needs it.
// The monitor calls `newResource` synchronously on entry to these methods, so the parent noted here is the
// one of the registration in progress.
let registeringParent: string | undefined;
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as {
  MockMonitor: { prototype: Record<string, (this: unknown, req: { getParent(): string }, cb: unknown) => unknown> };
};
for (const method of ["registerResource", "readResource"]) {
  const original = MockMonitor.prototype[method];
  MockMonitor.prototype[method] = function (req, callback) {
    registeringParent = req.getParent() || undefined;
    return original.call(this, req, callback);
  };
}

// What each component passed to registerOutputs, by URN: the outputs `pulumi stack` and the state show.
const componentOutputs = new Map<string, Record<string, unknown>>();
{
  const original = MockMonitor.prototype.registerResourceOutputs;
  MockMonitor.prototype.registerResourceOutputs = function (req, callback) {
    const r = req as unknown as { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } };
    componentOutputs.set(r.getUrn(), r.getOutputs()?.toJavaScript() ?? {});
    return original.call(this, req, callback);
  };
}

/**
 * The names of the outputs each component registered (ComponentResource.registerOutputs) since the last call,
 * by component type and name. A component registers them once its outputs resolve, so call this after
 * `capture` has settled.
 */
export function takeRegisteredOutputs(): Array<{ type: string; name: string; outputs: string[] }> {
  const taken = [...componentOutputs].map(([urn, outputs]) => {
    const [, , types, name] = urn.split("::");
    return { type: types.split("$").pop()!, name, outputs: Object.keys(outputs).sort() };
  });
  componentOutputs.clear();
  return taken;
}

/** Provider-computed outputs that the program reads back; everything else echoes the inputs. */
function computedOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  switch (args.type) {
    case "tls:index/privateKey:PrivateKey":
      return {
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\nmock-${args.name}\n-----END PRIVATE KEY-----\n`,
        publicKeyPem: "mock-public",
      };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: `-----BEGIN CERTIFICATE-----\nmock-${args.name}\n-----END CERTIFICATE-----\n` };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: "mock-csr" };
    default:
      return {};
  }
}

/**
 * A transformation (pass it in the component's `transformations`) that makes every resource of `type` report
 * `outputs(name)` as the outputs AWS would compute for it: the mocks echo a resource's inputs as its state, so
 * what is added to the inputs reads back as the provider's answer.
 */
export function reportsOutputs(
  type: string,
  outputs: (name: string) => Record<string, unknown>,
): pulumi.ResourceTransformation {
  return (t) => (t.type === type ? { props: { ...t.props, ...outputs(t.name) }, opts: t.opts } : undefined);
}

/** The account, region and partition a preview reads through data sources. */
export const PREVIEW_ACCOUNT = { accountId: "111122223333", region: "eu-west-1", partition: "aws" } as const;

/** What the account, region and partition lookups answer for PREVIEW_ACCOUNT; undefined for any other token. */
export function accountInvoke(token: string): Record<string, unknown> | undefined {
  const { accountId, region, partition } = PREVIEW_ACCOUNT;
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId, arn: `arn:${partition}:iam::${accountId}:user/test`, userId: "AIDTEST", id: accountId };
    case "aws:index/getRegion:getRegion":
      return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    case "aws:index/getPartition:getPartition":
      return { partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: partition };
    default:
      return undefined;
  }
}

let previewing = false;

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    recorded.push({
      type: args.type,
      name: args.name,
      inputs: args.inputs,
      provider: args.provider,
      custom: args.custom ?? false,
      ...(registeringParent ? { parent: registeringParent } : {}),
    });
    registeringParent = undefined;
    // An empty ID reads as unknown during a preview, and outputs missing from the state stay unknown.
    if (previewing && args.type.startsWith("aws:")) return { id: "", state: { ...args.inputs } };
    return { id: `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(args) } };
  },
  call(args) {
    return (previewing && accountInvoke(args.token)) || args.inputs;
  },
};

void pulumi.runtime.setMocks(mocks, "coder-blueprint", "test", false);

/**
 * Runs a program and returns every resource it registered. Registration is asynchronous, so this waits
 * for the program's outputs and then until no further registrations arrive.
 */
export async function capture(program: () => unknown): Promise<RecordedResource[]> {
  forgetEarlierRuns();
  const outputs = program();
  await new Promise<void>((resolve) => pulumi.output(outputs as any).apply(() => resolve()));
  return settle();
}

/**
 * Starts a run with nothing recorded, so that the outputs a component registers are read from this run only:
 * an entry left by an earlier run (another spec, or another mutant in the same test worker) could otherwise
 * stand in for outputs this run never registered.
 */
function forgetEarlierRuns(): void {
  recorded = [];
  componentOutputs.clear();
}

async function settle(quietRounds = 1): Promise<RecordedResource[]> {
  let settled = -1;
  let quiet = 0;
  for (;;) {
    quiet = settled === recorded.length ? quiet + 1 : 0;
    if (quiet >= quietRounds) break;
    settled = recorded.length;
    await new Promise((r) => setTimeout(r, 25));
  }
  const result = recorded;
  recorded = [];
  return result;
}

/**
 * Runs a program as a preview (see the header) and returns every resource it registered. Outputs that
 * stay unknown never run `apply`, so this waits only until no registration has arrived for a while.
 * Afterwards the mocks are back in update mode for `capture`.
 */
export async function capturePreview(program: () => unknown): Promise<RecordedResource[]> {
  forgetEarlierRuns();
  previewing = true;
  await pulumi.runtime.setMocks(mocks, "coder-blueprint", "test", true);
  try {
    program();
    return await settle(4);
  } finally {
    previewing = false;
    await pulumi.runtime.setMocks(mocks, "coder-blueprint", "test", false);
  }
}

/**
 * Resource options as the program set them (protect, retainOnDelete, dependsOn), which the mocks never
 * see: pass `transformations` in the options of the component under test, and read `of(type, name)` once
 * it has run. Transformations apply to every child of that component.
 */
export function optionsRecorder(): {
  transformations: pulumi.ResourceTransformation[];
  of: (type: string, name: string) => pulumi.ResourceOptions | undefined;
} {
  const options = new Map<string, pulumi.ResourceOptions>();
  return {
    transformations: [
      (args) => {
        options.set(`${args.type}::${args.name}`, args.opts);
        return undefined;
      },
    ],
    of: (type, name) => options.get(`${type}::${name}`),
  };
}
