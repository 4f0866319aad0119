// The plan's state.json judged by the real engine: `pulumi policy analyze --file state.json` (the CLI the
// e2e toolchain built) must accept the file and reach the same verdicts as the in-repo harness, for every
// shipped stack and for the insecure fixture that the harness fails.
import "../harness/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan, StackResult } from "../../scripts/plan/cli";
import { Violation } from "../../policy-pack/test/harness/analyzer";
import { PROJECT_ROOT, SHIPPED_STACKS } from "../harness/stacks";

const INSECURE = path.join(PROJECT_ROOT, "test", "fixtures", "plan", "Pulumi.insecure.yaml");

const verdicts = (vs: readonly Violation[]) => vs.map((v) => `${v.enforcementLevel} ${v.policyName}`).sort();

function assertSameVerdicts(r: StackResult): void {
  assert.match(r.analyzer, /pulumi policy analyze/, `${r.stack}: judged by ${r.analyzer}`);
  assert.deepStrictEqual(verdicts(r.violations), verdicts(r.harness), `${r.stack}: the CLI and the harness disagree`);
  // The engine prints the policy's description before the reported message; the message itself is the same.
  for (const h of r.harness) {
    assert.ok(
      r.violations.some((v) => v.policyName === h.policyName && v.message.includes(h.detail)),
      `${r.stack}: the CLI reported no "${h.policyName}" violation saying: ${h.detail}`,
    );
  }
}

describe("npm run plan, judged by the real `pulumi policy analyze`", function () {
  this.timeout(900_000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-e2e-"));
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("accepts state.json for every shipped stack and agrees with the harness", async () => {
    const results = await plan(["--out", out, "--analyzer", "cli", "--quiet"]);
    assert.deepStrictEqual(
      results.map((r) => r.stack),
      [...SHIPPED_STACKS],
    );
    for (const r of results) {
      assertSameVerdicts(r);
      assert.deepStrictEqual(
        r.violations.filter((v) => v.enforcementLevel === "mandatory"),
        [],
      );
    }
  });

  it("fails the insecure fixture on the same mandatory policy as the harness", async () => {
    const [r] = await plan([
      "--stack",
      "local",
      "--stack-file",
      INSECURE,
      "--out",
      out,
      "--analyzer",
      "cli",
      "--quiet",
    ]);
    assertSameVerdicts(r);
    assert.deepStrictEqual(
      r.violations
        .filter((v) => v.enforcementLevel === "mandatory")
        .map((v) => v.policyName)
        .sort(),
      // The fixture's own registry reaches coderd's image and the workspace admission rule built from it.
      ["missing-workspace-admission", "unapproved-images"],
    );
  });
});
