// `npm run plan [-- --stack local|dev|prod ...] [--out DIR]`: what each stack would deploy and whether the
// policy pack lets it, offline. See docs/plan.md.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Listr, PRESET_TIMER } from "listr2";
import { RESPONSIBILITY_DOC, responsibilityRows } from "../policy-docs";
import { PROJECT_ROOT, SHIPPED_STACKS, stackConfig, stackConfigFromFile } from "../../test/harness/stacks";
import { Violation } from "../../policy-pack/test/harness/analyzer";
import { manifestYaml, manifests, resourceList, stateFile } from "./outputs";
import { report, summaryLines } from "./report";
import { analyzeWithCli, planStack, pulumiOnPath, readPackConfig, StackPlan } from "./run";

const USAGE = `Usage: npm run plan -- [options]

Runs the blueprint's program for each stack under Pulumi's mock runtime (no cloud, cluster or CLI needed),
judges it with the policy pack, and writes resources.json, state.json, manifests/ and report.md.

  --stack NAME          local, dev or prod; repeat for several (default: all three)
  --out DIR             output folder (default: out/plan); each stack writes to DIR/<stack>/
  --stack-file FILE     plan this stack file instead of stacks/Pulumi.<stack>.yaml (one --stack only)
  --policy-config FILE  pack settings (default: stacks/policy.<stack>.json)
  --analyzer WHICH      auto (default: the Pulumi CLI when \`pulumi\` is on PATH, else the in-repo harness),
                        cli or harness
  --quiet               no progress display
  -h, --help            this text

Exits 1 when a mandatory policy fails, 2 on a usage error.`;

const OPTIONS = {
  stack: { type: "string", multiple: true },
  out: { type: "string", default: "out/plan" },
  "stack-file": { type: "string" },
  "policy-config": { type: "string" },
  analyzer: { type: "string", default: "auto" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export interface StackResult {
  stack: string;
  dir: string;
  analyzer: string;
  violations: Violation[];
  /** The in-repo harness's verdicts, also when the CLI judged (the e2e suite compares the two). */
  harness: Violation[];
  summary: string[];
}

interface Context {
  plan?: StackPlan;
  violations?: Violation[];
  analyzer?: string;
}

class UsageError extends Error {}

/** The SDK that ran the program, as the state file's manifest version when no CLI is on PATH. */
const SDK_VERSION = (
  JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }
).version;

function options(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  const stacks = values.stack ?? [...SHIPPED_STACKS];
  if (values["stack-file"] && stacks.length !== 1) throw new UsageError("--stack-file needs exactly one --stack");
  for (const s of stacks) {
    if (!values["stack-file"] && !(SHIPPED_STACKS as readonly string[]).includes(s)) {
      throw new UsageError(`unknown stack "${s}": choose ${SHIPPED_STACKS.join(", ")} (or give --stack-file)`);
    }
  }
  if (!["auto", "cli", "harness"].includes(values.analyzer)) {
    throw new UsageError(`--analyzer must be auto, cli or harness, not "${values.analyzer}"`);
  }
  return { ...values, stacks };
}

/** Plans every requested stack and writes its files; resolves to the results, one per stack. */
export async function plan(argv: string[]): Promise<StackResult[]> {
  const o = options(argv);
  const cliVersion = o.analyzer === "harness" ? undefined : pulumiOnPath();
  if (o.analyzer === "cli" && !cliVersion) throw new UsageError("--analyzer cli: no `pulumi` on PATH");
  const rows = responsibilityRows(fs.readFileSync(RESPONSIBILITY_DOC, "utf8"));
  const results: StackResult[] = [];
  const tasks = new Listr<Context, "default" | "silent", "simple">(
    o.stacks.map((stack) => ({
      title: `Plan the ${stack} stack`,
      task: (_ctx, task) => {
        const dir = path.resolve(PROJECT_ROOT, o.out, stack);
        const packConfigFile = path.resolve(
          o["policy-config"] ?? path.join(PROJECT_ROOT, "stacks", `policy.${stack}.json`),
        );
        const ctx: Context = {};
        return task.newListr(
          [
            {
              title: "Run the program under mocks and judge it with the in-repo harness",
              task: async () => {
                const cfg = o["stack-file"]
                  ? stackConfigFromFile(path.resolve(o["stack-file"]), stack)
                  : stackConfig(stack);
                ctx.plan = await planStack(stack, cfg, readPackConfig(packConfigFile));
                ctx.violations = ctx.plan.harness;
                ctx.analyzer = "the in-repo harness (the pack's own analyzer server, run in-process by this tool)";
              },
            },
            {
              title: "Write resources.json, state.json and manifests/",
              task: () => {
                const p = ctx.plan!;
                fs.rmSync(dir, { recursive: true, force: true });
                fs.mkdirSync(path.join(dir, "manifests"), { recursive: true });
                const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
                fs.writeFileSync(path.join(dir, "resources.json"), json(resourceList(p.resources)));
                const version = cliVersion?.replace(/^v/, "") ?? SDK_VERSION;
                fs.writeFileSync(path.join(dir, "state.json"), json(stateFile(stack, p.resources, p.outputs, version)));
                for (const m of manifests(p.resources)) {
                  fs.writeFileSync(path.join(dir, "manifests", m.file), manifestYaml(m));
                }
              },
            },
            {
              title: "Judge state.json with `pulumi policy analyze`",
              enabled: () => cliVersion !== undefined,
              task: () => {
                ctx.violations = analyzeWithCli(path.join(dir, "state.json"), packConfigFile);
                ctx.analyzer =
                  "the Pulumi engine's analyzer " +
                  `(\`pulumi policy analyze --file state.json\`, Pulumi CLI ${cliVersion})`;
              },
            },
            {
              title: "Write report.md",
              task: () => {
                const p = ctx.plan!;
                const input = { stack, resources: p.resources, outputs: p.outputs, rows };
                const violations = ctx.violations!;
                fs.writeFileSync(
                  path.join(dir, "report.md"),
                  report({ ...input, violations, analyzer: ctx.analyzer! }),
                );
                results.push({
                  stack,
                  dir,
                  analyzer: ctx.analyzer!,
                  violations,
                  harness: p.harness,
                  summary: summaryLines(p.resources, violations),
                });
              },
            },
          ],
          { concurrent: false },
        );
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      // A live task list on a terminal, one line per step with its time elsewhere (CI logs).
      renderer: o.quiet ? "silent" : "default",
      fallbackRenderer: "simple",
      rendererOptions: { timer: PRESET_TIMER },
      fallbackRendererOptions: { timer: PRESET_TIMER },
    },
  );
  await tasks.run();
  return results;
}

/** The CLI: prints what was planned and judged; the exit code says whether a mandatory policy failed. */
export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  let results: StackResult[];
  try {
    if (parseArgs({ args: argv, options: OPTIONS, strict: false }).values.help) {
      log(USAGE);
      return 0;
    }
    results = await plan(argv);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      log(`${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  log("\nThis is a plan from Pulumi's mock runtime, not a deployment: nothing was created.");
  let failed = false;
  for (const r of results) {
    const mandatory = r.violations.filter((v) => v.enforcementLevel === "mandatory");
    failed ||= mandatory.length > 0;
    log(`\n${r.stack}: ${path.relative(process.cwd(), r.dir) || "."}/report.md — judged by ${r.analyzer}`);
    for (const line of r.summary) log(`  ${line}`);
    for (const v of mandatory) log(`  MANDATORY ${v.policyName}: ${v.detail.split("\n")[0]}`);
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
