import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { CA_CONFIGMAP, SERVING_SECRET, TRUST_BUNDLE_KEY, TRUST_BUNDLE_SECRET } from "../../policy-pack/contract";
import { NamespaceRef } from "../types";

export type TlsMode =
  | {
      mode: "private-ca";
      algorithm: "ECDSA" | "RSA";
      validityHours: number;
      earlyRenewalHours: number;
      caValidityHours: number;
      /** Sign with this CA rather than one generated here. */
      ca?: { certificate: string; privateKey: pulumi.Input<string> };
    }
  | { mode: "provided"; certificate: string; privateKey: pulumi.Input<string> }
  | { mode: "none" };

export interface ApplicationCertificate {
  /** Name of the kubernetes.io/tls Secret the application mounts. */
  readonly name: string;
  /** The application's namespace. */
  readonly namespace: string;
  /** Host names the certificate covers. */
  readonly dnsNames: string[];
}

export interface CertificatesArgs {
  /** coderd's namespace, where its serving and trust Secrets go. */
  readonly namespace: pulumi.Input<string>;
  /** Where coderd's serving certificate comes from, if coderd terminates TLS. */
  readonly tls: TlsMode;
  /** Host names coderd answers on: the access URL host, the wildcard host, in-cluster service names. */
  readonly dnsNames: string[];
  /** PEM trust anchors for Postgres, the OIDC issuer and Git providers. */
  readonly trustedCaCertificates: string[];
  /** Certificates the private CA issues for applications coderd talks to. */
  readonly applicationCertificates: ApplicationCertificate[];
  /**
   * Namespaces whose pods must trust coderd (workspace agents download their binary from the access
   * URL): the private CA is published there as a ConfigMap for templates to mount.
   */
  readonly publishCaTo: NamespaceRef[];
}

function keyArgs(algorithm: "ECDSA" | "RSA"): tls.PrivateKeyArgs {
  // P-256 by default: as strong as RSA-3072 for TLS, with much smaller handshakes.
  return algorithm === "ECDSA" ? { algorithm: "ECDSA", ecdsaCurve: "P256" } : { algorithm: "RSA", rsaBits: 3072 };
}

/**
 * The certificate chain for coderd and for the applications coderd talks to. With the private CA,
 * `earlyRenewalHours` makes any `pulumi up` inside the renewal window issue a fresh certificate, so
 * rotation happens on the normal deployment cadence rather than at expiry.
 */
export class Certificates extends pulumi.ComponentResource {
  /** Names of kubernetes.io/tls Secrets for the chart's coder.tls.secretNames. */
  readonly servingSecretNames: string[];
  /** The trust bundle Secret for coder.certs.secrets, when there is anything to trust. */
  readonly trustBundle?: { name: string; key: string };
  /** The private CA's certificate, when the private CA signs coderd's. */
  readonly caCertificate?: pulumi.Output<string>;
  /** The chain coderd serves, when coderd terminates TLS. */
  readonly servingCertificate?: pulumi.Output<string>;

  constructor(name: string, args: CertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:tls:Certificates", name, {}, opts);
    const childOpts = { parent: this };
    const tlsOpts = { parent: this };
    const cfg = args.tls;

    const tlsSecret = (
      part: string,
      secretName: string,
      namespace: pulumi.Input<string>,
      cert: pulumi.Input<string>,
      key: pulumi.Input<string>,
    ) =>
      new k8s.core.v1.Secret(
        `${name}-${part}`,
        {
          metadata: { name: secretName, namespace },
          type: "kubernetes.io/tls",
          stringData: { "tls.crt": cert, "tls.key": pulumi.secret(key) },
        },
        childOpts,
      );

    type SigningCa = { keyPem: pulumi.Input<string>; certPem: pulumi.Input<string> };
    const issue = (part: string, dnsNames: string[], ca: SigningCa, c: Extract<TlsMode, { mode: "private-ca" }>) => {
      const key = new tls.PrivateKey(`${name}-${part}-key`, keyArgs(c.algorithm), tlsOpts);
      const csr = new tls.CertRequest(
        `${name}-${part}-csr`,
        { privateKeyPem: key.privateKeyPem, subject: { commonName: dnsNames[0] }, dnsNames },
        tlsOpts,
      );
      const cert = new tls.LocallySignedCert(
        `${name}-${part}-cert`,
        {
          certRequestPem: csr.certRequestPem,
          caPrivateKeyPem: ca.keyPem,
          caCertPem: ca.certPem,
          validityPeriodHours: c.validityHours,
          earlyRenewalHours: c.earlyRenewalHours,
          allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
        },
        tlsOpts,
      );
      // Serve the chain, so clients that trust only the CA can build the path.
      return { cert: pulumi.interpolate`${cert.certPem}${ca.certPem}`, key: key.privateKeyPem };
    };

    this.servingSecretNames = [];
    if (cfg.mode === "private-ca") {
      const ca = cfg.ca
        ? { keyPem: pulumi.secret(cfg.ca.privateKey), certPem: cfg.ca.certificate }
        : this.generateCa(name, cfg);
      this.caCertificate = pulumi.output(ca.certPem);
      const serving = issue("coderd", args.dnsNames, ca, cfg);
      this.servingCertificate = serving.cert;
      tlsSecret("coderd-tls", SERVING_SECRET, args.namespace, serving.cert, serving.key);
      this.servingSecretNames.push(SERVING_SECRET);
      for (const app of args.applicationCertificates) {
        const issued = issue(`app-${app.namespace}-${app.name}`, app.dnsNames, ca, cfg);
        tlsSecret(`app-${app.namespace}-${app.name}-tls`, app.name, app.namespace, issued.cert, issued.key);
      }
    } else if (cfg.mode === "provided") {
      this.servingCertificate = pulumi.output(cfg.certificate);
      tlsSecret("coderd-tls", SERVING_SECRET, args.namespace, cfg.certificate, cfg.privateKey);
      this.servingSecretNames.push(SERVING_SECRET);
    }

    if (this.caCertificate) {
      for (const ns of args.publishCaTo) {
        new k8s.core.v1.ConfigMap(
          `${name}-${ns.name}-ca`,
          { metadata: { name: CA_CONFIGMAP, namespace: ns.ref }, data: { "ca.crt": this.caCertificate } },
          childOpts,
        );
      }
    }

    const anchors: pulumi.Input<string>[] = [...args.trustedCaCertificates];
    if (this.caCertificate) anchors.push(this.caCertificate);
    if (anchors.length > 0) {
      new k8s.core.v1.Secret(
        `${name}-trust-bundle`,
        {
          metadata: { name: TRUST_BUNDLE_SECRET, namespace: args.namespace },
          type: "Opaque",
          stringData: {
            [TRUST_BUNDLE_KEY]: pulumi.all(anchors).apply((pems) => pems.map((p) => p.trim()).join("\n") + "\n"),
          },
        },
        childOpts,
      );
      this.trustBundle = { name: TRUST_BUNDLE_SECRET, key: TRUST_BUNDLE_KEY };
    }

    this.registerOutputs({
      servingSecretNames: this.servingSecretNames,
      trustBundle: this.trustBundle,
      caCertificate: this.caCertificate,
      servingCertificate: this.servingCertificate,
    });
  }

  /** A CA of the blueprint's own; its certificate goes into the trust bundle coderd and apps mount. */
  private generateCa(name: string, cfg: Extract<TlsMode, { mode: "private-ca" }>) {
    const caKey = new tls.PrivateKey(`${name}-ca-key`, keyArgs(cfg.algorithm), { parent: this });
    const caCert = new tls.SelfSignedCert(
      `${name}-ca-cert`,
      {
        privateKeyPem: caKey.privateKeyPem,
        subject: { commonName: "Coder blueprint private CA", organization: "coder-blueprint" },
        isCaCertificate: true,
        validityPeriodHours: cfg.caValidityHours,
        earlyRenewalHours: Math.min(cfg.earlyRenewalHours * 2, cfg.caValidityHours - 1),
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      },
      { parent: this },
    );
    return { keyPem: caKey.privateKeyPem, certPem: caCert.certPem };
  }
}
