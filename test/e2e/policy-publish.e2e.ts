// The Pulumi Cloud path calls real subcommands with real flags: each command of scripts/policy-publish.ts
// (and each query it uses to skip a step) is checked against the toolchain CLI's own help. Nothing here
// reaches Pulumi Cloud.
import * as assert from "assert";
import { spawnSync } from "child_process";
import { publishSteps, repositoryInputs } from "../../scripts/policy-publish";

describe("policy-publish against the real CLI", () => {
  const steps = publishSteps(repositoryInputs("acme", []));
  // One check per subcommand and set of flags; the subcommand is `policy <verb>` or `policy group <verb>`.
  const calls = new Map<string, { sub: string[]; flags: string[] }>();
  for (const argv of steps.flatMap((s) => (s.unless ? [s.argv, s.unless.argv] : [s.argv]))) {
    const sub = argv.slice(0, argv[1] === "group" ? 3 : 2);
    const flags = argv.filter((a) => a.startsWith("--"));
    calls.set(`pulumi ${sub.join(" ")} takes ${flags.join(" ") || "no flags"}`, { sub, flags });
  }

  for (const [title, { sub, flags }] of calls) {
    it(title, () => {
      const r = spawnSync("pulumi", [...sub, "--help"], { encoding: "utf8" });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^Usage:\\n  pulumi ${sub.join(" ")} `, "m"));
      for (const flag of flags) {
        assert.match(r.stdout, new RegExp(`\\s${flag}[ =]`), `${flag} is not a flag of pulumi ${sub.join(" ")}`);
      }
    });
  }
});
