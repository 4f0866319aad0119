// The real Pulumi CLI, with a file:// backend and its own PULUMI_HOME in a work directory (a temp directory
// for the e2e suite, .sandbox/ for the sandbox), no update checks and no plugin downloads: everything it
// runs was built by scripts/e2e-tools.sh.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { POLICY_PACK_ENV } from "../../config/policy-pack";

export interface CliResult {
  code: number;
  output: string;
}

export class PulumiCli {
  readonly env: NodeJS.ProcessEnv;

  /** `passphrase` is the secrets passphrase itself, or a file holding it (PULUMI_CONFIG_PASSPHRASE_FILE). */
  constructor(
    private readonly workDir: string,
    passphrase: string | { file: string },
  ) {
    const home = path.join(workDir, "pulumi-home");
    const backend = path.join(workDir, "state");
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(backend, { recursive: true });
    this.env = {
      ...process.env,
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${backend}`,
      ...(typeof passphrase === "string"
        ? { PULUMI_CONFIG_PASSPHRASE: passphrase }
        : { PULUMI_CONFIG_PASSPHRASE_FILE: passphrase.file }),
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
    const project = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as {
      name: string;
      runtime: unknown;
    };
    const { name, runtime } = project;
    const standIn = path.join(this.workDir, "stacks", name);
    fs.mkdirSync(standIn, { recursive: true });
    fs.writeFileSync(path.join(standIn, "Pulumi.yaml"), stringify({ name, runtime }));
    this.ok(standIn, ["stack", "init", stack]);
    const stackFile = path.join(standIn, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) throw new Error(`stack init wrote no ${stackFile}`);
    return stackFile;
  }

  /**
   * Runs `pulumi ARGS`. When ARGS pass `--policy-pack DIR`, the program is told so as `npm run preview` tells
   * it (config/policy-pack.ts); without one, the program refuses to run.
   */
  run(cwd: string, args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 600_000): CliResult {
    const pack = args.indexOf("--policy-pack");
    const marker = pack >= 0 ? { [POLICY_PACK_ENV]: path.resolve(cwd, args[pack + 1]) } : {};
    const env = { ...this.env, ...marker, ...extraEnv };
    const result = spawnSync("pulumi", [...args, "--non-interactive"], {
      cwd,
      env,
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
