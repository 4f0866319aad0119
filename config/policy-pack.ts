// The program refuses to run without the project's policy pack. The engine does not tell a program which
// packs run beside it (the language host's RunRequest, its environment and the resource monitor carry no
// policy information), so the commands that pass `--policy-pack` also set a marker naming the pack's
// directory: `npm run preview`/`npm run up` (scripts/with-policy-pack.sh), the sandbox and the e2e harness.
// A plain `pulumi up` has no marker and stops here, before any resource is registered. The marker guards
// against forgetting the pack, not against someone who sets it by hand: that is what a Pulumi Cloud policy
// group, enforced server-side, is for (README, "Running with the policy pack").
import * as fs from "fs";
import * as path from "path";

/** Set to the directory given to `--policy-pack` by every command that passes the project's pack. */
export const POLICY_PACK_ENV = "CODER_BLUEPRINT_POLICY_PACK";
/** Set to 1 to run without the pack on purpose; the program logs a warning on every run. */
export const ALLOW_NO_POLICY_PACK_ENV = "CODER_BLUEPRINT_ALLOW_NO_POLICY_PACK";

/**
 * The project's own pack, beside Pulumi.yaml: found by walking up, since the engine runs the compiled
 * program from bin/ while specs run this file from the source tree.
 */
export function projectPolicyPack(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return path.join(dir, "policy-pack");
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "policy-pack");
  }
}

export const PROJECT_POLICY_PACK = projectPolicyPack();

export type PolicyPackCheck =
  { verdict: "pack"; dir: string } | { verdict: "override"; warning: string } | { verdict: "refused"; message: string };

/** The `name` in a directory's package.json, when it has one (what the engine reports as the pack's name). */
export function packageName(dir: string): string | undefined {
  try {
    const name: unknown = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown })
      .name;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}

const FIX =
  "run `npm run preview` or `npm run up` (they pass the pack and set the marker), or pass " +
  "`--policy-pack policy-pack --policy-pack-config stacks/policy.<stack>.json` and set " +
  `${POLICY_PACK_ENV}=policy-pack yourself; ${ALLOW_NO_POLICY_PACK_ENV}=1 runs without the pack, with a warning`;

/**
 * Judges the environment the program runs in. `cwd` resolves a relative marker as the engine resolves
 * `--policy-pack` (from the project directory); `projectPack` is the pack whose package name the marker
 * must name, so a stale or mistyped path does not pass.
 */
export function checkPolicyPack(
  env: NodeJS.ProcessEnv,
  cwd: string,
  projectPack: string = PROJECT_POLICY_PACK,
  nameOf: (dir: string) => string | undefined = packageName,
): PolicyPackCheck {
  const expected = nameOf(projectPack);
  const marker = env[POLICY_PACK_ENV]?.trim();
  if (marker) {
    const dir = path.resolve(cwd, marker);
    const found = nameOf(dir);
    if (expected !== undefined && found === expected) return { verdict: "pack", dir };
    if (env[ALLOW_NO_POLICY_PACK_ENV] !== "1") {
      return {
        verdict: "refused",
        message:
          `${POLICY_PACK_ENV}=${marker} does not name the project's policy pack ` +
          `(${dir} has package ${found ? `"${found}"` : "none"}, expected "${expected ?? "?"}"); ${FIX}`,
      };
    }
  }
  if (env[ALLOW_NO_POLICY_PACK_ENV] === "1") {
    return {
      verdict: "override",
      warning:
        `${ALLOW_NO_POLICY_PACK_ENV}=1: running without the project's policy pack; nothing checks this ` +
        "deployment against Coder's shared-responsibility model",
    };
  }
  return {
    verdict: "refused",
    message: `this program runs only with the project's policy pack (${expected ?? "policy-pack"}); ${FIX}`,
  };
}

export class PolicyPackError extends Error {
  constructor(message: string) {
    super(`Refusing to run without the policy pack:\n  - ${message}`);
    this.name = "PolicyPackError";
  }
}

/**
 * Throws a PolicyPackError when the pack is missing and not waived, and returns the override's warning
 * (for the caller to log through the engine) when it is.
 */
export function requirePolicyPack(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const check = checkPolicyPack(env, cwd);
  if (check.verdict === "refused") throw new PolicyPackError(check.message);
  return check.verdict === "override" ? check.warning : undefined;
}
