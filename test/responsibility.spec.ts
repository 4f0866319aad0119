// docs/responsibility.md is the contract between Coder's shared-responsibility model and this project:
// every bullet names the component that does it, the guard that keeps it, and the test that proves it,
// under a key that policies cite in their metadata.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { RESPONSIBILITIES } from "../policy-pack/lib/responsibilities";
import { RESPONSIBILITY_DOC, responsibilityRows } from "../scripts/policy-docs";
import { PROJECT_ROOT } from "./harness/stacks";

// The text of Coder's page ships beside the project in the team's workspace (and in CI); users' clones do
// not have it.
const CODER_PAGE = path.join(PROJECT_ROOT, "..", "shared", "seed", "shared-security-responsibility.txt");

/** "A › B › C" paths of the page's bullets, from their indentation. */
function pageBullets(text: string): string[] {
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\s*)•\s+(.*\S)\s*$/.exec(line);
    if (!match) continue;
    const depth = (match[1].length - 2) / 2;
    stack.length = depth;
    stack.push(match[2]);
    paths.push(stack.join(" › "));
  }
  return paths;
}

describe("responsibility table", () => {
  const table = responsibilityRows(fs.readFileSync(RESPONSIBILITY_DOC, "utf8"));
  const leaves = table.filter((r) => !r.control.startsWith("(see sub-bullets)"));

  it("has a control, a guard and a test for every leaf bullet", () => {
    assert.ok(leaves.length >= 25, `only ${leaves.length} rows`);
    for (const r of leaves) {
      assert.ok(r.control && !/TODO/.test(r.control), `${r.bullet}: no control`);
      assert.match(r.guard, /`[a-z0-9-]+`/, `${r.bullet}: no guard names a policy or admission rule`);
      assert.match(r.tests, /\.spec\.ts\]/, `${r.bullet}: no test`);
    }
  });

  it("links only spec files that exist, and quotes only test titles those files contain", () => {
    for (const r of table) {
      for (const [, file, titles] of r.tests.matchAll(
        /\]\(\.\.\/((?:policy-pack\/)?test\/[^)]+\.(?:spec|e2e)\.ts)\)((?: ?"[^"]+",?)*)/g,
      )) {
        const source = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
        for (const [, title] of titles.matchAll(/"([^"]+)"/g)) {
          // "…" abbreviates a title; every quoted fragment must still be in the file.
          for (const fragment of title
            .split("…")
            .map((f) => f.trim())
            .filter(Boolean)) {
            assert.ok(source.includes(fragment), `${r.bullet}: ${file} has no test titled "${title}"`);
          }
        }
      }
    }
  });

  it("keys every row, in the order and with the keys policy-pack/lib/responsibilities.ts lists", () => {
    for (const r of table) assert.match(r.key, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${r.bullet}: key ${r.key}`);
    assert.deepStrictEqual(
      table.map((r) => r.key),
      [...RESPONSIBILITIES],
    );
  });

  it("has one row for every bullet of Coder's shared-responsibility model", function () {
    if (!fs.existsSync(CODER_PAGE)) {
      // Users' clones have no copy of the page: the table itself is then the list, checked above.
      return;
    }
    const documented = new Set(table.map((r) => r.bullet));
    const bullets = pageBullets(fs.readFileSync(CODER_PAGE, "utf8"));
    assert.ok(bullets.length > 30, `parsed only ${bullets.length} bullets from Coder's page`);
    for (const bullet of bullets) {
      assert.ok(documented.has(bullet), `bullet of Coder's page missing from docs/responsibility.md: ${bullet}`);
    }
  });
});
