// A throw-away control plane (etcd, kube-apiserver, kube-controller-manager) on loopback, started by
// scripts/kube-up.sh and always stopped again, also when a test fails.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { KubeAccess } from "./kube-api";

const SCRIPTS = path.resolve(__dirname, "..", "..", "..", "scripts");

export interface TestCluster extends KubeAccess {
  kubeconfig: string;
  /** The kubeconfig context kube-up.sh writes. */
  context: string;
  stateDir: string;
  stop(): void;
}

export function startCluster(stateDir: string): TestCluster {
  const exports = execFileSync("bash", [path.join(SCRIPTS, "kube-up.sh"), stateDir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 180_000,
  });
  const vars: Record<string, string> = {};
  for (const [, key, value] of exports.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)) vars[key] = value;
  const pki = path.join(vars.E2E_KUBE_DIR, "pki");
  let stopped = false;
  return {
    kubeconfig: vars.KUBECONFIG,
    context: "e2e",
    stateDir: vars.E2E_KUBE_DIR,
    server: vars.E2E_APISERVER_URL,
    caFile: path.join(pki, "ca.crt"),
    token: fs.readFileSync(path.join(pki, "tokens.csv"), "utf8").split(",")[0],
    stop() {
      if (stopped) return;
      stopped = true;
      execFileSync("bash", [path.join(SCRIPTS, "kube-down.sh"), vars.E2E_KUBE_DIR], {
        stdio: "inherit",
        timeout: 60_000,
      });
    },
  };
}
