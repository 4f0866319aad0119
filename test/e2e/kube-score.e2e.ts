// kube-score (built by scripts/e2e-tools.sh) over the manifests `npm run plan` writes for every shipped
// stack: each critical finding is either fixed in the blueprint or explained in docs/kube-score.md, and an
// explanation that no longer matches a finding is stale. Warnings are kube-score's advice, not checked here.
import "../harness/mocks";
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../scripts/plan/cli";
import { PROJECT_ROOT, SHIPPED_STACKS } from "../harness/stacks";
import { acceptedFindings, criticalFindings, explains, Finding, findingText } from "./kube-score";

const DOC = path.join(PROJECT_ROOT, "docs", "kube-score.md");

function kubeScore(files: string[]): unknown {
  const args = ["score", "--output-format", "json", "--kubernetes-version", "v1.33"];
  const r = spawnSync("kube-score", [...args, ...files], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) assert.fail(`kube-score: ${r.error.message} (build it: scripts/e2e-tools.sh kube-score)`);
  // It exits 1 when any check is critical, and 0 otherwise; anything else is a failure to run.
  assert.ok(r.status === 0 || r.status === 1, `kube-score exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe("kube-score over the plan's manifests", function () {
  this.timeout(900_000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "kube-score-e2e-"));
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("finds no critical finding that docs/kube-score.md does not explain, in any shipped stack", async () => {
    await plan(["--out", out, "--analyzer", "harness", "--quiet"]);
    const found: Finding[] = [];
    for (const stack of SHIPPED_STACKS) {
      const dir = path.join(out, stack, "manifests");
      const files = fs.readdirSync(dir).sort();
      assert.ok(files.length > 0, `${stack}: no manifests planned`);
      found.push(...criticalFindings(stack, kubeScore(files.map((f) => path.join(dir, f)))));
    }
    const accepted = acceptedFindings(fs.readFileSync(DOC, "utf8"));
    const unexplained = found.filter((f) => !accepted.some((a) => explains(a, f))).map(findingText);
    assert.deepStrictEqual(unexplained, [], "critical findings with no row in docs/kube-score.md (fix or explain)");
    const stale = accepted.filter((a) => !a.stacks.every((s) => found.some((f) => f.stack === s && explains(a, f))));
    assert.deepStrictEqual(
      stale.map((a) => a.row),
      [],
      "rows of docs/kube-score.md that kube-score no longer finds in every stack they name (narrow or remove them)",
    );
  });
});
