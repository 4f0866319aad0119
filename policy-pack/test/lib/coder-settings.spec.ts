import * as assert from "assert";
import { coderSetting, coderSwitch, flagOf, settingText, switchNotOff, visibleSetting } from "../../lib/coder-settings";
import { Props } from "../../lib/policy";
import { PreviewGaps } from "../../lib/unknowns";

const ACCESS_URL = "CODER_ACCESS_URL";
const DISABLE_PASSWORD_AUTH = "CODER_DISABLE_PASSWORD_AUTH";
const ENV_FROM = [{ secretRef: { name: "coder-extra-env" } }];

/** coderd's values as the blueprint writes them: every setting in values.coder.env, no flags, no envFrom. */
function compliantCoder(): Props {
  return {
    env: [
      { name: ACCESS_URL, value: "https://coder.example.com" },
      { name: DISABLE_PASSWORD_AUTH, value: "true" },
      { name: "CODER_PG_CONNECTION_URL", valueFrom: { secretKeyRef: { name: "coder-db", key: "url" } } },
    ],
  };
}

const setting = (coder: Props, variable: string, boolean?: boolean) =>
  coderSetting(coder, variable, new PreviewGaps(), boolean);

describe("lib/coder-settings flagOf", () => {
  it("drops only a leading CODER_", () => {
    assert.strictEqual(flagOf("CODER_DISABLE_PASSWORD_AUTH"), "--disable-password-auth");
    assert.strictEqual(flagOf("CODER_OIDC_CODER_GROUP"), "--oidc-coder-group");
    assert.strictEqual(flagOf("MY_CODER_FLAG"), "--my-coder-flag");
  });
});

describe("lib/coder-settings coderSetting", () => {
  it("reads values.coder.env: a literal, or opaque from valueFrom", () => {
    assert.deepStrictEqual(setting(compliantCoder(), ACCESS_URL), {
      source: "values.coder.env",
      value: "https://coder.example.com",
      opaque: false,
    });
    assert.deepStrictEqual(setting(compliantCoder(), "CODER_PG_CONNECTION_URL"), {
      source: "values.coder.env (valueFrom)",
      opaque: true,
    });
  });

  it("takes a non-boolean flag's value from the next argument, or after =", () => {
    const coder = { ...compliantCoder(), commandArgs: ["server", "--access-url", "https://other.example.com"] };
    assert.deepStrictEqual(setting(coder, ACCESS_URL), {
      source: "coder.commandArgs flag --access-url",
      value: "https://other.example.com",
      opaque: false,
      flag: "--access-url",
    });
    coder.commandArgs = ["server", "--access-url=https://third.example.com"];
    assert.strictEqual(setting(coder, ACCESS_URL)?.value, "https://third.example.com");
    assert.strictEqual(setting(coder, ACCESS_URL)?.flag, "--access-url");
  });

  it("reads a boolean flag alone as on", () => {
    // The variable says false, so only the flag can make the setting true.
    const coder = {
      ...compliantCoder(),
      env: [{ name: DISABLE_PASSWORD_AUTH, value: "false" }],
      commandArgs: ["--disable-password-auth", "server"],
    };
    assert.deepStrictEqual(setting(coder, DISABLE_PASSWORD_AUTH, true), {
      source: "coder.commandArgs flag --disable-password-auth",
      value: "true",
      opaque: false,
      flag: "--disable-password-auth",
    });
  });

  it("is opaque from values.coder.envFrom when the variable is nowhere else, and unset without envFrom", () => {
    const coder = { ...compliantCoder(), envFrom: ENV_FROM };
    assert.deepStrictEqual(setting(coder, "CODER_OIDC_CLIENT_SECRET"), {
      source: "values.coder.envFrom",
      opaque: true,
    });
    coder.envFrom = [];
    assert.strictEqual(setting(coder, "CODER_OIDC_CLIENT_SECRET"), undefined);
  });
});

describe("lib/coder-settings settingText", () => {
  it("names values.coder.envFrom only for a setting read through it", () => {
    assert.strictEqual(
      settingText({ source: "values.coder.envFrom", opaque: true }),
      "read from a Secret or ConfigMap through values.coder.envFrom, which this policy cannot verify",
    );
    assert.strictEqual(
      settingText({ source: "values.coder.env (valueFrom)", opaque: true }),
      "read from a Secret or ConfigMap, which this policy cannot verify",
    );
  });
});

describe("lib/coder-settings coderSwitch and visibleSetting", () => {
  const gaps = () => new PreviewGaps();

  it("count a variable only values.coder.envFrom could supply as unset", () => {
    const coder: Props = { env: [], envFrom: ENV_FROM };
    assert.deepStrictEqual(coderSwitch(coder, DISABLE_PASSWORD_AUTH, gaps()), { kind: "unset" });
    assert.strictEqual(visibleSetting(coder, DISABLE_PASSWORD_AUTH, gaps()), undefined);
    assert.strictEqual(switchNotOff(coder, DISABLE_PASSWORD_AUTH, gaps()), undefined);
  });

  it("call a switch from a Secret through values.coder.env unverifiable, and visible", () => {
    const coder: Props = {
      env: [{ name: DISABLE_PASSWORD_AUTH, valueFrom: { secretKeyRef: { name: "s", key: "k" } } }],
    };
    const expected = { source: "values.coder.env (valueFrom)", opaque: true };
    assert.deepStrictEqual(coderSwitch(coder, DISABLE_PASSWORD_AUTH, gaps()), {
      kind: "unverifiable",
      setting: expected,
    });
    assert.deepStrictEqual(visibleSetting(coder, DISABLE_PASSWORD_AUTH, gaps()), expected);
  });
});
