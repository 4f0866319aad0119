import { serviceAccountTokenSecret } from "../policies/kubernetes/service-account-token-secret";
import { K8S } from "../lib/types";
import { expectPass, expectViolation } from "./expect";
import { resource } from "./fixtures/resources";

const secret = (type: string | undefined, annotations: Record<string, string> = {}) =>
  resource(K8S.secret, "s", { metadata: { name: "coder-token", namespace: "coder", annotations }, type });

describe("service-account-token-secret", () => {
  it("passes opaque, TLS and registry Secrets", async () => {
    for (const type of [undefined, "Opaque", "kubernetes.io/tls", "kubernetes.io/dockerconfigjson"])
      await expectPass(serviceAccountTokenSecret, secret(type));
  });

  it("fails a long-lived token for coderd's account and for any other", async () => {
    for (const account of ["coder", "default"]) {
      await expectViolation(
        serviceAccountTokenSecret,
        secret("kubernetes.io/service-account-token", { "kubernetes.io/service-account.name": account }),
        'Secret "coder/coder-token"',
        new RegExp(`long-lived token for service account "${account}".*use projected or TokenRequest tokens`),
      );
    }
  });

  // A patch can turn an existing Secret into a token for an account, as a new Secret can.
  it("fails a SecretPatch that makes a Secret a long-lived token", async () => {
    await expectViolation(
      serviceAccountTokenSecret,
      resource("kubernetes:core/v1:SecretPatch", "s", {
        metadata: {
          name: "coder-token",
          namespace: "coder",
          annotations: { "kubernetes.io/service-account.name": "coder" },
        },
        type: "kubernetes.io/service-account-token",
      }),
      'SecretPatch "coder/coder-token"',
      /is a long-lived token for service account "coder", valid until the Secret is deleted/,
    );
  });

  it("fails a token Secret that names no account, shown as ?", async () => {
    for (const props of [
      { metadata: { name: "coder-token", namespace: "coder" }, type: "kubernetes.io/service-account-token" },
      { type: "kubernetes.io/service-account-token" },
    ]) {
      await expectViolation(
        serviceAccountTokenSecret,
        resource(K8S.secret, "s", props),
        "Secret",
        /is a long-lived token for service account "\?", valid until the Secret is deleted/,
      );
    }
  });
});
