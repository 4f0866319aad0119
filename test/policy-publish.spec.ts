// The Pulumi Cloud path (scripts/policy-publish.ts): which commands it runs, for which stacks, with which
// settings, and that --apply skips what is already in place. The flags are checked against the real CLI's
// help in the e2e suite (test/e2e/policy-publish.e2e.ts).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACK_NAME } from "../policy-pack/policies";
import {
  describeSteps,
  policyConfigFile,
  publishSteps,
  repositoryInputs,
  STACK_POLICY_GROUPS,
} from "../scripts/policy-publish";
import { PROJECT_ROOT } from "./harness/stacks";

const command = (argv: string[]): string => `pulumi ${argv.join(" ")}`;

describe("policy-publish", () => {
  const inputs = repositoryInputs("acme", []);
  const steps = publishSteps(inputs);
  const commands = steps.map((s) => command(s.argv));

  it("publishes under the name the pack reports, and covers every stack but the file-backed local one", () => {
    assert.strictEqual(inputs.pack, PACK_NAME);
    assert.strictEqual(inputs.project, "coder-blueprint");
    const shipped = fs
      .readdirSync(path.join(PROJECT_ROOT, "stacks"))
      .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
      .filter((s) => s !== "local")
      .sort();
    assert.deepStrictEqual(STACK_POLICY_GROUPS.map((r) => r.stack).sort(), shipped);
    assert.strictEqual(new Set(STACK_POLICY_GROUPS.map((r) => r.group)).size, STACK_POLICY_GROUPS.length);
    for (const { stack } of STACK_POLICY_GROUPS) {
      assert.ok(fs.existsSync(path.join(PROJECT_ROOT, policyConfigFile(stack))), policyConfigFile(stack));
    }
  });

  it("publishes from the pack's folder, then enables it on each stack's group with that stack's settings", () => {
    assert.strictEqual(steps[0].cwd, "policy-pack");
    assert.strictEqual(commands[0], "pulumi policy publish acme --output json");
    const v = inputs.version;
    for (const { stack, group } of STACK_POLICY_GROUPS) {
      const validate = commands.indexOf(
        `pulumi policy validate-config acme/${PACK_NAME} ${v} --config stacks/policy.${stack}.json`,
      );
      const enable = commands.indexOf(
        `pulumi policy enable acme/${PACK_NAME} ${v} --policy-group ${group} --config stacks/policy.${stack}.json`,
      );
      const add = commands.indexOf(`pulumi policy group edit ${group} --org acme --add-stack coder-blueprint/${stack}`);
      const create = commands.indexOf(`pulumi policy group new ${group} --org acme --mode preventative --yes`);
      assert.ok(0 < create && create < add && add < validate && validate < enable, commands.join("\n"));
    }
  });

  it("runs only the requested stacks and refuses an unknown one", () => {
    const prodOnly = publishSteps(repositoryInputs("acme", ["prod"])).map((s) => command(s.argv));
    assert.ok(prodOnly.some((c) => c.includes("--policy-group coder-blueprint-prod")));
    assert.ok(!prodOnly.some((c) => c.includes("coder-blueprint-dev")), prodOnly.join("\n"));
    assert.throws(() => repositoryInputs("acme", ["staging"]), /no policy group for staging/);
  });

  it("skips what is already in place, judged from the CLI's JSON answers", () => {
    const [publish, create, add] = steps;
    assert.ok(publish.unless?.holds({ name: PACK_NAME, versionTag: inputs.version }));
    assert.ok(!publish.unless?.holds({ name: PACK_NAME, versionTag: "0.0.1" }));
    assert.ok(!publish.unless?.holds(undefined));
    assert.ok(create.unless?.holds({ name: "coder-blueprint-dev", stacks: null }));
    assert.ok(!create.unless?.holds(undefined));
    assert.ok(add.unless?.holds({ stacks: [{ name: "dev", routingProject: "coder-blueprint" }] }));
    // The same stack name in another project is another stack.
    assert.ok(!add.unless?.holds({ stacks: [{ name: "dev", routingProject: "other" }] }));
    assert.ok(!add.unless?.holds({ name: "coder-blueprint-dev", stacks: null }));
  });

  it("lists commands a user can paste in a dry run", () => {
    const listing = describeSteps(steps);
    assert.match(listing, /^\(cd policy-pack && pulumi policy publish acme --output json\)$/m);
    assert.match(
      listing,
      /^pulumi policy enable acme\/coder-blueprint-policies \S+ --policy-group coder-blueprint-prod --config stacks\/policy\.prod\.json$/m,
    );
    assert.match(listing, /skipped when coder-blueprint-dev already holds coder-blueprint\/dev/);
  });

  it("--apply runs the steps through the pulumi on PATH, skipping what is in place", function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-publish-"));
    try {
      const log = path.join(dir, "calls.log");
      // A stand-in CLI: the pack is not published yet, the dev group exists and holds dev, prod has no group.
      const group = JSON.stringify({
        name: "coder-blueprint-dev",
        stacks: [{ name: "dev", routingProject: "coder-blueprint" }],
      });
      const stub = [
        "#!/usr/bin/env bash",
        'echo "$PWD :: $*" >>"$CALLS"',
        'case "$*" in',
        "  'policy get '*) exit 1 ;;",
        `  'policy group get coder-blueprint-dev '*) echo '${group}' ;;`,
        "  'policy group get '*) exit 1 ;;",
        "esac",
      ].join("\n");
      fs.writeFileSync(path.join(dir, "pulumi"), `${stub}\n`, { mode: 0o755 });
      const r = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", "scripts/policy-publish.ts", "--org", "acme", "--apply"],
        {
          cwd: PROJECT_ROOT,
          encoding: "utf8",
          env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, CALLS: log },
        },
      );
      assert.strictEqual(r.status, 0, `${r.stdout}${r.stderr}`);
      const ran = fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter((l) => !/ (get) /.test(l.split(" :: ")[1]));
      const v = inputs.version;
      assert.deepStrictEqual(ran, [
        `${path.join(PROJECT_ROOT, "policy-pack")} :: policy publish acme --output json`,
        `${PROJECT_ROOT} :: policy validate-config acme/${PACK_NAME} ${v} --config stacks/policy.dev.json`,
        `${PROJECT_ROOT} :: policy enable acme/${PACK_NAME} ${v} --policy-group coder-blueprint-dev --config stacks/policy.dev.json`,
        `${PROJECT_ROOT} :: policy group new coder-blueprint-prod --org acme --mode preventative --yes`,
        `${PROJECT_ROOT} :: policy group edit coder-blueprint-prod --org acme --add-stack coder-blueprint/prod`,
        `${PROJECT_ROOT} :: policy validate-config acme/${PACK_NAME} ${v} --config stacks/policy.prod.json`,
        `${PROJECT_ROOT} :: policy enable acme/${PACK_NAME} ${v} --policy-group coder-blueprint-prod --config stacks/policy.prod.json`,
      ]);
      assert.match(r.stdout, /skipped, coder-blueprint-dev already holds coder-blueprint\/dev/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
