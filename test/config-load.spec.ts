// How config/index.ts reads the stack's configuration from the Pulumi runtime and reports bad input: one
// error listing every problem, each naming the setting as the operator types it and the fix.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadConfig } from "../config";
import { dottedKey, problem } from "../config/problem";
import { rawStackConfig, stackProblems as problemsFor, withTestSecrets } from "./harness/stacks";

/** The runtime's config map and stack name, as the CLI hands them to the program. */
interface RuntimeConfig {
  flat: Record<string, string>;
  secretKeys: string[];
  stack: string;
}

// Both are internal to the SDK, so not in its type declarations; config/index.ts reaches isConfigSecret the same way.
const runtime = pulumi.runtime as unknown as { _setStack(stack: string): void; isConfigSecret(k: string): boolean };

/** Runs `body` with the runtime holding `config` and the working directory at `cwd`, then restores both. */
function withRuntime<T>(config: RuntimeConfig, cwd: string, body: () => T): T {
  const before = pulumi.runtime.allConfig();
  const beforeSecret = Object.keys(before).filter((k) => runtime.isConfigSecret(k));
  const beforeStack = pulumi.getStack();
  const beforeCwd = process.cwd();
  try {
    pulumi.runtime.setAllConfig(config.flat, config.secretKeys);
    runtime._setStack(config.stack);
    process.chdir(cwd);
    return body();
  } finally {
    process.chdir(beforeCwd);
    runtime._setStack(beforeStack);
    pulumi.runtime.setAllConfig(before, beforeSecret);
  }
}

/** The dev stack as the engine passes it: every value JSON-encoded, the credential holders marked secret. */
function devRuntime(stack: string): RuntimeConfig {
  const { raw, secretKeys } = withTestSecrets(rawStackConfig("dev"));
  const flat: Record<string, string> = { "aws:region": "eu-west-1" };
  for (const [key, value] of Object.entries(raw)) flat[`coder-blueprint:${key}`] = JSON.stringify(value);
  return { flat, secretKeys: [...secretKeys], stack };
}

function loadProblems(config: RuntimeConfig, cwd: string): string[] {
  try {
    withRuntime(config, cwd, loadConfig);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail("configuration was accepted");
}

describe("reading stack configuration", () => {
  let empty: string;
  before(() => (empty = fs.mkdtempSync(path.join(os.tmpdir(), "config-load-"))));
  after(() => fs.rmSync(empty, { recursive: true, force: true }));

  it("returns the typed config of a stack whose credentials the engine encrypts", () => {
    const cfg = withRuntime(devRuntime("dev-copy"), empty, loadConfig);
    assert.strictEqual(cfg.stack, "dev-copy");
    assert.strictEqual(cfg.cluster.target, "eks");
  });

  it("refuses a credential whose key the engine holds in plain text, and only that one", () => {
    const config = devRuntime("dev-copy");
    config.secretKeys = config.secretKeys.filter((k) => k !== "coder-blueprint:oidc");
    assert.deepStrictEqual(
      loadProblems(config, empty).map((p) => p.split(": ")[0]),
      ["coder-blueprint:oidc.clientSecret"],
    );
  });

  it("scans the stack's own file in stacks/ for credentials committed in plain text", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-load-"));
    try {
      fs.mkdirSync(path.join(dir, "stacks"));
      const file = "config:\n  coder-blueprint:oidc:\n    clientSecret: committed-in-plain-text\n";
      fs.writeFileSync(path.join(dir, "stacks", "Pulumi.team.yaml"), file);
      // The engine passes a fully qualified stack name in an organisation; the file is named after its last part.
      assert.deepStrictEqual(loadProblems(devRuntime("acme/coder-blueprint/team"), dir), [
        "coder-blueprint:oidc.clientSecret: stored in plain text in stacks/Pulumi.team.yaml; encrypt it with: " +
          "pulumi config set --secret --path 'coder-blueprint:oidc.clientSecret' <value>",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails loudly when the SDK stops telling which keys are secret", () => {
    const sdk = pulumi.runtime as unknown as Record<string, unknown>;
    const isConfigSecret = sdk.isConfigSecret;
    delete sdk.isConfigSecret;
    try {
      assert.throws(
        () => withRuntime(devRuntime("dev-copy"), empty, loadConfig),
        /^Error: @pulumi\/pulumi no longer exposes runtime\.isConfigSecret; update config\/index\.ts/,
      );
    } finally {
      sdk.isConfigSecret = isConfigSecret;
    }
  });
});

describe("configuration errors", () => {
  it("count the problems in the headline and list each on its own line", () => {
    const one = new ConfigError([problem("tls.mode", "pick one")]);
    assert.strictEqual(one.name, "ConfigError");
    assert.strictEqual(one.message, "Invalid stack configuration (1 problem):\n  - coder-blueprint:tls.mode: pick one");
    const two = new ConfigError([problem("a", "x"), problem("b[0].c", "y")]);
    assert.strictEqual(
      two.message,
      "Invalid stack configuration (2 problems):\n  - coder-blueprint:a: x\n  - coder-blueprint:b[0].c: y",
    );
    assert.deepStrictEqual(two.problems, ["coder-blueprint:a: x", "coder-blueprint:b[0].c: y"]);
  });

  it("name the secret command for a missing credential the schema requires, list index included", () => {
    assert.deepStrictEqual(
      problemsFor("dev", (raw) => delete raw.oidc.clientSecret),
      [
        "coder-blueprint:oidc.clientSecret: required secret, not set; run: " +
          "pulumi config set --secret --path 'coder-blueprint:oidc.clientSecret' <value>",
      ],
    );
    assert.deepStrictEqual(
      problemsFor("prod", (raw) => delete raw.gitProviders[1].clientSecret),
      [
        "coder-blueprint:gitProviders[1].clientSecret: required secret, not set; run: " +
          "pulumi config set --secret --path 'coder-blueprint:gitProviders[1].clientSecret' <value>",
      ],
    );
  });

  it("say a missing plain setting is required and of what type", () => {
    assert.deepStrictEqual(
      problemsFor("dev", (raw) => delete raw.workspaces.maxWorkspaces),
      ["coder-blueprint:workspaces.maxWorkspaces: required, but not set (expected number)"],
    );
  });

  it("say what was expected and received for a value of the wrong type, without calling it missing", () => {
    assert.deepStrictEqual(
      problemsFor("dev", (raw) => (raw.workspaces.maxWorkspaces = "lots")),
      ["coder-blueprint:workspaces.maxWorkspaces: Invalid input: expected number, received string"],
    );
  });

  it("keep a block's own reason when it is missing, and say what was received when it is malformed", () => {
    const PEM = "-----BEGIN CERTIFICATE-----\nc\n-----END CERTIFICATE-----";
    assert.deepStrictEqual(
      problemsFor("local", (raw) => (raw.tls = { mode: "provided", trustedCaCertificates: [PEM] })),
      [
        'coder-blueprint:tls.provided: required when tls.mode is "provided"; ' +
          "give certificate (PEM chain) and privateKey (as a secret)",
      ],
    );
    assert.deepStrictEqual(
      problemsFor("local", (raw) => (raw.tls = { mode: "provided", provided: PEM })),
      ["coder-blueprint:tls.provided: Invalid input: expected object, received string"],
    );
  });

  it("list the allowed values for a missing choice", () => {
    assert.deepStrictEqual(
      problemsFor("dev", (raw) => delete raw.gitProviders[0].type),
      [
        'coder-blueprint:gitProviders[0].type: Invalid option: expected one of "github"|"gitlab"|' +
          '"azure-devops"|"azure-devops-entra"|"bitbucket-cloud"|"bitbucket-server"|"gitea"',
      ],
    );
  });
});

describe("setting names in messages", () => {
  it("write list indexes in brackets and every other part after a dot", () => {
    assert.strictEqual(dottedKey(["aws", "nodePools", 12, "x1", "1x", "3", "name"]), "aws.nodePools[12].x1.1x[3].name");
    assert.strictEqual(dottedKey([]), "");
  });
});
