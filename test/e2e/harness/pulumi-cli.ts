// The real Pulumi CLI, with a file:// backend and a scratch PULUMI_HOME in a temp directory, no update
// checks and no plugin downloads: everything it runs was built by scripts/e2e-tools.sh.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface CliResult {
  code: number;
  output: string;
}

export class PulumiCli {
  readonly env: NodeJS.ProcessEnv;

  constructor(workDir: string, passphrase: string) {
    const home = path.join(workDir, "pulumi-home");
    const backend = path.join(workDir, "state");
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(backend, { recursive: true });
    this.env = {
      ...process.env,
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      NO_COLOR: "1",
    };
  }

  run(cwd: string, args: string[], input?: string): CliResult {
    const result = spawnSync("pulumi", [...args, "--non-interactive"], {
      cwd,
      env: this.env,
      input,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    });
    if (result.error) throw result.error;
    return { code: result.status ?? -1, output: `${result.stdout}\n${result.stderr}` };
  }

  /** Runs a command that must succeed, with its output in the failure message when it does not. */
  ok(cwd: string, args: string[], input?: string): string {
    const result = this.run(cwd, args, input);
    if (result.code !== 0)
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output.slice(-6000)}`);
    return result.output;
  }
}
