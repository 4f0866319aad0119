// The pack's structure: one policy per file under policy-pack/policies, each registered in the pack's
// list, named after its file, documented, carrying its metadata (the rows of docs/responsibility.md it
// guards, Coder's shared-responsibility model mapped one row per bullet), and independent of the root
// project so the pack runs from its own directory.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationPolicy, StackValidationPolicy } from "../../policy-pack/test/harness/analyzer";
import { RESPONSIBILITIES } from "../../policy-pack/lib/responsibilities";
import { describedPolicies, PACK_ENFORCEMENT_LEVEL, policies } from "../../policy-pack/policies";
import {
  guardMismatches,
  PACK_README,
  policyTable,
  RESPONSIBILITY_DOC,
  responsibilityRows,
  withPolicyTable,
} from "../../scripts/policy-docs";
import { reconcileConfig } from "../../policy-pack/test/harness/policy-config";

const ROOT = path.resolve(__dirname, "..", "..");
const PACK_DIR = path.join(ROOT, "policy-pack");
const POLICIES_DIR = path.join(PACK_DIR, "policies");
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const policyFiles = walk(POLICIES_DIR).filter((f) => f.endsWith(".ts") && path.basename(f) !== "index.ts");
const isPolicy = (v: unknown): v is ResourceValidationPolicy | StackValidationPolicy =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as any).name === "string" &&
  ("validateResource" in v || "validateStack" in v);

describe("policy registration", () => {
  it("finds the policy files", () => {
    assert.ok(policyFiles.length >= 40, `only ${policyFiles.length} policy files found`);
  });

  for (const file of policyFiles) {
    const rel = path.relative(PACK_DIR, file);
    describe(rel, () => {
      const mod = require(file);
      const exported = Object.values(mod).filter(isPolicy);

      it("exports exactly one policy, registered in the pack's list", () => {
        assert.strictEqual(exported.length, 1, `${rel} exports ${exported.length} policies`);
        assert.ok(policies.includes(exported[0]), `${exported[0].name} is not in policy-pack/policies/index.ts`);
      });

      it("is named in kebab-case after its file", () => {
        assert.match(exported[0].name, KEBAB);
        assert.strictEqual(exported[0].name, path.basename(file, ".ts"));
      });

      it("has a description, an explicit level that is not remediate, and a severity", () => {
        const p = exported[0];
        assert.ok(p.description && p.description.length > 20, "description missing or too short");
        assert.ok(
          ["advisory", "mandatory"].includes(p.enforcementLevel ?? ""),
          `${p.name}: level ${p.enforcementLevel}; remediation must be opt-in`,
        );
        assert.ok(p.severity, `${p.name}: no severity`);
        assert.ok(p.remediationSteps, `${p.name}: no remediationSteps`);
      });

      it("keeps enforcementLevel out of its configSchema", () => {
        const schema = exported[0].configSchema;
        if (!schema) return;
        assert.ok(!("enforcementLevel" in schema.properties));
        assert.ok(!(schema.required ?? []).includes("enforcementLevel"));
        for (const [key, prop] of Object.entries(schema.properties)) {
          assert.ok(typeof prop === "object" && prop.description, `${key}: schema property needs a description`);
          assert.ok(
            typeof prop === "object" && prop.default !== undefined,
            `${key}: schema property needs a default, so the pack works unconfigured`,
          );
        }
      });

      it("declares its metadata: guarded rows of the responsibility table, severity, what it forbids, IDs", () => {
        const p = describedPolicies.find((d) => d === exported[0]);
        assert.ok(p, `${exported[0].name} is not in the described list`);
        const { responsibilities, severity, forbids, references } = p.metadata;
        assert.ok(responsibilities.length > 0, "guards no row of docs/responsibility.md");
        for (const key of responsibilities) {
          assert.ok((RESPONSIBILITIES as readonly string[]).includes(key), `unknown responsibility key ${key}`);
        }
        assert.strictEqual(p.severity, severity, "the policy's severity is not the metadata's");
        assert.ok(forbids.length > 10 && !forbids.includes("\n"), "forbids must be one line");
        for (const list of Object.values(references)) {
          assert.ok(Array.isArray(list) && list.length > 0, "a reference list is empty; omit it instead");
        }
      });

      it("opens with a header that says why, leaving the metadata to the metadata", () => {
        const lines = fs.readFileSync(file, "utf8").split("\n");
        const header = lines
          .slice(
            0,
            lines.findIndex((l) => l.startsWith("import")),
          )
          .join("\n");
        assert.match(header, /^\/\/ \S/, "the file must open with a comment saying why the policy exists");
        assert.doesNotMatch(header, /Reference IDs|CKV_|CIS EKS 1\.8\.0 \d/, "reference IDs belong in the metadata");
        for (const { bullet } of responsibilityRows(fs.readFileSync(RESPONSIBILITY_DOC, "utf8"))) {
          const leaf = bullet.split(" › ").pop()!;
          assert.ok(!header.includes(`"${leaf}"`), `the header quotes "${leaf}"; its key belongs in the metadata`);
        }
      });
    });
  }

  it("registers every policy once, under a unique name, and nothing else", () => {
    const names = policies.map((p) => p.name);
    assert.strictEqual(new Set(names).size, names.length, "duplicate policy names");
    assert.strictEqual(policies.length, policyFiles.length, "the list and the files disagree");
    assert.ok(!names.includes("all"), "`all` is reserved by the engine");
  });

  it("names every policy in the Guard cells of docs/responsibility.md, exactly where its metadata says", () => {
    const rows = responsibilityRows(fs.readFileSync(RESPONSIBILITY_DOC, "utf8"));
    assert.deepStrictEqual(guardMismatches(rows, describedPolicies), []);
    const linked = rows.flatMap((row) =>
      [...row.tests.matchAll(/\((\.\.\/[^)]+\.(?:spec|e2e)\.ts)\)/g)].map((m) => m[1]),
    );
    assert.ok(linked.length > 100, `only ${linked.length} linked specs`);
    for (const spec of linked) {
      assert.ok(fs.existsSync(path.join(ROOT, "docs", spec)), `docs/responsibility.md links a missing spec: ${spec}`);
    }
  });

  it("notices a Guard cell that disagrees with the metadata, in either direction", () => {
    const rows = responsibilityRows(fs.readFileSync(RESPONSIBILITY_DOC, "utf8"));
    const [first] = describedPolicies;
    const dropped = rows.map((r) => ({ ...r, guard: r.guard.replace(`\`${first.name}\``, "") }));
    assert.ok(guardMismatches(dropped, describedPolicies).some((m) => m.includes(first.name)));
    const home = first.metadata.responsibilities[0];
    const elsewhere = rows.find((r) => !r.control.startsWith("(see") && r.key !== home)!;
    const added = rows.map((r) => (r === elsewhere ? { ...r, guard: `\`${first.name}\`, ${r.guard}` } : r));
    assert.ok(guardMismatches(added, describedPolicies).some((m) => m.startsWith(`${elsewhere.key}:`)));
  });

  it("notices a row that names a guard without linking the guard's spec", () => {
    const rows = responsibilityRows(fs.readFileSync(RESPONSIBILITY_DOC, "utf8"));
    const [first] = describedPolicies;
    const unlinked = rows.map((r) => ({ ...r, tests: r.tests.replaceAll(`/${first.name}.spec.ts`, "/gone.spec.ts") }));
    assert.ok(
      guardMismatches(unlinked, describedPolicies).some((m) => m.includes(`does not link ${first.name}.spec.ts`)),
    );
  });

  it("has the policy table of policy-pack/README.md as generated from the metadata (npm run docs:policies)", () => {
    const readme = fs.readFileSync(PACK_README, "utf8");
    assert.ok(readme.includes(policyTable(describedPolicies)), "stale table: run npm run docs:policies");
    assert.strictEqual(withPolicyTable(readme, describedPolicies), readme);
    const missing = policies.filter((p) => !readme.includes(`| \`${p.name}\` |`));
    assert.deepStrictEqual(
      missing.map((p) => p.name),
      [],
    );
  });

  it("has one spec per policy", () => {
    const missing = policies.filter((p) => !fs.existsSync(path.join(PACK_DIR, "test", `${p.name}.spec.ts`)));
    assert.deepStrictEqual(
      missing.map((p) => p.name),
      [],
    );
  });

  it("ships a config example that the engine would accept", () => {
    const example = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config.example.json"), "utf8"));
    const names = new Set(policies.map((p) => p.name));
    const unknownKeys = Object.keys(example).filter((k) => k !== "all" && !names.has(k));
    assert.deepStrictEqual(unknownKeys, [], "config.example.json names policies that do not exist");
    assert.doesNotThrow(() => reconcileConfig(policies, PACK_ENFORCEMENT_LEVEL, example));
  });

  it("imports only the pack's own files and dependencies, so it runs from its own directory", () => {
    const deps = Object.keys(require(path.join(PACK_DIR, "package.json")).dependencies);
    // The pack's tests may use its devDependencies and Node's built-ins; the engine never loads them.
    const sources = walk(PACK_DIR).filter(
      (f) =>
        f.endsWith(".ts") &&
        !f.includes(`${path.sep}node_modules${path.sep}`) &&
        !f.startsWith(path.join(PACK_DIR, "test") + path.sep),
    );
    const problems: string[] = [];
    for (const file of sources) {
      for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(/from "([^"]+)"/g)) {
        if (spec.startsWith(".")) {
          const target = path.resolve(path.dirname(file), spec);
          if (!target.startsWith(PACK_DIR + path.sep))
            problems.push(`${path.relative(ROOT, file)} imports ${spec}, outside the pack`);
        } else if (!deps.some((d) => spec === d || spec.startsWith(`${d}/`))) {
          problems.push(`${path.relative(ROOT, file)} imports ${spec}, which is not in policy-pack/package.json`);
        }
      }
    }
    assert.deepStrictEqual(problems, []);
  });

  it("loads the policy list in a fresh process from the pack's directory, without starting the pack", function () {
    this.timeout(60000);
    const script =
      "const { policies } = require('./policies'); process.stdout.write(JSON.stringify(policies.map((p) => p.name)));";
    const out = execFileSync(
      process.execPath,
      ["-r", require.resolve("ts-node/register/transpile-only"), "-e", script],
      { cwd: PACK_DIR, encoding: "utf8" },
    );
    assert.deepStrictEqual(
      JSON.parse(out),
      policies.map((p) => p.name),
    );
  });

  it("declares every setting the shipped pack settings give, with its type: a wrong-typed value is refused", () => {
    // The wrong value for each JSON type a shipped setting has.
    const WRONG: Record<string, unknown> = { boolean: "yes", string: 5, number: "many", array: 5, object: 5 };
    let checked = 0;
    for (const file of fs.readdirSync(path.join(ROOT, "stacks")).filter((f) => /^policy\..+\.json$/.test(f))) {
      const settings = JSON.parse(fs.readFileSync(path.join(ROOT, "stacks", file), "utf8")) as Record<string, unknown>;
      for (const [name, entry] of Object.entries(settings)) {
        if (name === "all" || typeof entry !== "object" || entry === null) continue;
        for (const [key, value] of Object.entries(entry)) {
          if (key === "enforcementLevel") continue;
          const type = Array.isArray(value) ? "array" : value === null ? "object" : typeof value;
          assert.throws(
            () => reconcileConfig(policies, PACK_ENFORCEMENT_LEVEL, { [name]: { [key]: WRONG[type] } }),
            new RegExp(`\\n${name}: ${key}: Invalid type`),
            `${file}: ${name}.${key}`,
          );
          checked++;
        }
      }
    }
    assert.ok(checked > 0, "no shipped setting was checked");
  });
});
