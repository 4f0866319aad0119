// The real Pulumi CLI, with a file:// backend and a scratch PULUMI_HOME in a temp directory, no update
// checks and no plugin downloads: everything it runs was built by scripts/e2e-tools.sh.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";

export interface CliResult {
  code: number;
  output: string;
}

export class PulumiCli {
  readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly workDir: string,
    passphrase: string,
  ) {
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

  /**
   * Creates `stack` of the project in `projectDir` with its stack file in the work directory, never next to
   * the project: `stack init` has no `--config-file`, so it runs in a stand-in project of the same name
   * (the backend keys stacks by project name). Every later command on the stack passes the returned path
   * as `--config-file`.
   */
  initStack(projectDir: string, stack: string): string {
    const { name, runtime } = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"));
    const standIn = path.join(this.workDir, "stacks", name);
    fs.mkdirSync(standIn, { recursive: true });
    fs.writeFileSync(path.join(standIn, "Pulumi.yaml"), stringify({ name, runtime }));
    this.ok(standIn, ["stack", "init", stack]);
    const stackFile = path.join(standIn, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) throw new Error(`stack init wrote no ${stackFile}`);
    return stackFile;
  }

  run(cwd: string, args: string[], input?: string, timeoutMs = 600_000): CliResult {
    const result = spawnSync("pulumi", [...args, "--non-interactive"], {
      cwd,
      env: this.env,
      input,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
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
