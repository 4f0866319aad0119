// One stack's plan: the real program (blueprint.ts, the functions index.ts calls) run as a first
// `pulumi preview` under the test suite's mock runtime, then judged by the policy pack — by the real
// engine's `pulumi policy analyze` over the plan's state file when a Pulumi CLI is on PATH, otherwise by
// the pack's own analyzer server run in-process (policy-pack/test/harness/analyzer.ts).
import "../../test/harness/mocks";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BlueprintConfig } from "../../config";
import { policies } from "../../policy-pack/policies";
import { PackConfigFile, PREVIEW_GAP, runPack, Violation } from "../../policy-pack/test/harness/analyzer";
import { previewWithOutputs } from "../../test/harness/deploy";
import { RecordedResource } from "../../test/harness/mocks";
import { defaultProvider, toPolicyResources } from "../../test/harness/policy-resources";
import { secret } from "../../policy-pack/test/harness/analyzer";
import { PROJECT_ROOT } from "../../test/harness/stacks";
import { PlannedResource } from "./outputs";

/** The mock runtime's own stack name, which every URN it hands out carries. */
const MOCK_PREFIX = "urn:pulumi:test::";

/** The URN the mock monitor gives a resource (runtime/mocks.js newUrn): the parent's type qualifies it. */
function mockUrn(r: RecordedResource): string {
  const type = r.parent ? `${r.parent.split("::")[2].split("$").pop()}$${r.type}` : r.type;
  return `${MOCK_PREFIX}${["coder-blueprint", type, r.name].join("::")}`;
}

const forStack = (urn: string, stack: string) =>
  urn.startsWith(MOCK_PREFIX) ? `urn:pulumi:${stack}::${urn.slice(MOCK_PREFIX.length)}` : urn;

/**
 * The recorded registrations as resources of `stack`, plus the engine's default provider for every package
 * whose resources name no provider (the engine registers `default_<version>` for them).
 */
export function plannedResources(recorded: readonly RecordedResource[], stack: string): PlannedResource[] {
  const defaults = new Map<string, PlannedResource>();
  const planned = recorded.map((r): PlannedResource => {
    let provider = r.provider && forStack(r.provider, stack);
    if (r.custom && !r.provider && !r.type.startsWith("pulumi:providers:")) {
      const pkg = r.type.split(":")[0];
      const p = defaultProvider(pkg, stack);
      if (!defaults.has(pkg)) {
        defaults.set(pkg, { urn: p.urn!, type: p.type!, name: p.name, custom: true, inputs: p.props ?? {} });
      }
      provider = `${p.urn}::${p.name}-id`;
    }
    return {
      urn: forStack(mockUrn(r), stack),
      type: r.type,
      name: r.name,
      custom: r.custom,
      ...(r.parent ? { parent: forStack(r.parent, stack) } : {}),
      ...(provider ? { provider } : {}),
      inputs: (r.inputs ?? {}) as Record<string, unknown>,
    };
  });
  return [...defaults.values(), ...planned];
}

/** A program output's value, a secret wrapper for a secret one, or the SDK's unknown when the cloud computes it. */
async function settle(value: unknown): Promise<unknown> {
  // isKnown, isSecret and promise() are the SDK's own (internal) accessors; apply() never runs on an unknown.
  const o = pulumi.output(value) as unknown as {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(): Promise<unknown>;
  };
  if (!(await o.isKnown)) return pulumi.unknown;
  const resolved = await o.promise();
  return (await o.isSecret) ? secret(resolved) : resolved;
}

export interface Verdicts {
  /** Who judged: the engine's analyzer through the CLI, or the in-repo harness. */
  analyzer: string;
  violations: Violation[];
}

export interface StackPlan {
  stack: string;
  cfg: BlueprintConfig;
  resources: PlannedResource[];
  /** The program's stack outputs; unknown where the cloud computes them. */
  outputs: Record<string, unknown>;
  packConfig: PackConfigFile;
  /** The in-repo harness's verdicts, always computed (the report's per-policy rows come from them). */
  harness: Violation[];
}

/** Runs the program for one stack under mocks and judges it with the in-repo harness. */
export async function planStack(stack: string, cfg: BlueprintConfig, packConfig: PackConfigFile): Promise<StackPlan> {
  const { resources: recorded, outputs: programOutputs } = await previewWithOutputs(cfg);
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(programOutputs)) outputs[k] = await settle(v);
  const harness = await runPack(policies, toPolicyResources(recorded, stack), { config: packConfig, stack });
  return { stack, cfg, resources: plannedResources(recorded, stack), outputs, packConfig, harness };
}

export const PACK_DIR = path.join(PROJECT_ROOT, "policy-pack");

/** `pulumi version`, or undefined when no Pulumi CLI is on PATH. */
export function pulumiOnPath(): string | undefined {
  const r = spawnSync("pulumi", ["version"], { encoding: "utf8", env: cliEnv() });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", NO_COLOR: "1" };
}

/** The engine's level names (apitype.EnforcementLevel) are the pack's. */
interface EngineEvent {
  policyEvent?: { resourceUrn?: string; message: string; policyName: string; enforcementLevel: string };
}

/**
 * `pulumi policy analyze --file state.json` with the stack's pack settings, read from its JSON events.
 * Throws when the CLI fails for any other reason than a mandatory violation.
 */
export function analyzeWithCli(stateFile: string, packConfigFile: string): Violation[] {
  const args = ["policy", "analyze", "--file", stateFile, "--policy-pack", PACK_DIR];
  args.push("--policy-pack-config", packConfigFile, "--json", "--non-interactive");
  const r = spawnSync("pulumi", args, {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: cliEnv(),
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  if (r.error) throw r.error;
  const violations: Violation[] = [];
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const e = JSON.parse(line) as EngineEvent;
    if (!e.policyEvent) continue;
    const p = e.policyEvent;
    violations.push({
      policyName: p.policyName,
      message: p.message,
      detail: p.message.replace(PREVIEW_GAP, ""),
      enforcementLevel: p.enforcementLevel as Violation["enforcementLevel"],
      ...(p.resourceUrn ? { urn: p.resourceUrn } : {}),
    });
  }
  const mandatory = violations.some((v) => v.enforcementLevel === "mandatory");
  if (r.status !== 0 && !mandatory) {
    throw new Error(`pulumi ${args.join(" ")} exited ${r.status}:\n${(r.stderr || r.stdout).slice(-4000)}`);
  }
  return violations;
}

export const readPackConfig = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as PackConfigFile;
