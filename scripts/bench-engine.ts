// The preview loop on the real engine: the e2e toolchain's Pulumi CLI previews the local stack against a
// throw-away kube-apiserver on loopback (test/e2e/harness), once with the code at a baseline git ref
// ("before", checked out into a temp directory) and once with this working tree ("after"), alternating
// run by run so both see the same machine load. Per run: wall time, CPU time of the whole process tree,
// and phase clocks from scripts/bench-engine-probe.js (program start-up and run, engine round trips,
// analyzer handlers). Results go to reports/bench-engine/ as JSON and markdown; docs/benchmarks.md says
// how to read them. The control plane and every temp directory are removed however the run ends.
//
//   npm run bench:engine                                   # baseline `main`, 3 rounds, 20 and 200 ns
//   npm run bench:engine -- --baseline <ref> --rounds 5 --fresh 20,200
//   npm run bench:engine -- --only after --fresh 20        # one variant, smaller sizes
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { startCluster, TestCluster } from "./sandbox/cluster";
import { KubeApi } from "./sandbox/kube-api";
import { ALLOW_NO_POLICY_PACK_ENV } from "../config/policy-pack";
import { PulumiCli } from "./sandbox/pulumi-cli";
import { policyArgs, stackArgs } from "./sandbox/local-stack";
import { cachedToolchainPath, toolchainCache } from "./sandbox/toolchain";
import { servingCertificate } from "./sandbox/tls";

const ROOT = path.resolve(__dirname, "..");
const PROBE = path.join(__dirname, "bench-engine-probe.js");
const PREVIEW_TIMEOUT_MS = 45 * 60_000;

interface Options {
  baseline: string;
  rounds: number;
  fresh: number[];
  only?: "before" | "after";
  /** Writes V8 CPU profiles of the program (and of a pack that exits) and summarises where they spend. */
  cpuProf: boolean;
}

function options(argv: string[]): Options {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const only = value("--only");
  if (only && only !== "before" && only !== "after") throw new Error("--only takes before or after");
  return {
    baseline: value("--baseline") ?? "main",
    rounds: Number(value("--rounds") ?? 3),
    fresh: (value("--fresh") ?? "20,200").split(",").map(Number),
    only: only as Options["only"],
    cpuProf: argv.includes("--cpu-prof"),
  };
}

/** A measured case: which stack, with or without the pack, how many rounds. */
interface Scenario {
  name: string;
  stack: string;
  pack: boolean;
  /** Workspace namespaces; the deployed stack has the local stack's own list. */
  namespaces?: number;
  rounds: (o: Options) => number;
}

const scenarios = (o: Options): Scenario[] => [
  { name: "deployed local stack, no pack", stack: "deployed", pack: false, rounds: (x) => x.rounds },
  { name: "deployed local stack, with pack", stack: "deployed", pack: true, rounds: (x) => x.rounds },
  ...o.fresh.map((n) => ({
    name: `fresh stack, ${n} workspace namespaces, with pack`,
    stack: `fresh-${n}`,
    pack: true,
    namespaces: n,
    rounds: () => 1,
  })),
];

interface Variant {
  name: "before" | "after";
  dir: string;
}

interface Probe {
  role: "program" | "pack";
  node: string;
  started: number;
  ready?: number;
  lastCall?: number;
  ended: number;
  cpuMs: number;
  calls: Record<string, { count: number; totalMs: number }>;
}

interface Run {
  scenario: string;
  variant: string;
  round: number;
  wallMs: number;
  /** CPU time of the CLI and everything it started (language host, program, pack, provider). */
  cpuMs: number;
  resources: number;
  changes: string;
  load1: number;
  phases: Record<string, number>;
  nodes: Record<string, string>;
  profiles?: Record<string, ReturnType<typeof profileSummary>>;
}

/** The PATH with the toolchain e2e-tools.sh built (pulumi, the language host, the provider, etcd, kube-apiserver). */
function toolchainPath(): string {
  const tools = cachedToolchainPath();
  if (!tools) throw new Error(`no toolchain in ${toolchainCache()}: build it with scripts/e2e-tools.sh`);
  return `${tools}${path.delimiter}${process.env.PATH ?? ""}`;
}

/** CPU seconds of reaped children (utime+stime of waited-for descendants), from /proc/self/stat. */
function childrenCpuMs(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  const ticks = Number(fields[13]) + Number(fields[14]);
  return (ticks * 1000) / 100;
}

/** The baseline's files (git archive of the ref), sharing this tree's installed node_modules. */
function checkoutBaseline(ref: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const archive = execFileSync("git", ["-C", ROOT, "archive", "--format=tar", ref], { maxBuffer: 256 << 20 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  fs.symlinkSync(path.join(ROOT, "policy-pack", "node_modules"), path.join(dir, "policy-pack", "node_modules"));
}

/** Totals and spans from the probe records of one run. */
function phases(probes: Probe[]): Record<string, number> {
  const out: Record<string, number> = {};
  const program = probes.find((p) => p.role === "program");
  const pack = probes.find((p) => p.role === "pack");
  if (program) {
    out["program: start-up, to its first resource (ms)"] = (program.ready ?? program.ended) - program.started;
    out["program: process lifetime (ms)"] = program.ended - program.started;
    out["program: CPU (ms)"] = program.cpuMs;
    const register = program.calls["call RegisterResource"];
    if (register) {
      out["engine round trips: RegisterResource count"] = register.count;
      out["engine round trips: RegisterResource summed (ms)"] = register.totalMs;
      out["engine round trips: RegisterResource mean (ms)"] = register.totalMs / register.count;
    }
    out["program: first resource to last engine call (ms)"] =
      (program.lastCall ?? program.ended) - (program.ready ?? 0);
  }
  if (pack) {
    out["pack: start-up to listening (ms)"] = (pack.ready ?? pack.ended) - pack.started;
    out["pack: CPU (ms)"] = pack.cpuMs;
    for (const [name, call] of Object.entries(pack.calls)) {
      if (name.startsWith("serve ")) out[`analyzer: ${name.slice(6)} summed (ms)`] = call.totalMs;
    }
  }
  return out;
}

interface CpuProfile {
  nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
}

/** Self time of a V8 CPU profile by package (or project folder) and by function, largest first. */
function profileSummary(file: string, top = 12): { byPackage: string[]; byFunction: string[] } {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / Math.max(hits, 1);
  const where = (url: string) => {
    const file = url.replace(/^file:\/\//, "");
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    if (pkg) return pkg[1];
    if (!file) return "(native, GC, idle)";
    if (file.startsWith("node:")) return "node internals";
    return path.relative(ROOT, file).split(path.sep).slice(0, 2).join("/");
  };
  const tally = (key: (n: CpuProfile["nodes"][number]) => string) => {
    const totals = new Map<string, number>();
    for (const n of profile.nodes) totals.set(key(n), (totals.get(key(n)) ?? 0) + (n.hitCount ?? 0));
    return [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, h]) => `${(h * msPerHit).toFixed(0)} ms ${k}`);
  };
  return {
    byPackage: tally((n) => where(n.callFrame.url)),
    byFunction: tally((n) => {
      const f = n.callFrame;
      return `${f.functionName || "(anonymous)"} ${where(f.url)}:${f.lineNumber + 1}`;
    }),
  };
}

/** Resources the preview reports, from its summary ("+ 120 to create", "45 unchanged"). */
function previewSummary(output: string): { resources: number; changes: string } {
  const summary = output.slice(output.lastIndexOf("Resources:"));
  const counts = [
    ...summary.matchAll(/^\s+(?:[+~-]+\s+)?(\d+) (to create|to update|to delete|to replace|unchanged)/gm),
  ];
  const resources = counts.reduce((sum, m) => sum + Number(m[1]), 0);
  const changes = counts.filter((m) => m[2] !== "unchanged").map((m) => `${m[1]} ${m[2]}`);
  return { resources, changes: changes.join(", ") || "none" };
}

/** The local stack pointed at the loopback cluster, as the e2e suite sets it up (Coder release off). */
function writeStackConfig(file: string, cluster: TestCluster, cert: string, namespaces?: number) {
  const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  const local = parse(fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, unknown> & {
      "coder-blueprint:coder": { enabled?: boolean };
      "coder-blueprint:workspaces": { namespaces: string[]; maxWorkspaces: number };
    };
  };
  const config = local.config;
  config["coder-blueprint:cluster"] = { target: "existing", kubeconfig: cluster.kubeconfig, context: cluster.context };
  config["coder-blueprint:coder"].enabled = false;
  delete config["coder-blueprint:database"];
  config["coder-blueprint:tls"] = { mode: "provided", provided: { certificate: cert } };
  if (namespaces) {
    const workspaces = config["coder-blueprint:workspaces"];
    workspaces.namespaces = Array.from({ length: namespaces }, (_, i) => `ws-${i}`);
    workspaces.maxWorkspaces = 10;
  }
  fs.writeFileSync(file, stringify({ ...doc, config }));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function report(o: Options, runs: Run[], meta: Record<string, unknown>): string {
  const lines: string[] = [];
  const stat = (scenario: string, variant: string, key: (r: Run) => number) => {
    const xs = runs.filter((r) => r.scenario === scenario && r.variant === variant).map(key);
    return xs.length ? median(xs) : NaN;
  };
  const s = (ms: number) => (Number.isNaN(ms) ? "–" : (ms / 1000).toFixed(1));
  const variants = o.only ? [o.only] : ["before", "after"];
  lines.push(`| scenario | ${variants.map((v) => `${v}: wall s (median) | ${v}: CPU s`).join(" | ")} | resources |`);
  lines.push(`| --- | ${variants.map(() => "--- | ---").join(" | ")} | --- |`);
  for (const sc of scenarios(o)) {
    const cells = variants.map(
      (v) => `${s(stat(sc.name, v, (r) => r.wallMs))} | ${s(stat(sc.name, v, (r) => r.cpuMs))}`,
    );
    lines.push(`| ${sc.name} | ${cells.join(" | ")} | ${stat(sc.name, variants.at(-1)!, (r) => r.resources)} |`);
  }
  lines.push(
    "",
    "| figure | " + variants.join(" | ") + " |",
    "| --- | " + variants.map(() => "---").join(" | ") + " |",
  );
  const [noPack, withPack, ...fresh] = scenarios(o).map((sc) => sc.name);
  const figure = (label: string, fn: (v: string) => number, digits = 2) =>
    lines.push(`| ${label} | ${variants.map((v) => fn(v).toFixed(digits)).join(" | ")} |`);
  const wall = (sc: string, v: string) => stat(sc, v, (r) => r.wallMs);
  figure("pack overhead on the deployed stack (with ÷ without)", (v) => wall(withPack, v) / wall(noPack, v));
  for (const sc of fresh) figure(`${sc}: ms per resource`, (v) => wall(sc, v) / stat(sc, v, (r) => r.resources), 1);
  if (fresh.length >= 2)
    figure(`${fresh.at(-1)} ÷ ${fresh[0]} (time)`, (v) => wall(fresh.at(-1)!, v) / wall(fresh[0], v));
  lines.push("", "Phase clocks (median over rounds; ms):", "");
  for (const sc of scenarios(o)) {
    const keys = [...new Set(runs.filter((r) => r.scenario === sc.name).flatMap((r) => Object.keys(r.phases)))];
    if (!keys.length) continue;
    lines.push(`| ${sc.name} | ${variants.join(" | ")} |`, `| --- | ${variants.map(() => "---").join(" | ")} |`);
    for (const k of keys) {
      const cells = variants.map((v) => {
        const x = stat(sc.name, v, (r) => r.phases[k] ?? NaN);
        return Number.isNaN(x) ? "–" : x.toFixed(k.includes("mean") ? 1 : 0);
      });
      lines.push(`| ${k} | ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  for (const r of runs.filter((x) => x.profiles)) {
    lines.push(`CPU profile, ${r.scenario} [${r.variant}], round ${r.round}, self time:`, "");
    for (const [role, p] of Object.entries(r.profiles ?? {}))
      lines.push(
        `- ${role} by package: ${p.byPackage.join("; ")}`,
        `- ${role} by function: ${p.byFunction.join("; ")}`,
      );
    lines.push("");
  }
  lines.push("```json", JSON.stringify(meta, null, 2), "```");
  return lines.join("\n");
}

async function main() {
  const o = options(process.argv.slice(2));
  const started = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-blueprint-bench-engine-"));
  let cluster: TestCluster | undefined;
  const cleanup = () => {
    cluster?.stop();
    cluster = undefined;
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  try {
    process.env.PATH = toolchainPath();
    const variants: Variant[] = [];
    if (o.only !== "after") {
      checkoutBaseline(o.baseline, path.join(workDir, "before"));
      variants.push({ name: "before", dir: path.join(workDir, "before") });
    }
    if (o.only !== "before") {
      console.error("[bench] npm run build (the compiled program and pack the engine runs)");
      execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
      variants.push({ name: "after", dir: ROOT });
    }
    console.error(`[bench] variants: ${variants.map((v) => `${v.name}=${v.dir}`).join(", ")}`);

    cluster = startCluster(path.join(workDir, "kube"));
    const kube = new KubeApi(cluster);
    const standard = await kube.post("/apis/storage.k8s.io/v1/storageclasses", {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "rancher.io/local-path",
    });
    if (standard.status !== 201) throw new Error(`could not create the standard class: ${standard.status}`);
    const cli = new PulumiCli(workDir, "bench-passphrase");
    cli.env.KUBECONFIG = cluster.kubeconfig;
    const tls = servingCertificate(workDir, "coder.localtest.me");
    const stackFiles: Record<string, string> = {};
    for (const sc of scenarios(o)) {
      if (stackFiles[sc.stack]) continue;
      stackFiles[sc.stack] = cli.initStack(ROOT, sc.stack);
      writeStackConfig(stackFiles[sc.stack], cluster, tls.certificate, sc.namespaces);
      cli.ok(
        ROOT,
        ["config", "set", "--secret", "--path", "coder-blueprint:tls.provided.privateKey"].concat([
          "--stack",
          sc.stack,
          "--config-file",
          stackFiles[sc.stack],
        ]),
        tls.privateKey,
      );
    }
    const stackOf = (stack: string) => stackArgs(stack, stackFiles[stack]);
    console.error("[bench] deploying the local stack (pulumi up, this tree)");
    cli.ok(ROOT, ["up", "--yes", "--skip-preview", ...stackOf("deployed"), ...policyArgs(ROOT)]);

    const runs: Run[] = [];
    const probeDir = path.join(workDir, "probe");
    const maxRounds = Math.max(...scenarios(o).map((sc) => sc.rounds(o)));
    for (let round = 1; round <= maxRounds; round++) {
      for (const sc of scenarios(o).filter((x) => x.rounds(o) >= round)) {
        // Alternate which variant goes first, so neither always runs on a warmer page cache.
        const order = round % 2 ? variants : [...variants].reverse();
        for (const v of order) {
          fs.rmSync(probeDir, { recursive: true, force: true });
          fs.mkdirSync(probeDir);
          cli.env.BENCH_ENGINE_PROBE_DIR = probeDir;
          const profileDir = path.join(workDir, "cpu-profiles", `${sc.stack}-${v.name}-${round}`);
          cli.env.NODE_OPTIONS = `--require ${PROBE}` + (o.cpuProf ? ` --cpu-prof --cpu-prof-dir=${profileDir}` : "");
          const load1 = os.loadavg()[0];
          const cpu0 = childrenCpuMs();
          const t0 = Date.now();
          const args = ["preview", ...stackOf(sc.stack), ...(sc.pack ? policyArgs(v.dir) : [])];
          // A fresh 200-namespace preview on a busy 2-core machine can take longer than the e2e suite's limit.
          // The program refuses a preview without its policy pack unless told that is deliberate.
          const override = sc.pack ? {} : { [ALLOW_NO_POLICY_PACK_ENV]: "1" };
          const result = cli.run(v.dir, args, undefined, override, PREVIEW_TIMEOUT_MS);
          const wallMs = Date.now() - t0;
          const cpuMs = childrenCpuMs() - cpu0;
          if (result.code !== 0)
            throw new Error(`${v.name} preview of ${sc.stack} failed:\n${result.output.slice(-4000)}`);
          const probes = fs
            .readdirSync(probeDir)
            .filter((f) => f.endsWith(".json"))
            .map((f) => JSON.parse(fs.readFileSync(path.join(probeDir, f), "utf8")) as Probe);
          const run: Run = {
            scenario: sc.name,
            variant: v.name,
            round,
            wallMs,
            cpuMs,
            ...previewSummary(result.output),
            load1,
            phases: phases(probes),
            nodes: Object.fromEntries(probes.map((p) => [p.role, p.node])),
          };
          if (o.cpuProf && fs.existsSync(profileDir)) {
            // The profile of the longest-lived process: the program's (a re-exec's launcher writes one too).
            const files = fs.readdirSync(profileDir).map((f) => path.join(profileDir, f));
            const largest = files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
            try {
              if (largest) run.profiles = { program: profileSummary(largest) };
            } catch (e) {
              console.error(`[bench] unreadable CPU profile ${largest}: ${String(e)}`);
            }
          }
          runs.push(run);
          console.error(
            `[bench] round ${round} ${sc.name} [${v.name}]: ${(wallMs / 1000).toFixed(1)} s wall, ` +
              `${(cpuMs / 1000).toFixed(1)} s CPU, ${run.resources} resources (changes: ${run.changes}), ` +
              `load ${load1.toFixed(2)}`,
          );
        }
      }
    }

    const meta = {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      baseline: execFileSync("git", ["-C", ROOT, "rev-parse", "--short", o.baseline], { encoding: "utf8" }).trim(),
      after: execFileSync("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim(),
      pulumi: execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim(),
      cpus: os.cpus().length,
      loadAverageAtEnd: os.loadavg(),
      loadAverageDuringRuns: { min: Math.min(...runs.map((r) => r.load1)), max: Math.max(...runs.map((r) => r.load1)) },
      nodes: Object.fromEntries(variants.map((v) => [v.name, runs.find((r) => r.variant === v.name)?.nodes])),
    };
    const outDir = path.join(ROOT, "reports", "bench-engine");
    fs.mkdirSync(outDir, { recursive: true });
    const stamp = started.toISOString().replace(/[:.]/g, "-");
    fs.writeFileSync(path.join(outDir, `${stamp}.json`), JSON.stringify({ meta, runs }, null, 2));
    const markdown = report(o, runs, meta);
    fs.writeFileSync(path.join(outDir, `${stamp}.md`), markdown + "\n");
    console.log(markdown);
    console.error(`[bench] results in ${path.relative(ROOT, outDir)}/${stamp}.{json,md}`);
  } finally {
    cleanup();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
