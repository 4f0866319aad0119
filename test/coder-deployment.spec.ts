// Coder itself: the release's values, its credentials, its certificate, and the guards around what
// coderd creates at run time, for every shipped stack.
import "./harness/mocks";
import * as assert from "assert";
import { coderdDnsNames } from "../blueprint";
import { admissionImagePatterns } from "../components/admission";
import { POSTGRES_SSLMODE_ANNOTATION, WORKSPACE_ADMISSION_POLICIES } from "../policy-pack/contract";
import { RecordedResource } from "./harness/mocks";
import { deployUnderMocks } from "./harness/deploy";
import { inNamespace, ofType, single } from "./harness/resources";
import { isSecret, plainStrings, reveal } from "./harness/secrets";
import { SHIPPED_STACKS, stackConfig, TEST_SECRET_PREFIX } from "./harness/stacks";

const envOf = (release: RecordedResource) => {
  const env = new Map<string, any>();
  for (const e of release.inputs.values.coder.env) {
    assert.ok(!env.has(e.name), `${e.name} is set twice`);
    env.set(e.name, e);
  }
  return env;
};
const valueOf = (env: Map<string, any>, name: string) => env.get(name)?.value;

for (const stack of SHIPPED_STACKS) {
  describe(`Coder deployment of the ${stack} stack`, () => {
    const cfg = stackConfig(stack);
    const ns = cfg.controlPlane.namespace;
    let resources: RecordedResource[];
    let release: RecordedResource;
    let env: Map<string, any>;
    before(async () => {
      resources = await deployUnderMocks(cfg);
      release = single(ofType(resources, "kubernetes:helm.sh/v3:Release"), "Coder release");
      env = envOf(release);
    });

    it("installs the official chart at the pinned version into the control-plane namespace", () => {
      assert.strictEqual(release.inputs.chart, "coder");
      assert.strictEqual(release.inputs.repositoryOpts.repo, "https://helm.coder.com/v2");
      assert.strictEqual(release.inputs.version, (cfg.coder.chart as { version: string }).version);
      assert.strictEqual(release.inputs.namespace, ns);
      assert.strictEqual(release.inputs.atomic, true);
    });

    it("serves TLS from a kubernetes.io/tls Secret that the release references, with secret key material", () => {
      const secret = single(
        inNamespace(resources, "kubernetes:core/v1:Secret", ns).filter((s) => s.inputs.type === "kubernetes.io/tls"),
        "TLS secret",
      );
      assert.deepStrictEqual(release.inputs.values.coder.tls.secretNames, [secret.inputs.metadata.name]);
      assert.ok(isSecret(secret.inputs.stringData), "TLS secret data is not a Pulumi secret");
      assert.match(reveal(secret.inputs.stringData)["tls.key"], /PRIVATE KEY/);
      assert.match(reveal(secret.inputs.stringData)["tls.crt"], /CERTIFICATE/);
    });

    it("issues coderd's certificate for the access URL and wildcard hosts", () => {
      const csr = ofType(resources, "tls:index/certRequest:CertRequest").find((r) => r.name === "tls-coderd-csr")!;
      const host = new URL(cfg.coder.accessUrl).hostname;
      assert.ok(csr.inputs.dnsNames.includes(host), `certificate lacks ${host}`);
      if (cfg.coder.wildcardAccessUrl) assert.ok(csr.inputs.dnsNames.includes(cfg.coder.wildcardAccessUrl));
      assert.deepStrictEqual(csr.inputs.dnsNames, coderdDnsNames(cfg));
      const key = ofType(resources, "tls:index/privateKey:PrivateKey").find((r) => r.name === "tls-coderd-key")!;
      assert.deepStrictEqual(
        { algorithm: key.inputs.algorithm, curve: key.inputs.ecdsaCurve },
        { algorithm: "ECDSA", curve: "P256" },
      );
      const cert = ofType(resources, "tls:index/locallySignedCert:LocallySignedCert").find(
        (r) => r.name === "tls-coderd-cert",
      )!;
      assert.strictEqual(cert.inputs.validityPeriodHours, cfg.tls.validityHours);
      assert.strictEqual(cert.inputs.earlyRenewalHours, cfg.tls.earlyRenewalHours);
    });

    it("mounts the trust bundle for the applications coderd talks to", () => {
      const bundle = single(
        inNamespace(resources, "kubernetes:core/v1:Secret", ns).filter(
          (s) => s.inputs.metadata.name === "coder-trusted-cas",
        ),
        "trust bundle",
      );
      assert.deepStrictEqual(release.inputs.values.coder.certs.secrets, [
        { name: "coder-trusted-cas", key: "ca-bundle.crt" },
      ]);
      assert.match(reveal(bundle.inputs.stringData)["ca-bundle.crt"], /BEGIN CERTIFICATE/);
    });

    it("runs coderd non-root, read-only, without capabilities, with resources and a writable cache", () => {
      const coder = release.inputs.values.coder;
      assert.deepStrictEqual(coder.securityContext, {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      assert.ok(coder.volumeMounts.some((m: any) => m.mountPath === "/home/coder/.cache"));
      assert.ok(
        coder.volumes.every((v: any) => v.emptyDir),
        "only emptyDir volumes are added",
      );
      assert.strictEqual(coder.resources.limits.memory, cfg.coder.resources.memory);
      assert.strictEqual(coder.resources.limits["ephemeral-storage"], cfg.coder.resources.ephemeralStorage);
      assert.deepStrictEqual(coder.serviceAccount, {
        name: cfg.controlPlane.serviceAccountName,
        disableCreate: true,
        workspacePerms: false,
        enableDeployments: false,
      });
    });

    it("adds a PodDisruptionBudget exactly when there is more than one replica", () => {
      const pdbs = ofType(resources, "kubernetes:policy/v1:PodDisruptionBudget");
      assert.strictEqual(pdbs.length, cfg.coder.replicas > 1 ? 1 : 0);
      assert.strictEqual(release.inputs.values.coder.replicaCount, cfg.coder.replicas);
    });

    it("never exposes coderd through an internet-facing load balancer", () => {
      const service = release.inputs.values.coder.service;
      if (cfg.coder.service.type === "ClusterIP") {
        assert.strictEqual(service.type, "ClusterIP");
      } else {
        assert.strictEqual(service.type, "LoadBalancer");
        assert.strictEqual(service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
      }
    });

    it("turns on the hardened server settings", () => {
      assert.strictEqual(valueOf(env, "CODER_ACCESS_URL"), cfg.coder.accessUrl);
      assert.strictEqual(valueOf(env, "CODER_SECURE_AUTH_COOKIE"), "true");
      assert.strictEqual(valueOf(env, "CODER_STRICT_TRANSPORT_SECURITY"), "31536000");
      assert.strictEqual(valueOf(env, "CODER_REDIRECT_TO_ACCESS_URL"), "true");
      assert.strictEqual(valueOf(env, "CODER_DISABLE_PATH_APPS"), "true");
      assert.strictEqual(valueOf(env, "CODER_OAUTH2_GITHUB_DEFAULT_PROVIDER_ENABLE"), "false");
      assert.ok(!env.has("CODER_DANGEROUS_OIDC_SKIP_ISSUER_CHECKS"));
      assert.deepStrictEqual(
        [...env.keys()].filter((k) => k.startsWith("CODER_DANGEROUS")),
        [],
      );
    });

    it("couples OIDC with disabled password auth, and reads every credential from a Secret", () => {
      if (cfg.oidc) {
        assert.strictEqual(valueOf(env, "CODER_OIDC_ISSUER_URL"), cfg.oidc.issuerUrl);
        assert.strictEqual(valueOf(env, "CODER_DISABLE_PASSWORD_AUTH"), "true");
        assert.strictEqual(valueOf(env, "CODER_OIDC_ALLOW_SIGNUPS"), String(cfg.oidc.allowSignups));
        assert.deepStrictEqual(env.get("CODER_OIDC_CLIENT_SECRET").valueFrom.secretKeyRef, {
          name: "coder-credentials",
          key: "oidc-client-secret",
        });
      } else {
        assert.ok(!env.has("CODER_OIDC_ISSUER_URL") && !env.has("CODER_DISABLE_PASSWORD_AUTH"));
      }
      assert.ok(env.get("CODER_PG_CONNECTION_URL").valueFrom, "database URL is inline");
      for (const [name, e] of env) {
        if (/SECRET|CONNECTION_URL|PSK|KEYS$/.test(name))
          assert.ok(e.valueFrom && e.value === undefined, `${name} is inline`);
      }
      const credentials = single(
        inNamespace(resources, "kubernetes:core/v1:Secret", ns).filter(
          (s) => s.inputs.metadata.name === "coder-credentials",
        ),
        "credentials secret",
      );
      assert.ok(isSecret(credentials.inputs.stringData));
      assert.match(reveal(credentials.inputs.stringData)["pg-connection-url"], /sslmode=verify-full/);
      // The URL is secret; the policy pack reads its sslmode from this attestation instead.
      assert.strictEqual(credentials.inputs.metadata.annotations[POSTGRES_SSLMODE_ANNOTATION], cfg.database!.sslMode);
    });

    it("configures one external-auth provider per configured Git provider, with minimal scopes", () => {
      cfg.gitProviders.forEach((p, n) => {
        assert.strictEqual(valueOf(env, `CODER_EXTERNAL_AUTH_${n}_ID`), p.id);
        assert.strictEqual(valueOf(env, `CODER_EXTERNAL_AUTH_${n}_TYPE`), p.type);
        assert.strictEqual(valueOf(env, `CODER_EXTERNAL_AUTH_${n}_REGEX`), p.regex);
        assert.ok(valueOf(env, `CODER_EXTERNAL_AUTH_${n}_SCOPES`), "scopes are always pinned");
        assert.ok(!/\b(api|admin|sudo|delete_repo|write:org)\b/.test(valueOf(env, `CODER_EXTERNAL_AUTH_${n}_SCOPES`)));
        assert.deepStrictEqual(
          env.get(`CODER_EXTERNAL_AUTH_${n}_CLIENT_SECRET`).valueFrom.secretKeyRef.key,
          `git-${p.id}-client-secret`,
        );
      });
      assert.ok(!env.has(`CODER_EXTERNAL_AUTH_${cfg.gitProviders.length}_ID`));
    });

    it("lets workspaces reach the Git hosts over SSH and HTTPS, and coderd reach Postgres", () => {
      const cidrs = cfg.gitProviders.flatMap((p) => p.egressCidrs);
      for (const ws of cfg.workspaces.namespaces) {
        const egress = inNamespace(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", ws).find(
          (p) => p.inputs.metadata.name === "workspace-egress",
        )!;
        for (const cidr of cidrs) {
          const rule = egress.inputs.spec.egress.find((r: any) => r.to?.[0]?.ipBlock?.cidr === cidr);
          assert.ok(rule, `no egress to Git host ${cidr} from ${ws}`);
          assert.deepStrictEqual(
            rule.ports.map((p: any) => p.port),
            [22, 443],
          );
        }
      }
      const coderdEgress = inNamespace(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", ns).find(
        (p) => p.inputs.metadata.name === "coderd-egress",
      )!;
      for (const db of cfg.database!.egress) {
        assert.ok(
          coderdEgress.inputs.spec.egress.some(
            (r: any) => r.to?.[0]?.ipBlock?.cidr === db.cidr && r.ports[0].port === db.ports[0],
          ),
        );
      }
    });

    it("rolls coderd when its certificate changes, and publishes the CA to workspace namespaces", () => {
      const digest = release.inputs.values.coder.podAnnotations?.["coder-blueprint/tls-certificate-sha256"];
      assert.match(digest, /^[0-9a-f]{64}$/);
      const serving = reveal(
        single(
          inNamespace(resources, "kubernetes:core/v1:Secret", ns).filter((s) => s.inputs.type === "kubernetes.io/tls"),
          "TLS secret",
        ).inputs.stringData,
      )["tls.crt"];
      assert.strictEqual(digest, require("crypto").createHash("sha256").update(serving).digest("hex"));
      for (const ws of cfg.workspaces.namespaces) {
        const ca = inNamespace(resources, "kubernetes:core/v1:ConfigMap", ws).find(
          (c) => c.inputs.metadata.name === "coder-ca",
        );
        assert.ok(ca, `no CA published in ${ws}`);
        assert.match(ca.inputs.data["ca.crt"], /BEGIN CERTIFICATE/);
      }
    });

    it("turns STUN off to match the network policies, and pins the OIDC group claim when groups are allowed", () => {
      assert.strictEqual(valueOf(env, "CODER_DERP_SERVER_STUN_ADDRESSES"), "disable");
      if (cfg.oidc?.allowedGroups.length) {
        assert.strictEqual(valueOf(env, "CODER_OIDC_GROUP_FIELD"), cfg.oidc.groupField);
        assert.ok(cfg.oidc.scopes.includes(cfg.oidc.groupField!));
      }
    });

    it("keeps every secret value out of plain-text inputs", () => {
      for (const r of resources) {
        for (const { path, text } of plainStrings(r.inputs)) {
          assert.ok(!text.includes(TEST_SECRET_PREFIX), `${r.type} ${r.name} has a secret in plain text at ${path}`);
          assert.ok(!/PRIVATE KEY-----/.test(text), `${r.type} ${r.name} has key material in plain text at ${path}`);
        }
      }
    });
  });
}

describe("TLS with a CA supplied in config", () => {
  const SUPPLIED_CA = "-----BEGIN CERTIFICATE-----\nsupplied-ca\n-----END CERTIFICATE-----";
  const SUPPLIED_KEY = `-----BEGIN PRIVATE KEY-----\n${TEST_SECRET_PREFIX}-ca-key\n-----END PRIVATE KEY-----`;
  let resources: RecordedResource[];
  before(async () => {
    resources = await deployUnderMocks(
      stackConfig("local", { tls: { mode: "private-ca", ca: { certificate: SUPPLIED_CA, privateKey: SUPPLIED_KEY } } }),
    );
  });

  it("signs coderd's certificate with it instead of generating a CA", () => {
    assert.strictEqual(ofType(resources, "tls:index/selfSignedCert:SelfSignedCert").length, 0);
    const cert = ofType(resources, "tls:index/locallySignedCert:LocallySignedCert").find(
      (r) => r.name === "tls-coderd-cert",
    )!;
    assert.strictEqual(cert.inputs.caCertPem, SUPPLIED_CA);
    assert.ok(isSecret(cert.inputs.caPrivateKeyPem), "the supplied CA key is not a secret");
    assert.strictEqual(reveal(cert.inputs.caPrivateKeyPem), SUPPLIED_KEY);
  });

  it("puts the supplied CA in the trust bundle and keeps its key out of plain text", () => {
    const bundle = ofType(resources, "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.metadata.name === "coder-trusted-cas",
    )!;
    assert.match(reveal(bundle.inputs.stringData)["ca-bundle.crt"], /supplied-ca/);
    for (const r of resources)
      for (const { text } of plainStrings(r.inputs))
        assert.ok(!text.includes(TEST_SECRET_PREFIX), `${r.name} leaks the CA key`);
  });
});

describe("admission image patterns", () => {
  it("accept Docker Hub images in the short form the runtime expands, and nothing wider", () => {
    const patterns = admissionImagePatterns(["docker.io/codercom/", "ghcr.io/coder/", "docker.io/codercom/"]);
    assert.strictEqual(patterns.length, 2, "one pattern per distinct prefix");
    const approved = (image: string) => patterns.some((p) => new RegExp(p).test(image));
    for (const image of ["codercom/x", "index.docker.io/codercom/x", "registry-1.docker.io/codercom/x:1"])
      assert.ok(approved(image), image);
    for (const image of ["codercom-evil/x", "evil.io/codercom/x", "ghcr.io/coder-evil/x", "ubuntu", ""])
      assert.ok(!approved(image), image);
    assert.ok(
      patterns.every((p) => p.startsWith("^")),
      "every pattern is anchored",
    );
  });
});

describe("workspace admission rules", () => {
  for (const stack of SHIPPED_STACKS) {
    it(`bind to every workspace namespace of the ${stack} stack with the approved registries`, async () => {
      const cfg = stackConfig(stack);
      const resources = await deployUnderMocks(cfg);
      const policies = ofType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy");
      const bindings = ofType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding");
      // The names are the contract the policy pack's missing-workspace-admission rule checks.
      assert.deepStrictEqual(
        policies.map((p) => p.inputs.metadata.name).sort(),
        Object.keys(WORKSPACE_ADMISSION_POLICIES).sort(),
      );
      for (const p of policies) assert.strictEqual(p.inputs.spec.failurePolicy, "Fail");
      assert.strictEqual(bindings.length, policies.length);
      for (const b of bindings) {
        assert.strictEqual(
          b.inputs.spec.policyName,
          b.inputs.metadata.name,
          "binding and policy names are literal, so a preview can judge them",
        );
        assert.deepStrictEqual(b.inputs.spec.validationActions, cfg.admission.actions);
        const selector = b.inputs.spec.matchResources.namespaceSelector.matchExpressions[0];
        assert.deepStrictEqual(selector, {
          key: "kubernetes.io/metadata.name",
          operator: "In",
          values: cfg.workspaces.namespaces,
        });
      }
      const pods = policies.find((p) => p.inputs.metadata.name === "coder-workspace-pods")!;
      const patterns = pods.inputs.spec.variables.find((v: any) => v.name === "imagePatterns").expression;
      assert.deepStrictEqual(JSON.parse(patterns), admissionImagePatterns(cfg.registry.approved));
      for (const prefix of cfg.registry.approved)
        assert.ok(
          JSON.parse(patterns).some((p: string) => new RegExp(p).test(`${prefix}workspace:1`)),
          prefix,
        );
      const volume = policies.find((p) => p.inputs.metadata.name === "coder-workspace-volume-size")!;
      assert.ok(volume.inputs.spec.validations[0].expression.includes(`quantity("${cfg.workspaces.size.homeDisk}")`));
    });
  }
});

describe("external-token encryption keys", () => {
  const key = (fill: string | number) => Buffer.alloc(32, fill).toString("base64");
  const credentialsOf = (resources: RecordedResource[]) =>
    single(
      ofType(resources, "kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.name === "coder-credentials"),
      "credentials secret",
    );

  it("reach coderd from the credentials Secret, as a Pulumi secret, first key first", async () => {
    const keys = [key("a"), key("b")];
    const cfg = stackConfig("local", { externalTokenEncryption: { keys: keys.join(", ") } });
    assert.deepStrictEqual(cfg.externalTokenEncryption!.keys, keys);
    const resources = await deployUnderMocks(cfg);
    const env = envOf(single(ofType(resources, "kubernetes:helm.sh/v3:Release"), "Coder release"));
    assert.deepStrictEqual(env.get("CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS").valueFrom, {
      secretKeyRef: { name: "coder-credentials", key: "external-token-encryption-keys" },
    });
    const credentials = credentialsOf(resources);
    assert.ok(isSecret(credentials.inputs.stringData));
    assert.strictEqual(reveal(credentials.inputs.stringData)["external-token-encryption-keys"], keys.join(","));
    for (const r of resources)
      for (const { text } of plainStrings(r.inputs))
        for (const k of keys) assert.ok(!text.includes(k), `${r.name} holds a token encryption key in plain text`);
  });

  it("are off unless configured, and on in the shipped prod stack", async () => {
    const local = await deployUnderMocks(stackConfig("local"));
    const env = envOf(single(ofType(local, "kubernetes:helm.sh/v3:Release"), "Coder release"));
    assert.ok(!env.has("CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS"));
    assert.ok(stackConfig("prod").externalTokenEncryption, "prod ships without token encryption");
  });

  for (const [what, keys] of [
    ["a key that is not 32 bytes", Buffer.alloc(16, "a").toString("base64")],
    ["URL-safe base64, which Coder does not decode", key(0xfb).replace(/\+/g, "-").replace(/\//g, "_")],
    ["a passphrase", "correct horse battery staple"],
    ["the same key twice", `${key("a")},${key("a")}`],
  ]) {
    it(`are refused as ${what}`, () => {
      assert.throws(() => stackConfig("local", { externalTokenEncryption: { keys } }), /externalTokenEncryption\.keys/);
    });
  }
});

describe("OIDC sign-ups", () => {
  const oidc = { issuerUrl: "https://login.example.com", clientId: "coder", allowSignups: true };
  // The dev stack, whose coderd may reach its issuer.
  it("are refused without an email-domain or group limit", () => {
    assert.throws(() => stackConfig("dev", { oidc }), /oidc\.allowSignups: would let every account/);
  });
  it("are accepted with either limit, or turned off", () => {
    stackConfig("dev", { oidc: { ...oidc, emailDomains: ["example.com"] } });
    stackConfig("dev", { oidc: { ...oidc, allowedGroups: ["coder-users"], groupField: "groups" } });
    stackConfig("dev", { oidc: { ...oidc, allowSignups: false } });
  });
});
