// The offline toolchain (scripts/e2e-tools.sh): built on the first run (about 15 minutes on 2 cores, with
// long silent compiles), reused afterwards. While it builds, the terminal shows which tool and for how long.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as readline from "readline";

const TOOLS_SCRIPT = path.resolve(__dirname, "..", "e2e-tools.sh");

export function toolchainCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.E2E_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "coder-blueprint-e2e");
}

/** The PATH entries in an `export PATH='…':"$PATH"` line, as e2e-tools.sh prints it and writes env.sh. */
export function pathFromExports(text: string): string | undefined {
  return /^export PATH='([^']*)':"\$PATH"$/m.exec(text)?.[1];
}

/** The toolchain's PATH entries from an earlier build's env.sh, without building anything. */
export function cachedToolchainPath(): string | undefined {
  const envFile = path.join(toolchainCache(), "env.sh");
  return fs.existsSync(envFile) ? pathFromExports(fs.readFileSync(envFile, "utf8")) : undefined;
}

/** A log line of e2e-tools.sh (`[e2e-tools 12:34:56] kube-apiserver: building in …`): its tool and message. */
export function toolLogLine(line: string): { tool: string; message: string } | undefined {
  const match = /^\[e2e-tools [\d:]+\] ([\w-]+): (.*)$/.exec(line);
  return match ? { tool: match[1], message: match[2] } : undefined;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/**
 * Builds or reuses every tool (at low CPU priority) and returns the PATH entries to prepend. The script's
 * own log lines are shown as they come; between them a status line says which tool is building and for
 * how long (rewritten in place on a terminal, every 30 s otherwise).
 */
export function ensureToolchain(log: (line: string) => void, script = TOOLS_SCRIPT): Promise<string> {
  const started = Date.now();
  let step = "checking the cache";
  let stepStarted = started;
  let building = false;
  const tty = process.stderr.isTTY === true;
  const status = () =>
    `toolchain: ${step} (${formatDuration((Date.now() - stepStarted) / 1000)}, ` +
    `total ${formatDuration((Date.now() - started) / 1000)})`;
  const clearStatus = () => tty && process.stderr.write("\r\x1b[K");
  const child = spawn("nice", ["-n", "10", "bash", script], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  // go's own output (downloads, compiler errors) is kept back, and shown only when the script fails.
  const other: string[] = [];
  readline.createInterface({ input: child.stderr }).on("line", (line) => {
    const entry = toolLogLine(line);
    if (!entry) {
      other.push(line);
      if (other.length > 60) other.shift();
      return;
    }
    if (entry.message.startsWith("building")) {
      building = true;
      step = `building ${entry.tool}`;
      stepStarted = Date.now();
    }
    if (building || !entry.message.startsWith("cached")) {
      clearStatus();
      log(line);
    }
  });
  const ticker = setInterval(
    () => {
      if (!building) return;
      if (tty) process.stderr.write(`\r\x1b[K[sandbox] ${status()}`);
      else log(status());
    },
    tty ? 1000 : 30_000,
  );
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(ticker);
      clearStatus();
      const entries = pathFromExports(stdout);
      if (code !== 0 || !entries) {
        for (const line of other) log(line);
        reject(new Error(`scripts/e2e-tools.sh exited ${code}; its log above names the tool that failed`));
        return;
      }
      log(`toolchain ready in ${formatDuration((Date.now() - started) / 1000)}${building ? "" : " (cached)"}`);
      resolve(entries);
    });
  });
}
