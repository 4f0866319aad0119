// The program refuses to run without the project's policy pack unless the override is given, before any
// resource is registered; the marker must name the project's pack, not any directory.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  ALLOW_NO_POLICY_PACK_ENV,
  checkPolicyPack,
  POLICY_PACK_ENV,
  PolicyPackError,
  PROJECT_POLICY_PACK,
  projectPolicyPack,
  requirePolicyPack,
} from "../config/policy-pack";

const ROOT = path.resolve(__dirname, "..");

describe("policy pack guard", () => {
  it("passes when the marker names the project's pack, relative to the project or absolute", () => {
    for (const marker of ["policy-pack", "./policy-pack/", PROJECT_POLICY_PACK]) {
      const check = checkPolicyPack({ [POLICY_PACK_ENV]: marker }, ROOT);
      assert.deepStrictEqual(check, { verdict: "pack", dir: PROJECT_POLICY_PACK }, marker);
    }
    assert.strictEqual(requirePolicyPack({ [POLICY_PACK_ENV]: "policy-pack" }, ROOT), undefined);
  });

  it("finds the project's pack from the compiled program in bin/ as from the sources", () => {
    const pack = path.join(ROOT, "policy-pack");
    assert.strictEqual(PROJECT_POLICY_PACK, pack);
    for (const from of [path.join(ROOT, "config"), path.join(ROOT, "bin", "config"), ROOT])
      assert.strictEqual(projectPolicyPack(from), pack, from);
  });

  it("refuses a plain run, naming the npm scripts and the override", () => {
    for (const env of [{}, { [POLICY_PACK_ENV]: "" }, { [ALLOW_NO_POLICY_PACK_ENV]: "true" }]) {
      assert.throws(
        () => requirePolicyPack(env, ROOT),
        (e: unknown) =>
          e instanceof PolicyPackError &&
          /npm run up/.test(e.message) &&
          /--policy-pack policy-pack/.test(e.message) &&
          e.message.includes(`${ALLOW_NO_POLICY_PACK_ENV}=1`),
        JSON.stringify(env),
      );
    }
  });

  it("refuses a marker that names another directory or another package", () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "guard-"));
    try {
      fs.writeFileSync(path.join(other, "package.json"), JSON.stringify({ name: "some-other-pack" }));
      for (const marker of ["1", "true", "policy-pak", ROOT, other]) {
        const check = checkPolicyPack({ [POLICY_PACK_ENV]: marker }, ROOT);
        assert.strictEqual(check.verdict, "refused", marker);
        assert.match(check.verdict === "refused" ? check.message : "", /does not name the project's policy pack/);
      }
      const check = checkPolicyPack({ [POLICY_PACK_ENV]: other }, ROOT);
      assert.match(check.verdict === "refused" ? check.message : "", /"some-other-pack", expected "coder-blueprint/);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("runs with the explicit override, returning the warning to log", () => {
    for (const env of [
      { [ALLOW_NO_POLICY_PACK_ENV]: "1" },
      { [ALLOW_NO_POLICY_PACK_ENV]: "1", [POLICY_PACK_ENV]: "elsewhere" },
    ]) {
      const warning = requirePolicyPack(env, ROOT);
      assert.match(warning ?? "", /running without the project's policy pack/, JSON.stringify(env));
    }
  });

  it("refuses everything when the project's own pack cannot be read", () => {
    const check = checkPolicyPack({ [POLICY_PACK_ENV]: "policy-pack" }, ROOT, PROJECT_POLICY_PACK, () => undefined);
    assert.strictEqual(check.verdict, "refused");
    assert.match(check.verdict === "refused" ? check.message : "", /has package none, expected "\?"\)/);
    const plain = checkPolicyPack({}, ROOT, PROJECT_POLICY_PACK, () => undefined);
    assert.match(
      plain.verdict === "refused" ? plain.message : "",
      /runs only with the project's policy pack \(policy-pack\);/,
    );
  });

  it("reads the marker and the override by their exact names, the marker without surrounding blanks", () => {
    // scripts/with-policy-pack.sh, the sandbox and the e2e harness set these names.
    assert.strictEqual(POLICY_PACK_ENV, "CODER_BLUEPRINT_POLICY_PACK");
    assert.strictEqual(ALLOW_NO_POLICY_PACK_ENV, "CODER_BLUEPRINT_ALLOW_NO_POLICY_PACK");
    const check = checkPolicyPack({ [POLICY_PACK_ENV]: " policy-pack \n" }, ROOT);
    assert.deepStrictEqual(check, { verdict: "pack", dir: PROJECT_POLICY_PACK });
  });

  it("tells the user every way to run, and says what an override leaves unchecked", () => {
    const check = checkPolicyPack({}, ROOT);
    assert.strictEqual(
      check.verdict === "refused" ? check.message : "",
      "this program runs only with the project's policy pack (coder-blueprint-policies); run `npm run preview` or " +
        "`npm run up` (they pass the pack and set the marker), or pass `--policy-pack policy-pack " +
        "--policy-pack-config stacks/policy.<stack>.json` and set CODER_BLUEPRINT_POLICY_PACK=policy-pack " +
        "yourself; CODER_BLUEPRINT_ALLOW_NO_POLICY_PACK=1 runs without the pack, with a warning",
    );
    const override = checkPolicyPack({ [ALLOW_NO_POLICY_PACK_ENV]: "1" }, ROOT);
    assert.match(
      override.verdict === "override" ? override.warning : "",
      /against Coder's shared-responsibility model$/,
    );
    const error = new PolicyPackError("why");
    assert.strictEqual(error.name, "PolicyPackError");
    assert.strictEqual(error.message, "Refusing to run without the policy pack:\n  - why");
  });

  it("finds the pack beside the nearest Pulumi.yaml above, and falls back to its own project's", () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), "guard-project-"));
    try {
      fs.writeFileSync(path.join(top, "Pulumi.yaml"), "name: other\n");
      const deep = path.join(top, "bin", "config");
      fs.mkdirSync(deep, { recursive: true });
      assert.strictEqual(projectPolicyPack(deep), path.join(top, "policy-pack"));
      assert.strictEqual(projectPolicyPack(top), path.join(top, "policy-pack"));
      fs.rmSync(path.join(top, "Pulumi.yaml"));
      // No project above: the pack of the project this file belongs to.
      assert.strictEqual(projectPolicyPack(deep), path.join(ROOT, "policy-pack"));
    } finally {
      fs.rmSync(top, { recursive: true, force: true });
    }
  });
});
