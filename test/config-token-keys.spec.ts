// The external-token encryption keys as config/schema.ts accepts them: only what coderd itself decodes
// (Go's padded standard base64 of 32 bytes), distinct, with the spacing around commas dropped.
import * as assert from "assert";
import { ConfigError, parseConfig } from "../config";
import { rawStackConfig, withTestSecrets } from "./harness/stacks";

const key = (fill: string | number) => Buffer.alloc(32, fill).toString("base64");
const KEY_HINT = /^coder-blueprint:externalTokenEncryption\.keys\[\d\]: each key must be 32 random bytes in standard/;

/** The local stack with `keys` as the operator sets them; the parsed keys, or the problems reported. */
function withKeys(keys: string): string[] {
  const { raw, secretKeys } = withTestSecrets({ ...rawStackConfig("local"), externalTokenEncryption: { keys } });
  try {
    return parseConfig(raw, "local", secretKeys).externalTokenEncryption!.keys;
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
}

describe("external-token encryption keys in config", () => {
  it("accept the output of `openssl rand -base64 32`, one or several, spaces after the commas dropped", () => {
    assert.deepStrictEqual(withKeys(key("a")), [key("a")]);
    assert.deepStrictEqual(withKeys(` ${key(0xfb)} ,  ${key("b")}`), [key(0xfb), key("b")]);
  });

  for (const [what, keys] of [
    ["a key of 16 bytes", Buffer.alloc(16, "a").toString("base64")],
    ["a key of 33 bytes", Buffer.alloc(33, "a").toString("base64")],
    ["a key without its padding", key("a").slice(0, -1)],
    ["a key with extra padding", `${key("a")}=`],
    ["URL-safe base64", key(0xfb).replace(/\+/g, "-").replace(/\//g, "_")],
    ["a key with a character before it", `!${key("a")}`],
    ["a key with a character after it", `${key("a")}!`],
    ["a passphrase as the second key", `${key("a")},correct horse battery staple`],
  ]) {
    it(`refuse ${what}, naming the key and the command that makes one`, () => {
      const problems = withKeys(keys);
      assert.strictEqual(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], KEY_HINT);
      assert.match(problems[0], /openssl rand -base64 32/);
    });
  }

  it("refuse the same key twice, however it is spaced", () => {
    assert.deepStrictEqual(withKeys(`${key("a")}, ${key("a")}`), [
      "coder-blueprint:externalTokenEncryption.keys: the keys must be distinct",
    ]);
  });
});
