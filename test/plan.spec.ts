// `npm run plan` end to end, in-process: every shipped stack and one insecure fixture are planned once, into
// a scratch folder, with the in-repo harness as the analyzer (test/e2e/plan.e2e.ts runs the real CLI's).
// The specs then read only the files the plan wrote, as a user or CI would.
import "./harness/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { RESPONSIBILITIES } from "../policy-pack/lib/responsibilities";
import { main } from "../scripts/plan/cli";
import { STATE_UNKNOWN } from "../scripts/plan/outputs";
import { isPatch, PATCH_TARGETS } from "./e2e/api-dry-run";
import { PROJECT_ROOT, SHIPPED_STACKS, TEST_SECRET_PREFIX } from "./harness/stacks";

const INSECURE = path.join(PROJECT_ROOT, "test", "fixtures", "plan", "Pulumi.insecure.yaml");

interface Run {
  code: number;
  log: string;
  dir: string;
}

async function runPlan(args: string[]): Promise<Run> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-spec-"));
  const lines: string[] = [];
  const code = await main([...args, "--out", out, "--analyzer", "harness", "--quiet"], (l) => lines.push(l));
  return { code, log: lines.join("\n"), dir: out };
}

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });

const read = (dir: string, stack: string, file: string) => fs.readFileSync(path.join(dir, stack, file), "utf8");

/** The mermaid block of a report: `%% source` comment lines, each followed by its edge. */
function diagramOf(report: string) {
  const block = /```mermaid\n([\s\S]*?)```/.exec(report)?.[1];
  assert.ok(block, "report.md has no mermaid diagram");
  const labels = new Map<string, string>();
  for (const [, id, label] of block.matchAll(/^ {2}(n\d+)\["(.*)"\]$/gm)) labels.set(id, label);
  const edges = new Map<string, { from: string; to: string; ports: string }>();
  for (const [, source, from, ports, to] of block.matchAll(/^ {2}%% (.*)\n {2}(n\d+) -->\|"(.*)"\| (n\d+)$/gm)) {
    assert.ok(!edges.has(source), `two edges for ${source}`);
    edges.set(source, { from: labels.get(from)!, to: labels.get(to)!, ports });
  }
  return edges;
}

describe("npm run plan", function () {
  this.timeout(180_000);
  let shipped: Run;
  let insecure: Run;
  before(async () => {
    shipped = await runPlan([]);
    insecure = await runPlan(["--stack", "local", "--stack-file", INSECURE]);
  });
  after(() => {
    for (const r of [shipped, insecure]) if (r) fs.rmSync(r.dir, { recursive: true, force: true });
  });

  it("plans every shipped stack with exit code 0 and says it is a plan from mocks", () => {
    assert.strictEqual(shipped.code, 0, shipped.log);
    assert.match(shipped.log, /plan from Pulumi's mock runtime, not a deployment/);
    for (const stack of SHIPPED_STACKS) assert.match(shipped.log, new RegExp(`^${stack}: .*report\\.md`, "m"));
  });

  for (const stack of SHIPPED_STACKS) {
    it(`writes resources.json, state.json, manifests/ and report.md for ${stack}`, () => {
      const resources = JSON.parse(read(shipped.dir, stack, "resources.json")) as any[];
      assert.ok(resources.length > 40, `only ${resources.length} resources`);
      for (const r of resources) {
        assert.ok(r.type && r.name && r.urn && r.inputs, `incomplete entry ${JSON.stringify(r).slice(0, 200)}`);
      }
      const state = JSON.parse(read(shipped.dir, stack, "state.json"));
      assert.strictEqual(state.version, 3);
      const states = state.deployment.resources as any[];
      assert.strictEqual(states[0].type, "pulumi:pulumi:Stack");
      assert.strictEqual(states.length, resources.length + 1);
      const urns = new Set(states.map((s) => s.urn));
      for (const s of states.slice(1)) {
        assert.ok(urns.has(s.parent), `${s.urn}: parent ${s.parent} is not in the state`);
        if (s.custom && !s.type.startsWith("pulumi:providers:"))
          assert.ok(urns.has(s.provider?.replace(/::[^:]+$/, "")), `${s.urn}: provider ${s.provider}`);
      }
      const objects = resources.filter(
        (r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"),
      );
      const manifests = fs.readdirSync(path.join(shipped.dir, stack, "manifests"));
      assert.strictEqual(manifests.length, objects.length);
      for (const file of manifests) {
        const doc = parse(read(shipped.dir, stack, `manifests/${file}`));
        assert.match(doc.apiVersion, /^([a-z0-9.]+\/)?v\d/, file);
        assert.match(doc.kind, /^[A-Z][A-Za-z]+$/, file);
        assert.doesNotMatch(doc.kind, /Patch$/, file);
        assert.match(doc.metadata?.name, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, file);
        // The e2e dry run needs the object a patch changes to exist first: every patched object has a stand-in.
        if (isPatch(file))
          assert.ok(`${doc.kind}/${doc.metadata.name}` in PATCH_TARGETS, `${file}: no stand-in in PATCH_TARGETS`);
      }
      assert.ok(manifests.some(isPatch), `${stack} plans no patch, so the stand-in check above checks nothing`);
      assert.match(read(shipped.dir, stack, "report.md"), /^# Plan of the `\w+` stack/);
    });
  }

  it("keeps what the cloud computes unknown, never invented (dev: the storage class's KMS key)", () => {
    const resources = JSON.parse(read(shipped.dir, "dev", "resources.json")) as any[];
    const storageClass = resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
    assert.strictEqual(storageClass.inputs.parameters.kmsKeyId, "[unknown]");
    const state = read(shipped.dir, "dev", "state.json");
    assert.ok(state.includes(STATE_UNKNOWN), "state.json carries no engine unknown");
    assert.doesNotMatch(read(shipped.dir, "dev", "resources.json"), /arn:aws:kms:[^"]*key\/cmk/);
  });

  it("exits non-zero for an insecure configuration, naming the policy it fails", () => {
    assert.strictEqual(insecure.code, 1, insecure.log);
    assert.match(insecure.log, /MANDATORY unapproved-images: Release "coder-release"/);
    // The stack's own registry reaches the workspace admission rule too, which the pack compares with the
    // approved registries of its settings.
    assert.match(
      insecure.log,
      /MANDATORY missing-workspace-admission: ValidatingAdmissionPolicy "coder-workspace-pods"/,
    );
    assert.match(insecure.log, /2 mandatory/);
    const report = read(insecure.dir, "local", "report.md");
    assert.match(report, /### mandatory \(2\)\n/);
    assert.match(report, /`unapproved-images`: FAIL ×1/);
    assert.match(report, /`missing-workspace-admission`: FAIL ×1/);
  });

  it("writes no secret value given in config, nor any private key, to any output file", () => {
    for (const run of [shipped, insecure]) {
      const written = files(run.dir);
      assert.ok(written.length > 20, `only ${written.length} files`);
      for (const file of written) {
        const text = fs.readFileSync(file, "utf8");
        assert.ok(!text.includes(TEST_SECRET_PREFIX), `${file} holds a secret value from config`);
        assert.ok(!/PRIVATE KEY/.test(text), `${file} holds a private key`);
        assert.ok(!text.includes("__pulumi"), `${file} holds an SDK-internal value`);
      }
    }
    // The secrets are there, redacted: the credentials Secret's keys, each value "[secret]".
    const credentials = parse(
      read(
        shipped.dir,
        "local",
        "manifests/" +
          fs
            .readdirSync(path.join(shipped.dir, "local", "manifests"))
            .find((f) => f.includes("secret-coder-coder-credentials"))!,
      ),
    );
    assert.ok(Object.keys(credentials.stringData).length > 0);
    for (const value of Object.values(credentials.stringData)) assert.strictEqual(value, "[secret]");
  });

  it("reports one row per responsibility, in the table's order", () => {
    for (const stack of SHIPPED_STACKS) {
      const report = read(shipped.dir, stack, "report.md");
      const keys = [...report.matchAll(/^\| `([a-z0-9-]+)` \| /gm)].map((m) => m[1]);
      assert.deepStrictEqual(keys, [...RESPONSIBILITIES], stack);
    }
  });

  it("draws exactly one edge per allow rule and peer of the planned NetworkPolicies", () => {
    for (const stack of SHIPPED_STACKS) {
      const edges = diagramOf(read(shipped.dir, stack, "report.md"));
      const policies = (JSON.parse(read(shipped.dir, stack, "resources.json")) as any[]).filter(
        (r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      );
      const expected: string[] = [];
      for (const { inputs } of policies) {
        const { name, namespace } = inputs.metadata;
        for (const [direction, key] of [
          ["ingress", "from"],
          ["egress", "to"],
        ] as const) {
          (inputs.spec[direction] ?? []).forEach((rule: any, i: number) => {
            const peers: any[] = rule[key]?.length ? rule[key] : [undefined];
            peers.forEach((peer, j) => {
              const source = `${namespace}/${name} ${direction}[${i}].${key}[${j}]`;
              expected.push(source);
              const edge = edges.get(source);
              assert.ok(edge, `${stack}: no edge for ${source}`);
              const ports = (rule.ports ?? []).map((p: any) => `${p.protocol}/${p.port}`).join(", ") || "all ports";
              assert.strictEqual(edge.ports, ports, source);
              const [own, other] = direction === "ingress" ? [edge.to, edge.from] : [edge.from, edge.to];
              assert.ok(own.startsWith(`${namespace}: `), `${source}: drawn from ${own}`);
              const otherName = peer?.ipBlock
                ? peer.ipBlock.cidr
                : (peer?.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] ?? namespace);
              assert.ok(peer === undefined || other.startsWith(otherName), `${source}: drawn to ${other}`);
            });
          });
        }
      }
      assert.deepStrictEqual([...edges.keys()].sort(), expected.sort(), stack);
      assert.ok(expected.length > 5, `${stack}: only ${expected.length} allow rules`);
    }
  });

  it("names the namespaces whose default-deny policies drop everything not drawn", () => {
    const report = read(shipped.dir, "prod", "report.md");
    const namespaces = (JSON.parse(read(shipped.dir, "prod", "resources.json")) as any[])
      .filter(
        (r) =>
          r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.inputs.metadata.name === "default-deny-all",
      )
      .map((r) => r.inputs.metadata.namespace as string);
    assert.ok(namespaces.length >= 2);
    const line = /^Default deny: (.*)$/m.exec(report)?.[1] ?? "";
    for (const ns of namespaces) assert.ok(line.includes(`\`${ns}\` (ingress and egress)`), `${ns} missing: ${line}`);
  });

  it("includes the IP capacity plan and the upgrade report for the stacks on EKS", () => {
    for (const stack of ["dev", "prod"]) {
      const report = read(shipped.dir, stack, "report.md");
      assert.match(report, /## IP capacity plan\n\nIP capacity with one of \d AZs lost/);
      assert.match(report, /## Upgrade report[\s\S]*\| control plane \| absent \| 1\.3\d \|/);
    }
    assert.doesNotMatch(read(shipped.dir, "local", "report.md"), /## IP capacity plan/);
  });

  it("refuses an unknown stack with a usage error", async () => {
    const lines: string[] = [];
    assert.strictEqual(await main(["--stack", "staging", "--quiet"], (l) => lines.push(l)), 2);
    assert.match(lines.join("\n"), /unknown stack "staging"/);
  });
});
