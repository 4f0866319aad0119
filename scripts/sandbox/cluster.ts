// The loopback control plane (etcd, kube-apiserver, kube-controller-manager) started by scripts/kube-up.sh:
// thrown away after each e2e run, kept running by the sandbox. Only the PIDs recorded in its state
// directory are ever stopped.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const SCRIPTS = path.resolve(__dirname, "..");

export interface ControlPlane {
  kubeconfig: string;
  /** The kubeconfig context kube-up.sh writes. */
  context: string;
  stateDir: string;
  /** The API server's URL, its CA and the admin's bearer token, for clients of the REST API. */
  server: string;
  caFile: string;
  token: string;
  /** The processes kube-up.sh started, by component; kube-controller-manager is optional. */
  pids: Record<string, number>;
  stop(): void;
}

/** The e2e suite's name for it. */
export type TestCluster = ControlPlane;

/** `export NAME='value'` lines, as kube-up.sh prints them and keeps them in STATE/env. */
function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [, key, value] of text.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)) vars[key] = value;
  return vars;
}

function controlPlane(vars: Record<string, string>): ControlPlane {
  const pki = path.join(vars.E2E_KUBE_DIR, "pki");
  const pids: Record<string, number> = {};
  for (const [name, key] of [
    ["etcd", "E2E_ETCD_PID"],
    ["kube-apiserver", "E2E_APISERVER_PID"],
    ["kube-controller-manager", "E2E_KCM_PID"],
  ]) {
    if (vars[key]) pids[name] = Number(vars[key]);
  }
  let stopped = false;
  return {
    kubeconfig: vars.KUBECONFIG,
    context: "e2e",
    stateDir: vars.E2E_KUBE_DIR,
    server: vars.E2E_APISERVER_URL,
    caFile: path.join(pki, "ca.crt"),
    token: fs.readFileSync(path.join(pki, "tokens.csv"), "utf8").split(",")[0],
    pids,
    stop() {
      if (stopped) return;
      stopped = true;
      stopControlPlane(vars.E2E_KUBE_DIR);
    },
  };
}

/**
 * Starts a plane in `stateDir`. With `detach` (the sandbox, which leaves it running) the processes get a
 * session of their own where setsid(1) exists, so a Ctrl-C meant for the caller does not reach them.
 */
export function startCluster(stateDir: string, options: { detach?: boolean } = {}): ControlPlane {
  const command = ["bash", path.join(SCRIPTS, "kube-up.sh"), stateDir];
  if (options.detach && fs.existsSync("/usr/bin/setsid")) command.unshift("setsid", "--wait");
  const exports = execFileSync(command[0], command.slice(1), {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 180_000,
  });
  return controlPlane(parseExports(exports));
}

/** Whether `pid` is a live process running `binary` (the command line guards against a recycled PID). */
export function isRunning(pid: number, binary: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0].endsWith(binary);
  } catch {
    // No procfs (macOS): a live PID is the best evidence there is.
    return true;
  }
}

/** The plane kube-up.sh started in `stateDir` earlier, when every process it recorded still runs. */
export function attachCluster(stateDir: string): ControlPlane | undefined {
  const envFile = path.join(stateDir, "env");
  if (!fs.existsSync(envFile)) return undefined;
  const plane = controlPlane(parseExports(fs.readFileSync(envFile, "utf8")));
  const recorded = Object.entries(plane.pids);
  return recorded.length > 0 && recorded.every(([name, pid]) => isRunning(pid, name)) ? plane : undefined;
}

/** Stops the processes recorded in `stateDir`; deletes the directory unless `keep` (its logs explain a failure). */
export function stopControlPlane(stateDir: string, keep = false): void {
  execFileSync("bash", [path.join(SCRIPTS, "kube-down.sh"), stateDir, ...(keep ? ["--keep"] : [])], {
    stdio: "inherit",
    timeout: 60_000,
  });
}
