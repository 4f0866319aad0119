// The pack's structure: one policy per file under policy-pack/policies, each registered in the pack's
// list, named after its file, documented, traceable to the seed, and independent of the root project
// so the pack runs from its own directory.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationPolicy, StackValidationPolicy } from "../../policy-pack/node_modules/@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, policies } from "../../policy-pack/policies";
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

      it("opens with a header citing the seed bullet it guards and the reference IDs", () => {
        const header = fs
          .readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l.startsWith("//"))
          .slice(0, 8)
          .join("\n");
        assert.match(header, /^\/\/ Seed/, "the header must start with the seed bullet");
        assert.match(header, /"[^"]+"/, "the header must quote the seed bullet");
        assert.match(header, /Reference IDs:/);
      });
    });
  }

  it("registers every policy once, under a unique name, and nothing else", () => {
    const names = policies.map((p) => p.name);
    assert.strictEqual(new Set(names).size, names.length, "duplicate policy names");
    assert.strictEqual(policies.length, policyFiles.length, "the list and the files disagree");
    assert.ok(!names.includes("all"), "`all` is reserved by the engine");
  });

  it("names every policy in docs/responsibility.md", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "responsibility.md"), "utf8");
    assert.match(doc, /\| Seed bullet \| Control \(component\) \| Guard \(policy or admission rule\) \| Test \|/);
    const tableRows = doc
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| Seed bullet") && !l.startsWith("| ---"));
    const missing = policies.filter((p) => !tableRows.some((row) => row.split("|")[3]?.includes(`\`${p.name}\``)));
    assert.deepStrictEqual(
      missing.map((p) => p.name),
      [],
      "policies not named in any Guard cell",
    );
    for (const row of tableRows) {
      for (const [, spec] of row.matchAll(/\((\.\.\/test\/policies\/[^)]+\.spec\.ts)\)/g)) {
        assert.ok(fs.existsSync(path.join(ROOT, "docs", spec)), `docs/responsibility.md links a missing spec: ${spec}`);
      }
    }
  });

  it("documents every policy in policy-pack/README.md", () => {
    const readme = fs.readFileSync(path.join(PACK_DIR, "README.md"), "utf8");
    const missing = policies.filter((p) => !readme.includes(`\`${p.name}\``));
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
});
