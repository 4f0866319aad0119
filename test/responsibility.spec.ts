// docs/responsibility.md is the contract between Coder's shared-responsibility page and this project:
// every bullet names the component that does it, the guard that keeps it, and the test that proves it.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./harness/stacks";

const DOC = path.join(PROJECT_ROOT, "docs", "responsibility.md");
// The seed ships beside the project in the team's workspace (and in CI); users' clones do not have it.
const SEED = path.join(PROJECT_ROOT, "..", "shared", "seed", "shared-security-responsibility.txt");

interface Row {
  bullet: string;
  control: string;
  guard: string;
  tests: string;
}

function rows(): Row[] {
  return fs
    .readFileSync(DOC, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| Seed bullet") && !l.startsWith("| ---"))
    .map((l) => {
      const [bullet, control, guard, tests] = l.slice(2, -2).split(" | ");
      return { bullet, control, guard, tests };
    });
}

/** "A › B › C" paths of the seed's bullets, from their indentation. */
function seedBullets(text: string): string[] {
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
  const table = rows();
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

  it("has one row for every bullet of the seed document", function () {
    if (!fs.existsSync(SEED)) {
      // Users' clones have no seed: the table itself is then the list, checked above.
      return;
    }
    const documented = new Set(table.map((r) => r.bullet));
    const bullets = seedBullets(fs.readFileSync(SEED, "utf8"));
    assert.ok(bullets.length > 30, `parsed only ${bullets.length} bullets from the seed`);
    for (const bullet of bullets) {
      assert.ok(documented.has(bullet), `seed bullet missing from docs/responsibility.md: ${bullet}`);
    }
  });
});
