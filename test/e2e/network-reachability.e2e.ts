// The planned network boundaries, judged by an independent implementation of the NetworkPolicy spec: no
// kubelet or CNI runs here, so no packet ever tests them. cyclonus (built by scripts/e2e-tools.sh) simulates
// every connection between the local stack's endpoints from the planned NetworkPolicy manifests; its verdicts
// must equal what the plan's diagram draws and what docs/responsibility.md promises, row by row.
import "../harness/mocks";
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { plan } from "../../scripts/plan/cli";
import { deriveDiagram, Diagram, NetworkPolicyObject } from "../../scripts/plan/network";
import { stackConfigFromFile, stackFile } from "../harness/stacks";
import {
  Connection,
  connections,
  connectionText,
  cyclonusTraffic,
  diagramAllows,
  endpoints,
  parseCyclonusVerdicts,
  probePorts,
  promisedVerdict,
  promises,
} from "./reachability";

const verdict = (allowed: boolean) => (allowed ? "allow" : "deny ");

/** cyclonus's verdict for each connection, from the NetworkPolicy manifests in `policyDir`. */
function cyclonus(policyDir: string, conns: readonly Connection[], work: string): boolean[] {
  const traffic = path.join(work, "traffic.json");
  fs.writeFileSync(traffic, JSON.stringify(cyclonusTraffic(conns)));
  const args = ["analyze", "--use-example-policies=false", "--policy-path", policyDir, "--mode", "query-traffic"];
  const r = spawnSync("cyclonus", [...args, "--traffic-path", traffic], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.error) assert.fail(`cyclonus: ${r.error.message} (build it: scripts/e2e-tools.sh cyclonus)`);
  assert.strictEqual(r.status, 0, `cyclonus ${args.join(" ")} failed:\n${r.stderr}`);
  const verdicts = parseCyclonusVerdicts(r.stdout);
  assert.strictEqual(verdicts.length, conns.length, `cyclonus answered ${verdicts.length} of ${conns.length} queries`);
  return verdicts;
}

interface Checked {
  rows: number;
  /** Rows where cyclonus and the diagram disagree, or a promise does. */
  differences: string[];
  /** Promises that no connection exercised. */
  unused: string[];
}

/** The whole table for one planned stack: every connection, cyclonus vs the diagram vs the promises. */
function check(
  stackYaml: string,
  outDir: string,
  policies: NetworkPolicyObject[],
  policyDir: string,
  edit: (d: Diagram) => Diagram = (d) => d,
): Checked {
  const cfg = stackConfigFromFile(stackYaml, "local");
  const conns = connections(endpoints(cfg), probePorts(policies, cfg));
  const simulated = cyclonus(policyDir, conns, outDir);
  const drawn = diagramAllows(edit(deriveDiagram(policies)), policies);
  const promised = promises(cfg);
  const used = new Set<string>();
  const differences: string[] = [];
  conns.forEach((c, i) => {
    const sim = simulated[i];
    const diagram = drawn(c);
    if (sim !== diagram) {
      differences.push(`cyclonus ${verdict(sim)} | diagram ${verdict(diagram)} | ${connectionText(c)}`);
    }
    for (const p of promised.filter((q) => q.applies(c))) {
      used.add(p.says);
      const want = promisedVerdict(p, c);
      if (sim !== want) {
        differences.push(`cyclonus ${verdict(sim)} | promised ${verdict(want)} | ${connectionText(c)} | ${p.says}`);
      }
    }
  });
  return { rows: conns.length, differences, unused: promised.map((p) => p.says).filter((s) => !used.has(s)) };
}

/** The stack's planned NetworkPolicies, and a directory holding only their manifests (cyclonus's input). */
async function planPolicies(stackYaml: string, out: string): Promise<[NetworkPolicyObject[], string]> {
  const [r] = await plan([
    "--stack",
    "local",
    "--stack-file",
    stackYaml,
    "--out",
    out,
    "--analyzer",
    "harness",
    "--quiet",
  ]);
  assert.deepStrictEqual(
    r.violations.filter((v) => v.enforcementLevel === "mandatory"),
    [],
  );
  const manifests = path.join(out, "local", "manifests");
  const policyDir = path.join(out, "networkpolicies");
  fs.mkdirSync(policyDir, { recursive: true });
  const policies: NetworkPolicyObject[] = [];
  for (const f of fs.readdirSync(manifests).sort()) {
    const text = fs.readFileSync(path.join(manifests, f), "utf8");
    const doc = parse(text);
    if (doc?.kind !== "NetworkPolicy") continue;
    policies.push(doc);
    fs.writeFileSync(path.join(policyDir, f), text);
  }
  return [policies, policyDir];
}

const report = (c: Checked) =>
  `${c.differences.length} of ${c.rows} rows differ:\n  ${c.differences.slice(0, 80).join("\n  ")}`;

describe("the planned NetworkPolicies under cyclonus (an independent NetworkPolicy implementation)", function () {
  this.timeout(900_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "reachability-e2e-"));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  // The local stack as shipped, and with a second workspace namespace so that "another workspace
  // namespace" is a namespace the stack manages, not only one it doesn't.
  const twoNamespaces = path.join(work, "two", "Pulumi.local.yaml");
  before(() => {
    const doc = parse(fs.readFileSync(stackFile("local"), "utf8"));
    doc.config["coder-blueprint:workspaces"].namespaces.push("coder-workspaces-2");
    fs.mkdirSync(path.dirname(twoNamespaces), { recursive: true });
    fs.writeFileSync(twoNamespaces, stringify(doc));
  });

  for (const [name, file] of [
    ["the local stack", () => stackFile("local")],
    ["the local stack with two workspace namespaces", () => twoNamespaces],
  ] as const) {
    it(`${name}: cyclonus, the diagram and the responsibility table agree on every connection`, async () => {
      const out = path.join(work, name.replace(/\W+/g, "-"));
      const [policies, policyDir] = await planPolicies(file(), out);
      const checked = check(file(), out, policies, policyDir);
      assert.deepStrictEqual(checked.unused, [], "promises that no connection of the table exercised");
      assert.deepStrictEqual(checked.differences, [], report(checked));
    });
  }

  it("reports the rows that differ when a policy opens the metadata address to workspaces", async () => {
    const out = path.join(work, "metadata-open");
    const [policies, policyDir] = await planPolicies(stackFile("local"), out);
    // The workspaces' allowlist rule loses its carve-outs (metadata and the cluster ranges) in both the
    // manifests cyclonus reads and the objects the diagram is drawn from.
    const file = fs.readdirSync(policyDir).find((f) => f.endsWith("workspace-egress.yaml"));
    assert.ok(file, "no workspace-egress policy planned");
    const open = policies.find((p) => p.metadata.name === "workspace-egress");
    assert.ok(open?.spec.egress);
    for (const rule of open.spec.egress) for (const peer of rule.to ?? []) delete peer.ipBlock?.except;
    fs.writeFileSync(
      path.join(policyDir, file),
      stringify({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", ...open }),
    );
    const checked = check(stackFile("local"), out, policies, policyDir);
    const metadata = checked.differences.filter((d) => /-> cloud metadata TCP\/443 .*node-cloud-access/.test(d));
    assert.ok(metadata.length > 0, report(checked));
    // The diagram follows the manifests, so only the promises disagree.
    assert.deepStrictEqual(
      checked.differences.filter((d) => d.includes("| diagram ")),
      [],
    );
  });

  it("reports the rows that differ when the diagram leaves out an edge the policies allow", async () => {
    const out = path.join(work, "edge-missing");
    const [policies, policyDir] = await planPolicies(stackFile("local"), out);
    const dropped = "coder-workspaces/allow-dns egress[0].to[0]";
    const checked = check(stackFile("local"), out, policies, policyDir, (d) => {
      assert.ok(
        d.edges.some((e) => e.source === dropped),
        `no edge ${dropped}`,
      );
      return { ...d, edges: d.edges.filter((e) => e.source !== dropped) };
    });
    assert.deepStrictEqual(
      checked.differences.filter((d) => d.includes("| diagram ")),
      ["a TCP/53", "a UDP/53", "b TCP/53", "b UDP/53"].map((w) => {
        const [pod, port] = w.split(" ");
        return `cyclonus allow | diagram deny  | workspace coder-workspaces/${pod} -> kube-dns ${port}`;
      }),
    );
  });
});
