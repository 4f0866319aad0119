import * as assert from "assert";
import { POSTGRES_SSLMODE_ANNOTATION } from "../contract";
import { coderDatabaseTlsUnverified, sslModesOf } from "../policies/coder/coder-database-tls-unverified";
import { mandatory, ResourceUnderTest, RunOptions, unknown } from "./harness/analyzer";
import { expectSettingsRefused, expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { compliantCoderRelease, compliantDatabaseSecret, envEntry, removeEnv } from "./fixtures/coder";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Release "coder"';
/** The release and, unless `null`, the Secret holding its database URL. */
const stack = (release = compliantCoderRelease(), secret: ResourceUnderTest | null = compliantDatabaseSecret()) =>
  secret ? [release, secret] : [release];
/** An External Secrets Operator ExternalSecret writing the release's database Secret, attested verify-full. */
const externalSecret = (version = "v1beta1") =>
  resource(`kubernetes:external-secrets.io/${version}:ExternalSecret`, "coder-db-sync", {
    apiVersion: `external-secrets.io/${version}`,
    kind: "ExternalSecret",
    metadata: { name: "coder-db-sync", namespace: "coder" },
    spec: {
      secretStoreRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" },
      target: {
        name: "coder-db",
        template: { metadata: { annotations: { [POSTGRES_SSLMODE_ANNOTATION]: "verify-full" } } },
      },
      data: [{ secretKey: "url", remoteRef: { key: "prod/coder/db-url" } }],
    },
  });
/** A Secrets Store CSI SecretProviderClass syncing the database Secret, attested verify-full. */
const providerClass = () =>
  resource("kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass", "coder-db", {
    metadata: { name: "coder-db", namespace: "coder" },
    spec: {
      provider: "aws",
      secretObjects: [
        {
          secretName: "coder-db",
          type: "Opaque",
          data: [{ objectName: "db-url", key: "url" }],
          annotations: { [POSTGRES_SSLMODE_ANNOTATION]: "verify-full" },
        },
      ],
    },
  });
const withSecret = (change: (props: any) => void) => stack(undefined, mutate(compliantDatabaseSecret(), change));
const withExternalSecret = (change: (props: any) => void) => stack(undefined, mutate(externalSecret(), change));
const withInlineUrl = (url: string) =>
  stack(
    mutate(compliantCoderRelease(), (p) => {
      const entry = envEntry(p, "CODER_PG_CONNECTION_URL");
      delete entry.valueFrom;
      entry.value = url;
    }),
  );
/** The policy fails the release, with a message matching `message`. */
const fails = (resources: ResourceUnderTest[], message: RegExp, options?: RunOptions) =>
  expectStackViolation(coderDatabaseTlsUnverified, resources, WHO, message, options);
const passes = (resources: ResourceUnderTest[], options?: RunOptions) =>
  expectStackPass(coderDatabaseTlsUnverified, resources, options);

describe("coder-database-tls-unverified", () => {
  it("passes a URL read from a Secret in the stack attested verify-full", async () => {
    await passes(stack());
  });

  it("never reads the Secret's data, which is secret and may be unknown during preview", async () => {
    await passes(withSecret((p) => (p.stringData = unknown.object)));
  });

  it("fails a Secret that is not in the stack, or not in the release's namespace", async () => {
    await fails(
      stack(undefined, null),
      /reads CODER_PG_CONNECTION_URL from Secret "coder\/coder-db", which is not in this stack, so its sslmode cannot be verified; create that Secret in the stack with the coder-blueprint\/postgres-sslmode annotation and set sslmode=verify-full in the database URL \(coder-blueprint:database\.connectionUrl/,
    );
    await fails(
      withSecret((p) => (p.metadata.namespace = "default")),
      /from Secret "coder\/coder-db", which is not in this stack/,
    );
  });

  it("passes a Secret an external secret manager writes with an attested sslmode", async () => {
    await passes(stack(undefined, externalSecret()));
    await passes(stack(undefined, externalSecret("v1")));
    // Without spec.target.name, ESO names the Secret after the ExternalSecret.
    const named = mutate(externalSecret(), (p) => {
      delete p.spec.target.name;
      p.metadata.name = "coder-db";
    });
    await passes(stack(undefined, named));
    await passes(stack(undefined, providerClass()));
  });

  it("fails an externally written Secret attested weaker, or not attested on what reaches the Secret", async () => {
    await fails(
      withExternalSecret((p) => (p.spec.target.template.metadata.annotations[POSTGRES_SSLMODE_ANNOTATION] = "require")),
      /attested by its external secret manager\) uses sslmode=require/,
    );
    // On the ExternalSecret itself the annotation never reaches the Secret.
    const onOwnMetadata = mutate(externalSecret(), (p) => {
      p.metadata.annotations = p.spec.target.template.metadata.annotations;
      delete p.spec.target.template;
    });
    await fails(
      stack(undefined, onOwnMetadata),
      /from Secret "coder\/coder-db", which an external secret manager writes without a coder-blueprint\/postgres-sslmode annotation/,
    );
    await fails(
      stack(
        undefined,
        mutate(providerClass(), (p) => delete p.spec.secretObjects[0].annotations),
      ),
      /which an external secret manager writes without/,
    );
    await fails(
      withExternalSecret((p) => (p.metadata.namespace = "other")),
      /from Secret "coder\/coder-db", which is not in this stack/,
    );
  });

  it("fails a Secret without the sslmode annotation", async () => {
    await fails(
      withSecret((p) => delete p.metadata.annotations),
      /reads CODER_PG_CONNECTION_URL from Secret "coder\/coder-db", which carries no coder-blueprint\/postgres-sslmode annotation, so its sslmode cannot be verified; annotate the Secret with the URL's sslmode and set sslmode=verify-full/,
    );
  });

  it("fails a weaker attested mode, naming it and the fix", async () => {
    await fails(
      withSecret((p) => (p.metadata.annotations[POSTGRES_SSLMODE_ANNOTATION] = "require")),
      /CODER_PG_CONNECTION_URL from Secret "coder\/coder-db" \(annotated coder-blueprint\/postgres-sslmode\) uses sslmode=require \(allowed: verify-full\), which leaves the database's certificate or host name unchecked.*; set sslmode=verify-full in the database URL \(coder-blueprint:database\.connectionUrl and database\.sslMode; the blueprint writes the coder-blueprint\/postgres-sslmode annotation from the URL\)\./,
    );
    await fails(
      withSecret((p) => (p.metadata.annotations[POSTGRES_SSLMODE_ANNOTATION] = "verify-ca")),
      /uses sslmode=verify-ca/,
    );
  });

  it("judges an inline URL by its sslmode, in URL and keyword form", async () => {
    await passes(withInlineUrl("postgres://coder@db.internal:5432/coder?connect_timeout=5&sslmode=verify-full"));
    await passes(withInlineUrl("host=db.internal dbname=coder sslmode=verify-full"));
    await fails(
      withInlineUrl("postgres://coder@db.internal:5432/coder?sslmode=disable"),
      /the inline CODER_PG_CONNECTION_URL uses sslmode=disable/,
    );
    await fails(withInlineUrl("host=db.internal sslmode='require'"), /uses sslmode=require/);
    await fails(
      withInlineUrl("postgres://coder@db.internal:5432/coder?sslmode=verify-full&sslmode=prefer"),
      /uses sslmode=prefer/,
    );
  });

  it("fails an inline URL without sslmode, whose driver default verifies nothing", async () => {
    await fails(
      withInlineUrl("postgres://coder@db.internal:5432/coder"),
      /the inline CODER_PG_CONNECTION_URL sets no sslmode, so the driver's default applies, which verifies neither the database's certificate nor its host name; set sslmode=verify-full/,
    );
  });

  it("fails a keyword-form URL whose own sslmode is weak, whatever another value spells like a query", async () => {
    // libpq reads "p&sslmode=verify-full&x" as the password; the sslmode keyword after it is disable.
    await fails(
      withInlineUrl("host=db.internal password=p&sslmode=verify-full&x sslmode=disable"),
      /the inline CODER_PG_CONNECTION_URL uses sslmode=disable \(allowed: verify-full\)/,
    );
    await fails(
      withInlineUrl("sslmode=require host=db.internal dbname=coder"),
      /the inline CODER_PG_CONNECTION_URL uses sslmode=require/,
    );
    // In URL form a space-separated "sslmode=" is part of another query value.
    await fails(
      withInlineUrl("postgres://coder@db.internal/coder?application_name=coder sslmode=verify-full"),
      /the inline CODER_PG_CONNECTION_URL sets no sslmode/,
    );
  });

  it("names every weak mode and every allowed one", async () => {
    const config = { config: { "coder-database-tls-unverified": { allowedSslModes: ["verify-ca", "verify-full"] } } };
    await fails(
      withInlineUrl("postgres://coder@db.internal/coder?sslmode=disable&sslmode=require"),
      /uses sslmode=disable, sslmode=require \(allowed: verify-ca, verify-full\), which leaves/,
      config,
    );
  });

  it("leaves a non-string inline URL, which Kubernetes rejects, to the API server", async () => {
    const numeric = mutate(compliantCoderRelease(), (p) => {
      const entry = envEntry(p, "CODER_PG_CONNECTION_URL");
      delete entry.valueFrom;
      entry.value = 5432;
    });
    await passes(stack(numeric));
  });

  it("fails a URL variable with neither a value nor a source, whose sslmode cannot be verified", async () => {
    const bare = mutate(compliantCoderRelease(), (p) => delete envEntry(p, "CODER_PG_CONNECTION_URL").valueFrom);
    await fails(
      stack(bare),
      /CODER_PG_CONNECTION_URL from something other than a Secret, so its sslmode cannot be verified/,
    );
  });

  it("fails an empty attestation as a missing one, on the Secret or on what writes it", async () => {
    await fails(
      withSecret((p) => (p.metadata.annotations[POSTGRES_SSLMODE_ANNOTATION] = "")),
      /from Secret "coder\/coder-db", which carries no coder-blueprint\/postgres-sslmode annotation/,
    );
    await fails(
      withExternalSecret((p) => (p.spec.target.template.metadata.annotations[POSTGRES_SSLMODE_ANNOTATION] = "")),
      /from Secret "coder\/coder-db", which an external secret manager writes without a coder-blueprint\/postgres-sslmode annotation, so its sslmode cannot be verified; add the annotation to the Secret it writes \(ExternalSecret spec\.target\.template\.metadata\.annotations, or the SecretProviderClass secretObjects entry\) and set sslmode=verify-full in the database URL/,
    );
  });

  it("reads an ExternalSecret whose template sets only data, which writes no annotation", async () => {
    await fails(
      withExternalSecret((p) => (p.spec.target.template = { engineVersion: "v2", data: { url: "{{ .url }}" } })),
      /which an external secret manager writes without a coder-blueprint\/postgres-sslmode annotation/,
    );
  });

  it("takes attestations only from the Secrets Store CSI driver's SecretProviderClass", async () => {
    const lookalike = mutate(providerClass(), (_p, r) => {
      r.type = "kubernetes:secrets-store.example.com/v1:SecretProviderClass";
    });
    await fails(stack(undefined, lookalike), /from Secret "coder\/coder-db", which is not in this stack/);
  });

  it("takes attestations only from the exact ExternalSecret and SecretProviderClass types", async () => {
    // A longer kind of the same group (the CSI driver's own SecretProviderClassPodStatus, a list kind), or a
    // type that only ends like one (a component's), writes no Secret, whatever its inputs hold.
    const retyped = (r: ResourceUnderTest, type: string) => mutate(r, (_p, res) => (res.type = type));
    for (const lookalike of [
      retyped(externalSecret(), "kubernetes:external-secrets.io/v1beta1:ExternalSecretList"),
      retyped(externalSecret(), "acme:kubernetes:external-secrets.io/v1beta1:ExternalSecret"),
      retyped(providerClass(), "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClassPodStatus"),
      retyped(providerClass(), "acme:kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass"),
    ]) {
      await fails(stack(undefined, lookalike), /from Secret "coder\/coder-db", which is not in this stack/);
    }
  });

  it("tolerates other resources in the stack with parts left out", async () => {
    const noSpec = mutate(externalSecret(), (p) => {
      delete p.spec;
      delete p.metadata;
    });
    const unnamedSecret = mutate(compliantDatabaseSecret(), (p) => delete p.metadata);
    await passes([...stack(), noSpec, unnamedSecret]);
  });

  it("fails a URL from a ConfigMap, which carries no attestation", async () => {
    const fromConfigMap = mutate(
      compliantCoderRelease(),
      (p) => (envEntry(p, "CODER_PG_CONNECTION_URL").valueFrom = { configMapKeyRef: { name: "coder-db", key: "url" } }),
    );
    await fails(
      stack(fromConfigMap),
      /reads CODER_PG_CONNECTION_URL from something other than a Secret, so its sslmode cannot be verified/,
    );
  });

  it("accepts the modes the policy config allows", async () => {
    const config = { config: { "coder-database-tls-unverified": { allowedSslModes: ["verify-ca", "verify-full"] } } };
    await passes(
      withSecret((p) => (p.metadata.annotations[POSTGRES_SSLMODE_ANNOTATION] = "verify-ca")),
      config,
    );
  });

  // A misspelt mode ("verify_full") would allow nothing, and a release that is fine would fail on a typo.
  it("refuses an allowedSslModes entry that is not a libpq sslmode before judging anything", () => {
    for (const mode of ["verify_full", "VERIFY-FULL", "on"]) {
      expectSettingsRefused(
        coderDatabaseTlsUnverified,
        { allowedSslModes: ["verify-full", mode] },
        /allowedSslModes\.1: must be one of \["disable","allow","prefer","require","verify-ca","verify-full"\]/,
        mode,
      );
    }
  });

  it("does not judge a release on Coder's built-in database, or another chart", async () => {
    await passes(
      stack(
        mutate(compliantCoderRelease(), (p) => delete p.values),
        null,
      ),
    );
    // Only Helm releases and charts carry a chart's values; another kind with the same fields is not one.
    await passes(
      stack(
        mutate(compliantCoderRelease(), (_p, r) => (r.type = "kubernetes:helm.toolkit.fluxcd.io/v2:HelmRelease")),
        null,
      ),
    );
    await passes(
      stack(
        mutate(compliantCoderRelease(), (p) => removeEnv(p, "CODER_PG_CONNECTION_URL")),
        null,
      ),
    );
    await passes(
      stack(
        mutate(compliantCoderRelease(), (p) => (p.chart = "postgresql")),
        null,
      ),
    );
  });

  it("cannot judge a Secret named during preview: a gap, not a missing Secret", async () => {
    const o = await expectStackPreviewGap(
      coderDatabaseTlsUnverified,
      withSecret((p) => (p.metadata.name = unknown.string)),
      /can't be known during preview/,
    );
    assert.deepStrictEqual(mandatory(o), []);
  });

  it("reads every sslmode a connection string sets", () => {
    assert.deepStrictEqual(sslModesOf("postgres://u:p%40ss@h/db?sslmode=verify-full"), ["verify-full"]);
    assert.deepStrictEqual(sslModesOf("postgresql://h/db?sslmode=require&sslmode=verify-full"), [
      "require",
      "verify-full",
    ]);
    assert.deepStrictEqual(sslModesOf("host=h  sslmode = verify-ca"), ["verify-ca"]);
    assert.deepStrictEqual(sslModesOf("postgres://h/db"), []);
    assert.deepStrictEqual(sslModesOf("sslmode=verify-full host=h"), ["verify-full"]);
    assert.deepStrictEqual(sslModesOf("host=h password=a&sslmode=disable sslmode=verify-full"), ["verify-full"]);
    assert.deepStrictEqual(sslModesOf("postgres://h/db?application_name=a sslmode=verify-full"), []);
  });
});
