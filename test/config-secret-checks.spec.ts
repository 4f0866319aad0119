// The checks config/secrets.ts drives from its table: which paths are credentials, where a credential
// belongs in a config whatever shape the operator gave its holder, and how an unencrypted one is reported.
import * as assert from "assert";
import { ConfigError, parseConfig } from "../config";
import { isSecretPath, plaintextSecretsInStackFile, secretSlots } from "../config/secrets";
import { rawStackConfig, stackConfig, withTestSecrets } from "./harness/stacks";

describe("the secret table's checks", () => {
  it("match a credential's path exactly: no deeper path, no list entry without a numeric index", () => {
    assert.ok(isSecretPath(["tls", "provided", "privateKey"]));
    assert.ok(!isSecretPath(["tls", "provided", "privateKey", "pem"]));
    assert.ok(!isSecretPath(["oidc", "clientSecret", 0]));
    assert.ok(isSecretPath(["gitProviders", 0, "clientSecret"]));
    assert.ok(!isSecretPath(["gitProviders", "github", "clientSecret"]));
  });

  it("find no credential slot in a holder that is not a map", () => {
    const slots = (oidc: unknown) => {
      const raw = { ...rawStackConfig("dev"), oidc };
      return secretSlots(raw).filter((s) => s.path[0] === "oidc");
    };
    assert.strictEqual(slots({ clientId: "coder" }).length, 1, "a map holds the client secret");
    for (const oidc of ["client-secret", null, ["client-secret"], 7]) {
      assert.deepStrictEqual(slots(oidc), [], `oidc: ${JSON.stringify(oidc)}`);
    }
    const tlsSlots = (tls: unknown) => secretSlots({ tls }).map((s) => s.path.join("."));
    assert.deepStrictEqual(tlsSlots({ mode: "private-ca", ca: {} }), ["tls.ca.privateKey"]);
    assert.deepStrictEqual(tlsSlots({ mode: "private-ca" }), []);
    assert.deepStrictEqual(tlsSlots(null), []);
    assert.deepStrictEqual(tlsSlots("private-ca"), []);
    assert.deepStrictEqual(tlsSlots({ mode: "private-ca", ca: null }), []);
    assert.deepStrictEqual(tlsSlots({ mode: "private-ca", ca: "pem" }), []);
  });

  it("report plain-text Git client secrets once, with the command for the first provider", () => {
    const { raw, secretKeys } = withTestSecrets(rawStackConfig("prod"));
    assert.ok(raw.gitProviders.length > 1, "prod lists several Git providers");
    secretKeys.delete("coder-blueprint:gitProviders");
    assert.throws(
      () => parseConfig(raw, "prod", secretKeys),
      (e: ConfigError) => {
        assert.deepStrictEqual(e.problems, [
          "coder-blueprint:gitProviders[n].clientSecret: stored in plain text in the stack file; encrypt it with: " +
            "pulumi config set --secret --path 'coder-blueprint:gitProviders[0].clientSecret' <value>",
        ]);
        return true;
      },
    );
  });

  it("scan the stack file only where it holds the credential's path", () => {
    const cfg = stackConfig("prod");
    const scan = (gitProviders: unknown) =>
      plaintextSecretsInStackFile(cfg, {
        name: "stacks/Pulumi.prod.yaml",
        document: { config: { "coder-blueprint:gitProviders": gitProviders } },
      }).map((p) => p.key);
    assert.deepStrictEqual(scan([{ clientSecret: { secure: "v1:a" } }, { clientSecret: "plain" }]), [
      "gitProviders[1].clientSecret",
    ]);
    for (const shape of ["clientSecret", null, 7, [null, "clientSecret"]]) {
      assert.deepStrictEqual(scan(shape), [], `gitProviders: ${JSON.stringify(shape)}`);
    }
  });
});
