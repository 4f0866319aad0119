import { coderReleaseWeakTls } from "../policies/coder/coder-release-weak-tls";
import { expectPass, expectViolation } from "./expect";
import { compliantCoderRelease, secretRef } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const withEnv = (...entries: Array<Record<string, unknown>>) =>
  mutate(compliantCoderRelease(), (p) => p.values.coder.env.push(...entries));

describe("coder-release-weak-tls", () => {
  it("passes Coder's defaults, TLS 1.2 or 1.3 as the floor, and insecure ciphers off", async () => {
    await expectPass(coderReleaseWeakTls, compliantCoderRelease());
    for (const value of ["tls12", "tls13"])
      await expectPass(coderReleaseWeakTls, withEnv({ name: "CODER_TLS_MIN_VERSION", value }));
    await expectPass(coderReleaseWeakTls, withEnv({ name: "CODER_TLS_ALLOW_INSECURE_CIPHERS", value: "false" }));
  });

  for (const value of ["tls10", "tls11", "TLS10", "1.0", ""]) {
    it(`fails a minimum version of ${JSON.stringify(value)}`, async () => {
      await expectViolation(
        coderReleaseWeakTls,
        withEnv({ name: "CODER_TLS_MIN_VERSION", value }),
        WHO,
        new RegExp(
          `CODER_TLS_MIN_VERSION is "${value.replace(".", "\\.")}", which lets clients connect to coderd with TLS versions older than 1\\.2; remove CODER_TLS_MIN_VERSION or set it to "tls12" or "tls13" in values\\.coder\\.env\\.$`,
        ),
      );
    });
  }

  it("fails a minimum version from a Secret or ConfigMap, which cannot be verified", async () => {
    await expectViolation(
      coderReleaseWeakTls,
      withEnv({ name: "CODER_TLS_MIN_VERSION", valueFrom: { configMapKeyRef: { name: "tls", key: "min" } } }),
      WHO,
      /CODER_TLS_MIN_VERSION is read from a Secret or ConfigMap/,
    );
  });

  for (const entry of [{ value: "true" }, { value: "1" }, { value: "T" }, { valueFrom: secretRef("f", "c") }]) {
    it(`fails insecure ciphers allowed (${JSON.stringify(entry)})`, async () => {
      await expectViolation(
        coderReleaseWeakTls,
        withEnv({ name: "CODER_TLS_ALLOW_INSECURE_CIPHERS", ...entry }),
        WHO,
        /CODER_TLS_ALLOW_INSECURE_CIPHERS is .*ciphers Go marks insecure/,
      );
    });
  }

  it("reads the flags over the variables, as coderd does", async () => {
    await expectViolation(
      coderReleaseWeakTls,
      mutate(withEnv({ name: "CODER_TLS_MIN_VERSION", value: "tls12" }), (p) => {
        p.values.coder.commandArgs = ["server", "--tls-min-version", "tls10"];
      }),
      WHO,
      /CODER_TLS_MIN_VERSION is "tls10" \(coder\.commandArgs flag --tls-min-version\), which lets clients connect.*; remove the flag --tls-min-version from values\.coder\.commandArgs or give it "tls12" or "tls13"\.$/,
    );
    await expectViolation(
      coderReleaseWeakTls,
      mutate(compliantCoderRelease(), (p) => (p.values.coder.commandArgs = ["server", "--tls-allow-insecure-ciphers"])),
      WHO,
      /CODER_TLS_ALLOW_INSECURE_CIPHERS is "true" \(coder\.commandArgs flag --tls-allow-insecure-ciphers\).*; remove the flag --tls-allow-insecure-ciphers from values\.coder\.commandArgs\.$/,
    );
    await expectPass(
      coderReleaseWeakTls,
      mutate(withEnv({ name: "CODER_TLS_MIN_VERSION", value: "tls10" }), (p) => {
        p.values.coder.commandArgs = ["server", "--tls-min-version=tls13"];
      }),
    );
  });
});
