// Pulumi Cloud: publish the policy pack and enforce it server-side on each stack through a policy group, with
// that stack's settings (stacks/policy.<stack>.json) — so a `pulumi up` without `--policy-pack` is still judged
// by the pack. A dry run by default: it prints the commands and calls nothing. docs/deploying.md.
//
//   npm run policy:publish -- --org <org> [--apply] [stack…]
//
// Each step is idempotent: an already published version is not published again, an existing group is not
// created again, a stack already in its group is not added again; enabling replaces the group's settings.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const PACK_DIR = "policy-pack";

/** One Pulumi Cloud policy group per stack that Pulumi Cloud deploys; `local` lives in a file backend. */
export const STACK_POLICY_GROUPS: readonly { stack: string; group: string }[] = [
  { stack: "dev", group: "coder-blueprint-dev" },
  { stack: "prod", group: "coder-blueprint-prod" },
];

export interface PublishInputs {
  org: string;
  /** The Pulumi project's name (Pulumi.yaml), which qualifies stacks in a policy group. */
  project: string;
  /** The pack's name and version as its package.json gives them; the analyzer reports the same pair. */
  pack: string;
  version: string;
  stacks: readonly { stack: string; group: string }[];
}

/** What the skip checks read from the CLI's `--output json` answers (`policy get`, `policy group get`). */
export interface CliAnswer {
  name?: string;
  versionTag?: string;
  stacks?: { name?: string; routingProject?: string }[] | null;
}

/** A CLI call; `unless` is a read-only query whose JSON answer, when `holds`, makes the call unnecessary. */
export interface Step {
  why: string;
  argv: string[];
  cwd?: string;
  unless?: { argv: string[]; says: string; holds: (answer: CliAnswer | undefined) => boolean };
}

export function policyConfigFile(stack: string): string {
  return `stacks/policy.${stack}.json`;
}

/** Every call, in order, that publishes the pack and enables it on each stack's policy group. */
export function publishSteps(inputs: PublishInputs): Step[] {
  const { org, project, pack, version } = inputs;
  const ref = `${org}/${pack}`;
  const steps: Step[] = [
    {
      why: `publish ${pack} ${version} to ${org}`,
      argv: ["policy", "publish", org, "--output", "json"],
      cwd: PACK_DIR,
      unless: {
        argv: ["policy", "get", ref, version, "--output", "json"],
        says: `${ref} ${version} is already published`,
        holds: (answer) => answer?.versionTag === version,
      },
    },
  ];
  for (const { stack, group } of inputs.stacks) {
    const config = policyConfigFile(stack);
    const qualified = `${project}/${stack}`;
    const groupQuery = ["policy", "group", "get", group, "--org", org, "--output", "json"];
    steps.push(
      {
        why: `a preventative policy group for ${stack}`,
        argv: ["policy", "group", "new", group, "--org", org, "--mode", "preventative", "--yes"],
        unless: { argv: groupQuery, says: `group ${group} exists`, holds: (answer) => answer?.name === group },
      },
      {
        why: `${qualified} in ${group}`,
        argv: ["policy", "group", "edit", group, "--org", org, "--add-stack", qualified],
        unless: {
          argv: groupQuery,
          says: `${group} already holds ${qualified}`,
          holds: (answer) => (answer?.stacks ?? []).some((s) => s?.name === stack && s?.routingProject === project),
        },
      },
      {
        why: `${config} against the published pack's schema`,
        argv: ["policy", "validate-config", ref, version, "--config", config],
      },
      {
        why: `enforce ${pack} ${version} on ${group} with ${config}`,
        argv: ["policy", "enable", ref, version, "--policy-group", group, "--config", config],
      },
    );
  }
  return steps;
}

/** The pack's name and version, the project's name, and the rows for the requested stacks (default: all). */
export function repositoryInputs(org: string, requested: readonly string[]): PublishInputs {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, PACK_DIR, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  const project = (parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string }).name;
  const unknown = requested.filter((s) => !STACK_POLICY_GROUPS.some((row) => row.stack === s));
  if (unknown.length > 0) {
    throw new Error(
      `no policy group for ${unknown.join(", ")} (known: ${STACK_POLICY_GROUPS.map((r) => r.stack).join(", ")})`,
    );
  }
  const stacks = STACK_POLICY_GROUPS.filter((row) => requested.length === 0 || requested.includes(row.stack));
  return { org, project, pack: pkg.name, version: pkg.version, stacks };
}

function shellWords(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w./@:=-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
}

/** The dry run's listing: each command as a user would type it, with its reason and skip condition. */
export function describeSteps(steps: readonly Step[]): string {
  return steps
    .map((s) => {
      const cd = s.cwd ? `(cd ${s.cwd} && ` : "";
      const unless = s.unless ? `\n#   skipped when ${s.unless.says} (pulumi ${shellWords(s.unless.argv)})` : "";
      return `# ${s.why}${unless}\n${cd}pulumi ${shellWords(s.argv)}${s.cwd ? ")" : ""}`;
    })
    .join("\n\n");
}

function query(argv: readonly string[]): CliAnswer | undefined {
  const r = spawnSync("pulumi", argv, { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout) as CliAnswer;
  } catch {
    return undefined;
  }
}

function apply(steps: readonly Step[]): void {
  for (const step of steps) {
    if (step.unless && step.unless.holds(query(step.unless.argv))) {
      console.log(`- ${step.why}: skipped, ${step.unless.says}`);
      continue;
    }
    console.log(`- ${step.why}: pulumi ${shellWords(step.argv)}`);
    const r = spawnSync("pulumi", step.argv, { cwd: path.join(ROOT, step.cwd ?? ""), stdio: "inherit" });
    if (r.status !== 0) throw new Error(`pulumi ${shellWords(step.argv)} exited with ${r.status ?? r.signal}`);
  }
}

function main(args: readonly string[]): void {
  const orgAt = args.indexOf("--org");
  const org = orgAt >= 0 ? args[orgAt + 1] : undefined;
  if (!org || org.startsWith("--")) throw new Error("usage: npm run policy:publish -- --org <org> [--apply] [stack…]");
  const requested = args.filter((a, i) => !a.startsWith("--") && i !== orgAt + 1);
  const steps = publishSteps(repositoryInputs(org, requested));
  if (args.includes("--apply")) {
    apply(steps);
  } else {
    console.log(describeSteps(steps));
    console.log("\n# Dry run: nothing was called. Add --apply (after `pulumi login` to Pulumi Cloud) to run these.");
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
