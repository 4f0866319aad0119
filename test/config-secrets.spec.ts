// The secret table drives every credential check and the tests' stand-ins; these pin each use to it.
import * as assert from "assert";
import { isSecretPath, SECRET_FIELDS, secretSlots } from "../config/secrets";
import { rawStackConfig } from "./harness/stacks";
import { SECRET_STAND_INS, TEST_SECRET_PREFIX, withTestSecrets } from "./harness/secrets";

describe("secret fields", () => {
  it("recognises a secret path with any list index, and nothing around it", () => {
    assert.ok(isSecretPath(["gitProviders", 3, "clientSecret"]));
    assert.ok(isSecretPath(["tls", "ca", "privateKey"]));
    assert.ok(!isSecretPath(["gitProviders", "clientSecret"]));
    assert.ok(!isSecretPath(["tls", "ca", "certificate"]));
    assert.ok(!isSecretPath(["oidc"]));
  });

  it("finds a slot only where the holder carries the field", () => {
    const raw = rawStackConfig("local");
    const anonymous = secretSlots(raw).map((s) => s.path.join("."));
    assert.ok(!anonymous.includes("registry.pull.dockerConfigJson"), "anonymous pulls carry no credential");
    raw.registry.pull = { mode: "docker-config", account: "ci" };
    raw.gitProviders = [{ id: "a" }, { id: "b" }];
    const paths = secretSlots(raw).map((s) => s.path.join("."));
    assert.ok(paths.includes("registry.pull.dockerConfigJson"));
    assert.ok(paths.includes("gitProviders.0.clientSecret") && paths.includes("gitProviders.1.clientSecret"));
  });

  it("gives the tests a recognisable stand-in for every field, and marks its key secret", () => {
    assert.deepStrictEqual(Object.keys(SECRET_STAND_INS).sort(), SECRET_FIELDS.map((f) => f.path).sort());
    const raw = rawStackConfig("local");
    raw.tls = {
      mode: "provided",
      provided: { certificate: "-----BEGIN CERTIFICATE-----\nc\n-----END CERTIFICATE-----" },
    };
    const { raw: filled, secretKeys } = withTestSecrets(raw);
    assert.ok(filled.tls.provided.privateKey.includes(TEST_SECRET_PREFIX));
    assert.ok(filled.database.connectionUrl.includes(TEST_SECRET_PREFIX));
    assert.ok(secretKeys.has("coder-blueprint:tls") && secretKeys.has("coder-blueprint:database"));
    assert.ok(!secretKeys.has("coder-blueprint:registry"), "an anonymous pull needs no secret");
  });
});
