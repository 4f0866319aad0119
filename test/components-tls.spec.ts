// coderd's certificates under the engine's mocks: the key algorithm the private CA uses, the application
// certificates it issues, and the provided certificate coderd serves as given.
import "./harness/mocks";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Certificates, CertificatesArgs, TlsMode } from "../components/tls";
import { CA_CONFIGMAP } from "../policy-pack/contract";
import { publishedBy } from "./harness/component-outputs";
import { capture, RecordedResource } from "./harness/mocks";
import { ofType, single } from "./harness/resources";
import { isSecret, reveal } from "./harness/secrets";
import { valueOf } from "./harness/outputs";

const PRIVATE_CA: TlsMode = {
  mode: "private-ca",
  algorithm: "ECDSA",
  validityHours: 2160,
  earlyRenewalHours: 720,
  caValidityHours: 87600,
};
const PROVIDED_CERT = "-----BEGIN CERTIFICATE-----\nprovided\n-----END CERTIFICATE-----\n";
const PROVIDED_KEY = "-----BEGIN PRIVATE KEY-----\nprovided-key\n-----END PRIVATE KEY-----\n";

const ARGS: CertificatesArgs = {
  namespace: "coder",
  tls: PRIVATE_CA,
  dnsNames: ["coder.example.com", "*.coder.example.com"],
  trustedCaCertificates: [],
  applicationCertificates: [],
  publishCaTo: [{ name: "coder-ws", ref: "coder-ws" }],
};

async function run(args: CertificatesArgs): Promise<{ resources: RecordedResource[]; certs: Certificates }> {
  let certs: Certificates | undefined;
  const resources = await capture(() => {
    certs = new Certificates("certs", args);
    return pulumi.output(certs.servingCertificate ?? "");
  });
  return { resources, certs: certs! };
}

const secretsOf = (resources: RecordedResource[]) => ofType(resources, "kubernetes:core/v1:Secret");

describe("components/tls: Certificates", () => {
  it("gives the CA and coderd P-256 keys by default, and 3072-bit RSA keys when RSA is chosen", async () => {
    const keys = async (tls: TlsMode) =>
      ofType((await run({ ...ARGS, tls })).resources, "tls:index/privateKey:PrivateKey").map((k) => ({
        name: k.name,
        algorithm: k.inputs.algorithm,
        ecdsaCurve: k.inputs.ecdsaCurve,
        rsaBits: k.inputs.rsaBits,
      }));
    assert.deepStrictEqual(await keys(PRIVATE_CA), [
      { name: "certs-ca-key", algorithm: "ECDSA", ecdsaCurve: "P256", rsaBits: undefined },
      { name: "certs-coderd-key", algorithm: "ECDSA", ecdsaCurve: "P256", rsaBits: undefined },
    ]);
    assert.deepStrictEqual(await keys({ ...PRIVATE_CA, algorithm: "RSA" }), [
      { name: "certs-ca-key", algorithm: "RSA", ecdsaCurve: undefined, rsaBits: 3072 },
      { name: "certs-coderd-key", algorithm: "RSA", ecdsaCurve: undefined, rsaBits: 3072 },
    ]);
  });

  it("issues each application a certificate for its host names, stored as a TLS Secret in its namespace", async () => {
    const { resources } = await run({
      ...ARGS,
      applicationCertificates: [
        { name: "postgres-tls", namespace: "databases", dnsNames: ["postgres.databases.svc", "postgres"] },
        { name: "git-tls", namespace: "git", dnsNames: ["git.git.svc"] },
      ],
    });
    const csrs = ofType(resources, "tls:index/certRequest:CertRequest");
    assert.deepStrictEqual(
      csrs.map((c) => [c.name, c.inputs.subject.commonName, c.inputs.dnsNames]),
      [
        ["certs-coderd-csr", "coder.example.com", ["coder.example.com", "*.coder.example.com"]],
        ["certs-app-databases-postgres-tls-csr", "postgres.databases.svc", ["postgres.databases.svc", "postgres"]],
        ["certs-app-git-git-tls-csr", "git.git.svc", ["git.git.svc"]],
      ],
    );
    const app = single(
      secretsOf(resources).filter((s) => s.inputs.metadata.namespace === "databases"),
      "application Secret",
    );
    assert.strictEqual(app.name, "certs-app-databases-postgres-tls-tls");
    assert.strictEqual(app.inputs.metadata.name, "postgres-tls");
    assert.strictEqual(app.inputs.type, "kubernetes.io/tls");
    assert.ok(isSecret(app.inputs.stringData), "the application's key is not a secret");
    const data = reveal(app.inputs.stringData);
    // The chain: the application's certificate, then the CA's.
    assert.strictEqual(
      data["tls.crt"],
      "-----BEGIN CERTIFICATE-----\nmock-certs-app-databases-postgres-tls-cert\n-----END CERTIFICATE-----\n" +
        "-----BEGIN CERTIFICATE-----\nmock-certs-ca-cert\n-----END CERTIFICATE-----\n",
    );
    assert.strictEqual(
      data["tls.key"],
      "-----BEGIN PRIVATE KEY-----\nmock-certs-app-databases-postgres-tls-key\n-----END PRIVATE KEY-----\n",
    );
    assert.strictEqual(secretsOf(resources).filter((s) => s.inputs.metadata.namespace === "git").length, 1);
  });

  it("serves a provided certificate as given, with its key kept secret, and publishes no CA", async () => {
    const { resources, certs } = await run({
      ...ARGS,
      tls: { mode: "provided", certificate: PROVIDED_CERT, privateKey: PROVIDED_KEY },
    });
    const serving = single(secretsOf(resources), "serving Secret");
    assert.strictEqual(serving.name, "certs-coderd-tls");
    assert.deepStrictEqual(serving.inputs.metadata, { name: "coder-tls", namespace: "coder" });
    assert.strictEqual(serving.inputs.type, "kubernetes.io/tls");
    assert.ok(isSecret(serving.inputs.stringData), "the provided key is not a secret");
    assert.deepStrictEqual(reveal(serving.inputs.stringData), { "tls.crt": PROVIDED_CERT, "tls.key": PROVIDED_KEY });
    assert.deepStrictEqual(certs.servingSecretNames, ["coder-tls"]);
    assert.strictEqual(await valueOf(certs.servingCertificate!), PROVIDED_CERT);
    assert.strictEqual(certs.caCertificate, undefined);
    assert.strictEqual(certs.trustBundle, undefined);
    assert.deepStrictEqual(ofType(resources, "kubernetes:core/v1:ConfigMap"), []);
    assert.deepStrictEqual(ofType(resources, "tls:index/privateKey:PrivateKey"), []);
  });

  it("serves nothing and creates nothing when coderd does not terminate TLS and trusts no extra CA", async () => {
    const { resources, certs } = await run({ ...ARGS, tls: { mode: "none" } });
    assert.deepStrictEqual(certs.servingSecretNames, []);
    assert.strictEqual(certs.servingCertificate, undefined);
    assert.deepStrictEqual(
      resources.filter((r) => r.custom),
      [],
    );
  });

  it("publishes the private CA to the workspace namespaces", async () => {
    const { resources } = await run(ARGS);
    const ca = single(ofType(resources, "kubernetes:core/v1:ConfigMap"), "CA ConfigMap");
    assert.deepStrictEqual(ca.inputs.metadata, { name: CA_CONFIGMAP, namespace: "coder-ws" });
  });
});

describe("components/tls: the private CA and what it signs", () => {
  it("generates a CA that only signs, renewed well before it expires, under the component", async () => {
    const { resources } = await run(ARGS);
    const ca = single(ofType(resources, "tls:index/selfSignedCert:SelfSignedCert"), "CA certificate");
    const { privateKeyPem: _key, ...settings } = ca.inputs;
    assert.deepStrictEqual(settings, {
      subject: { commonName: "Coder blueprint private CA", organization: "coder-blueprint" },
      isCaCertificate: true,
      validityPeriodHours: 87600,
      earlyRenewalHours: 1440,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    });
    // A short-lived CA renews one hour before it expires rather than never.
    const short = await run({ ...ARGS, tls: { ...PRIVATE_CA, caValidityHours: 1000 } });
    assert.strictEqual(
      single(ofType(short.resources, "tls:index/selfSignedCert:SelfSignedCert"), "CA").inputs.earlyRenewalHours,
      999,
    );
    for (const r of [
      ca,
      single(
        ofType(resources, "tls:index/privateKey:PrivateKey").filter((k) => k.name === "certs-ca-key"),
        "CA key",
      ),
    ]) {
      assert.strictEqual(r.parent, "urn:pulumi:test::coder-blueprint::coder-blueprint:tls:Certificates::certs", r.name);
    }
  });

  it("signs coderd's certificate for serving only, with the configured lifetime", async () => {
    const { resources } = await run(ARGS);
    assert.deepStrictEqual(await publishedBy("coder-blueprint:tls:Certificates"), [
      "caCertificate",
      "servingCertificate",
      "servingSecretNames",
      "trustBundle",
    ]);
    const cert = single(
      ofType(resources, "tls:index/locallySignedCert:LocallySignedCert").filter((c) => c.name === "certs-coderd-cert"),
      "coderd certificate",
    ).inputs;
    assert.deepStrictEqual(cert.allowedUses, ["digital_signature", "key_encipherment", "server_auth"]);
    assert.deepStrictEqual([cert.validityPeriodHours, cert.earlyRenewalHours], [2160, 720]);
    const secret = single(
      secretsOf(resources).filter((s) => s.name === "certs-coderd-tls"),
      "serving Secret",
    );
    assert.deepStrictEqual(secret.inputs.metadata, { name: "coder-tls", namespace: "coder" });
  });

  it("trusts the configured CAs, one PEM after another, with or without a CA of its own", async () => {
    const extra = [
      "-----BEGIN CERTIFICATE-----\npostgres\n-----END CERTIFICATE-----\n\n",
      "  -----BEGIN CERTIFICATE-----\noidc\n-----END CERTIFICATE-----",
    ];
    const provided = await run({
      ...ARGS,
      tls: { mode: "provided", certificate: PROVIDED_CERT, privateKey: PROVIDED_KEY },
      trustedCaCertificates: extra,
    });
    assert.deepStrictEqual(provided.certs.trustBundle, { name: "coder-trusted-cas", key: "ca-bundle.crt" });
    const bundle = single(
      secretsOf(provided.resources).filter((s) => s.inputs.metadata.name === "coder-trusted-cas"),
      "trust bundle",
    ).inputs;
    assert.deepStrictEqual(bundle.metadata, { name: "coder-trusted-cas", namespace: "coder" });
    assert.strictEqual(bundle.type, "Opaque");
    assert.deepStrictEqual(reveal(bundle.stringData), {
      "ca-bundle.crt":
        "-----BEGIN CERTIFICATE-----\npostgres\n-----END CERTIFICATE-----\n" +
        "-----BEGIN CERTIFICATE-----\noidc\n-----END CERTIFICATE-----\n",
    });
  });
});
