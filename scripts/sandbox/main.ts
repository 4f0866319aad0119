// npm run sandbox [-- up|down|status] [--dir DIR]: the local stack, deployed for real by the Pulumi CLI with
// the policy pack enforcing, into a loopback control plane that keeps running until `down`. Everything it
// makes lives in DIR (default .sandbox/, git-ignored); `up` again reuses what is there.
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { attachCluster, ControlPlane, startCluster, stopControlPlane } from "./cluster";
import { KubeApi } from "./kube-api";
import { createLocalStack, ensureKindDefaultClass, policyArgs, stackArgs } from "./local-stack";
import { PulumiCli } from "./pulumi-cli";
import { formatSummary, summarizeState } from "./summary";
import { ensureToolchain, formatDuration } from "./toolchain";

const ROOT = path.resolve(__dirname, "..", "..");
const STACK = "local";
/** Written by `up`: `down` deletes only a directory that holds it. */
const OWNER_FILE = "sandbox.txt";
const DEFAULT_DIR = path.join(ROOT, ".sandbox");

const USAGE = `usage: npm run sandbox [-- up|down|status] [--dir DIR]
  up      (default) build or reuse the toolchain, start or reuse the control plane, deploy the local stack
  down    stop every process the sandbox started and delete DIR
  status  whether the control plane runs, and what the last \`up\` deployed
  --dir   where the sandbox keeps its state (default: .sandbox)`;

function log(line: string): void {
  process.stderr.write(`[sandbox] ${line}\n`);
}

function step<T>(name: string, fn: () => T): T {
  const started = Date.now();
  log(`${name}…`);
  const result = fn();
  log(`${name}: done in ${formatDuration((Date.now() - started) / 1000)}`);
  return result;
}

function layout(dir: string) {
  return {
    dir,
    kube: path.join(dir, "kube"),
    pulumi: path.join(dir, "pulumi"),
    passphrase: path.join(dir, "passphrase"),
    tls: path.join(dir, "tls"),
    env: path.join(dir, "env.sh"),
    lastUp: path.join(dir, "last-up.txt"),
  };
}
type Layout = ReturnType<typeof layout>;

/** The secrets passphrase of the sandbox's stack, made once and readable only by its owner. */
function passphraseFile(file: string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(24).toString("base64url"), { mode: 0o600 });
  return file;
}

function controlPlane(l: Layout): ControlPlane {
  const running = attachCluster(l.kube);
  if (running) {
    log(`control plane: reusing ${running.server} (pids ${JSON.stringify(running.pids)})`);
    return running;
  }
  // A plane that died (a reboot, a killed process) restarts on its etcd data and certificates.
  if (fs.existsSync(l.kube)) stopControlPlane(l.kube, true);
  return step("control plane: starting etcd, kube-apiserver, kube-controller-manager", () =>
    startCluster(l.kube, { detach: true }),
  );
}

/** A shell file for running pulumi and kubectl against the sandbox by hand. */
function writeEnvFile(l: Layout, toolPath: string, plane: ControlPlane): void {
  const vars: Record<string, string> = {
    PULUMI_HOME: path.join(l.pulumi, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(l.pulumi, "state")}`,
    PULUMI_CONFIG_PASSPHRASE_FILE: l.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    KUBECONFIG: plane.kubeconfig,
  };
  const lines = Object.entries(vars).map(([k, v]) => `export ${k}='${v}'`);
  fs.writeFileSync(l.env, [`export PATH='${toolPath}':"$PATH"`, ...lines, ""].join("\n"));
}

async function up(l: Layout): Promise<void> {
  fs.mkdirSync(l.dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(l.dir, OWNER_FILE), "State of `npm run sandbox`; `npm run sandbox -- down` deletes it.\n");
  const toolPath = await ensureToolchain(log);
  // The engine runs the compiled program and pack (package.json `main`), so they must match the sources.
  step("build: compiling the program and the policy pack (npm run build)", () =>
    execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" }),
  );
  process.env.PATH = `${toolPath}${path.delimiter}${process.env.PATH ?? ""}`;
  const plane = controlPlane(l);
  await ensureKindDefaultClass(new KubeApi(plane));
  const cli = new PulumiCli(l.pulumi, { file: passphraseFile(l.passphrase) });
  // PulumiCli.initStack keeps stack files in a stand-in project named like ours.
  const stackFile = path.join(l.pulumi, "stacks", "coder-blueprint", `Pulumi.${STACK}.yaml`);
  const args = fs.existsSync(stackFile)
    ? stackArgs(STACK, stackFile)
    : step(`stack "${STACK}": creating`, () => createLocalStack(cli, ROOT, STACK, plane, l.tls).args);
  const output = step("pulumi up with the policy pack enforcing", () =>
    cli.ok(ROOT, ["up", "--yes", ...args, ...policyArgs(ROOT)]),
  );
  const pack = /coder-blueprint-policies@v[\d.]+/.exec(output)?.[0];
  if (!pack) throw new Error(`the policy pack did not run:\n${output.slice(-3000)}`);
  const exported = path.join(l.pulumi, "state.json");
  cli.ok(ROOT, ["stack", "export", "--stack", STACK, "--file", exported]);
  const summary = summarizeState(JSON.parse(fs.readFileSync(exported, "utf8")));
  fs.rmSync(exported);
  writeEnvFile(l, toolPath, plane);
  // The last "Resources:" block is the update's (the first is its preview's).
  const changes = [...output.matchAll(/^Resources:\n((?:[ \t]+.*\n?)+)/gm)].pop()?.[1].trimEnd() ?? "";
  const report = [
    `Stack "${STACK}" deployed into ${plane.server}; policy pack ${pack} enforcing, no mandatory violation.`,
    ...(changes ? ["this run:", changes] : []),
    ...formatSummary(summary),
  ];
  fs.writeFileSync(l.lastUp, report.join("\n") + "\n");
  // The posture report: the same program and pack, planned offline from the local stack's config; it prints
  // its own summary and writes report.md.
  const planDir = path.join(l.dir, "plan");
  step("posture report: npm run plan -- --stack local", () =>
    execFileSync("npm", ["run", "-s", "plan", "--", "--stack", STACK, "--out", planDir], {
      cwd: ROOT,
      stdio: "inherit",
    }),
  );
  console.log(
    [
      "",
      ...report,
      "",
      `kubeconfig:     ${plane.kubeconfig}   (context "${plane.context}")`,
      `by hand:        source ${path.relative(ROOT, l.env)} (pulumi on PATH, KUBECONFIG, the state), then`,
      `                npm run preview -- ${args.join(" ")}`,
      `posture report: ${path.relative(ROOT, path.join(planDir, STACK, "report.md"))}`,
      `stop:           npm run sandbox -- down${l.dir === DEFAULT_DIR ? "" : ` --dir ${l.dir}`}`,
    ].join("\n"),
  );
}

function down(l: Layout): void {
  if (!fs.existsSync(l.dir)) {
    log(`nothing to stop: ${l.dir} does not exist`);
    return;
  }
  if (!fs.existsSync(path.join(l.dir, OWNER_FILE))) {
    throw new Error(`${l.dir} holds no ${OWNER_FILE}: not a sandbox directory, left as it is`);
  }
  if (fs.existsSync(l.kube)) stopControlPlane(l.kube);
  fs.rmSync(l.dir, { recursive: true, force: true });
  log(`stopped; ${l.dir} deleted`);
}

function status(l: Layout): number {
  const plane = fs.existsSync(l.kube) ? attachCluster(l.kube) : undefined;
  if (!plane) {
    console.log(`not running${fs.existsSync(l.dir) ? ` (state in ${l.dir}; \`npm run sandbox\` restarts it)` : ""}`);
    return 1;
  }
  console.log(`control plane: running at ${plane.server} (pids ${JSON.stringify(plane.pids)})`);
  console.log(`kubeconfig:    ${plane.kubeconfig}`);
  if (fs.existsSync(l.lastUp)) console.log(`last up:\n${fs.readFileSync(l.lastUp, "utf8").trimEnd()}`);
  return 0;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dir: { type: "string", default: ".sandbox" }, help: { type: "boolean", short: "h" } },
  });
  const command = positionals[0] ?? "up";
  if (values.help || positionals.length > 1 || !["up", "down", "status"].includes(command)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const l = layout(path.resolve(ROOT, values.dir));
  if (command === "down") down(l);
  else if (command === "status") return status(l);
  else await up(l);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    log(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  },
);
