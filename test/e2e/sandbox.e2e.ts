// `npm run sandbox` as a user runs it (in a scratch --dir, never the repository's .sandbox/), and the
// program's refusal to run without the policy pack, with the real CLI against the sandbox's own stack.
// The tests run in order: each builds on the state the previous one left.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ALLOW_NO_POLICY_PACK_ENV } from "../../config/policy-pack";
import { attachCluster, stopControlPlane } from "../../scripts/sandbox/cluster";
import { stackArgs } from "../../scripts/sandbox/local-stack";
import { KubeApi } from "./harness/kube-api";
import { PulumiCli } from "./harness/pulumi-cli";

const ROOT = path.resolve(__dirname, "..", "..");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm run sandbox, and the program without the policy pack (e2e)", function () {
  let dir: string;
  let pids: Record<string, number>;
  const kubeDir = () => path.join(dir, "kube");
  const stackFile = () => path.join(dir, "pulumi", "stacks", "coder-blueprint", "Pulumi.local.yaml");
  const sandbox = (command: string) => {
    const result = spawnSync("npm", ["run", "--silent", "sandbox", "--", command, "--dir", dir], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 900_000,
    });
    if (result.error) throw result.error;
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, all: result.stdout + result.stderr };
  };
  const cli = () => new PulumiCli(path.join(dir, "pulumi"), { file: path.join(dir, "passphrase") });

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-blueprint-sandbox-"));
  });

  after(function () {
    // Only when a test failed half-way: `down` has normally removed everything.
    if (fs.existsSync(kubeDir())) stopControlPlane(kubeDir());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("`up` starts the control plane and deploys the local stack with the pack enforcing", async () => {
    const up = sandbox("up");
    assert.strictEqual(up.code, 0, up.all.slice(-4000));
    assert.match(up.stdout, /policy pack coder-blueprint-policies@v[\d.]+ enforcing/);
    assert.match(up.stdout, /^namespaces: coder, coder-workspaces$/m);
    assert.match(up.stdout, /^\s+\d+\s+kubernetes:networking\.k8s\.io\/v1:NetworkPolicy$/m);
    assert.match(up.stdout, new RegExp(`kubeconfig: +${path.join(kubeDir(), "kubeconfig")}`));
    assert.match(up.stdout, new RegExp(`npm run sandbox -- down --dir ${dir}`));
    assert.strictEqual(fs.statSync(path.join(dir, "passphrase")).mode & 0o777, 0o600);

    const plane = attachCluster(kubeDir());
    assert.ok(plane, "no running control plane recorded in the sandbox directory");
    pids = plane.pids;
    assert.deepStrictEqual(Object.keys(pids).sort(), ["etcd", "kube-apiserver", "kube-controller-manager"]);
    const namespace = await new KubeApi(plane).get("/api/v1/namespaces/coder-workspaces");
    assert.strictEqual(namespace.status, 200, "the API server does not hold the workspace namespace");
  });

  it("a plain `pulumi preview` is refused by the program before it registers a resource", () => {
    const preview = cli().run(ROOT, ["preview", ...stackArgs("local", stackFile())]);
    assert.notStrictEqual(preview.code, 0, preview.output.slice(-3000));
    assert.match(preview.output, /PolicyPackError: Refusing to run without the policy pack/);
    assert.match(preview.output, /npm run up/);
    assert.match(preview.output, new RegExp(`${ALLOW_NO_POLICY_PACK_ENV}=1`));
    assert.doesNotMatch(preview.output, /pulumi:providers:kubernetes|kubernetes:[\w.]+\/v\d/);
  });

  it("passes with the override, which the program logs", () => {
    const preview = cli().run(ROOT, ["preview", ...stackArgs("local", stackFile())], undefined, {
      [ALLOW_NO_POLICY_PACK_ENV]: "1",
    });
    assert.strictEqual(preview.code, 0, preview.output.slice(-3000));
    assert.match(preview.output, /warning: CODER_BLUEPRINT_ALLOW_NO_POLICY_PACK=1: running without/);
    assert.doesNotMatch(preview.output, /coder-blueprint-policies@v/, "the pack ran although nobody passed it");
  });

  it("a second `up` reuses the running control plane and the stack: same processes, no changes", () => {
    const up = sandbox("up");
    assert.strictEqual(up.code, 0, up.all.slice(-4000));
    assert.match(up.stderr, /control plane: reusing/);
    assert.doesNotMatch(up.stderr, /creating/);
    assert.match(up.stdout, /^this run:\n\s+\d+ unchanged$/m);
    assert.deepStrictEqual(attachCluster(kubeDir())?.pids, pids);
  });

  it("`down` stops every process it started and leaves nothing behind", () => {
    const down = sandbox("down");
    assert.strictEqual(down.code, 0, down.all.slice(-4000));
    for (const [name, pid] of Object.entries(pids)) assert.ok(!alive(pid), `${name} (pid ${pid}) still runs`);
    assert.ok(!fs.existsSync(dir), `${dir} is still there`);
    const status = sandbox("status");
    assert.strictEqual(status.code, 1);
    assert.match(status.stdout, /^not running$/m);
  });
});
