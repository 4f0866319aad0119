// coderd's database holds every session, API key and (encrypted) Git and OIDC token. Only
// sslmode=verify-full checks both the server's certificate and its host name; with anything weaker a
// machine in the network path can pose as the database. The URL is normally secret, so it comes from a
// Secret through valueFrom.secretKeyRef; the policy then reads the sslmode the blueprint attests on that
// Secret (POSTGRES_SSLMODE_ANNOTATION, written from the URL) and never the Secret's data. A Secret that an
// external secret manager writes is attested the same way on what writes it, which is in the stack: an
// External Secrets Operator ExternalSecret (the annotation in spec.target.template.metadata, which ESO
// copies onto the Secret) or a Secrets Store CSI SecretProviderClass (the annotation on the matching
// spec.secretObjects entry). A Secret with no attestation anywhere in the stack cannot be verified and is
// reported. A release without CODER_PG_CONNECTION_URL runs Coder's built-in Postgres inside the pod and is
// not judged here.
import { PolicyResource } from "@pulumi/policy";
import { POSTGRES_SSLMODE_ANNOTATION } from "../../contract";
import { CODER_CHART_TYPES, envOf, isCoderChart } from "../../lib/coder";
import { annotationsOf, namespaceOf, releaseNamespaceOf } from "../../lib/kubernetes";
import { Props, subjectOfResource } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

const VARIABLE = "CODER_PG_CONNECTION_URL";

const EXTERNAL_SECRET = /^kubernetes:external-secrets\.io\/[^:]+:ExternalSecret$/;
const SECRET_PROVIDER_CLASS = /^kubernetes:secrets-store\.csi\.x-k8s\.io\/[^:]+:SecretProviderClass$/;

/**
 * The Secrets external secret managers in the stack write, by "namespace/name", each with the annotations
 * they put on it: an ExternalSecret's target (spec.target.name, else its own name) and a
 * SecretProviderClass's spec.secretObjects.
 */
function managedSecrets(resources: PolicyResource[], gaps: PreviewGaps): Map<string, Record<string, unknown>> {
  const written = new Map<string, Record<string, unknown>>();
  for (const r of resources) {
    gaps.judge(() => {
      if (EXTERNAL_SECRET.test(r.type)) {
        const target: Props = r.props.spec?.target ?? {};
        const name = target.name ?? r.props.metadata?.name;
        written.set(`${namespaceOf(r)}/${name}`, target.template?.metadata?.annotations ?? {});
      } else if (SECRET_PROVIDER_CLASS.test(r.type)) {
        for (const object of (r.props.spec?.secretObjects ?? []) as Props[]) {
          written.set(`${namespaceOf(r)}/${object.secretName}`, object.annotations ?? {});
        }
      }
    });
  }
  return written;
}

export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;

export interface CoderDatabaseTlsUnverifiedConfig {
  allowedSslModes: string[];
}

/**
 * Every sslmode a connection string sets, in URL form (postgres://...?sslmode=x) or keyword form
 * (host=... sslmode=x). Drivers disagree on which of several wins, so the caller judges them all. The form
 * decides how the string is read, as in the driver: in keyword form "&sslmode=" inside another value (a
 * password) sets nothing, and in URL form " sslmode=" inside a query value sets nothing either.
 */
export function sslModesOf(connection: string): string[] {
  if (connection.includes("://")) {
    return [...connection.matchAll(/[?&]sslmode=([^&#]*)/g)].map((m) => decodeURIComponent(m[1]));
  }
  return [...connection.matchAll(/(?:^|\s)sslmode\s*=\s*(?:'([^']*)'|(\S+))/g)].map((m) => m[1] ?? m[2]);
}

const FIX =
  `set sslmode=verify-full in the database URL (coder-blueprint:database.connectionUrl and ` +
  `database.sslMode; the blueprint writes the ${POSTGRES_SSLMODE_ANNOTATION} annotation from the URL)`;

export const coderDatabaseTlsUnverified = definePolicy(
  {
    responsibilities: ["tls-applications"],
    severity: "high",
    forbids:
      "`CODER_PG_CONNECTION_URL` without `sslmode=verify-full`: inline, or attested by the " +
      "`coder-blueprint/postgres-sslmode` annotation on its Secret in the stack, or on the ExternalSecret or " +
      "SecretProviderClass that writes it",
    references: {
      other: ["Coder security best practices (Postgres over TLS with sslmode=verify-full)", "libpq sslmode"],
    },
  },
  {
    name: "coder-database-tls-unverified",
    description:
      `The Coder release's ${VARIABLE} must use sslmode=verify-full, inline or attested by the ` +
      `${POSTGRES_SSLMODE_ANNOTATION} annotation on the Secret it is read from (or on the ExternalSecret or ` +
      "SecretProviderClass in the stack that writes that Secret).",
    enforcementLevel: "mandatory",
    remediationSteps:
      `Put sslmode=verify-full in the Postgres URL (and the server's CA in the trust bundle). Keep ` +
      `the URL in a Secret in this stack annotated ${POSTGRES_SSLMODE_ANNOTATION}: verify-full, as the blueprint's ` +
      `coder-credentials Secret is.`,
    configSchema: {
      properties: {
        allowedSslModes: {
          type: "array",
          items: { type: "string", enum: [...SSL_MODES] },
          default: ["verify-full"],
          description:
            "The sslmodes coderd may use for Postgres. Only verify-full checks both the certificate and the host name.",
        },
      },
    },
    validateStack: (args, report) => {
      const allowed = args.getConfig<CoderDatabaseTlsUnverifiedConfig>().allowedSslModes;
      const gaps = new PreviewGaps();

      // Secrets by "namespace/name", indexed once. One whose name is unknown during preview could be any
      // Secret, so a lookup that misses is then a gap, not a violation.
      const secrets = new Map<string, PolicyResource>();
      let unindexed = false;
      for (const r of args.resources) {
        if (r.type !== K8S.secret) continue;
        let indexed = false;
        gaps.judge(() => {
          secrets.set(`${namespaceOf(r)}/${r.props.metadata?.name}`, r);
          indexed = true;
        });
        unindexed ||= !indexed;
      }

      const managed = managedSecrets(args.resources, gaps);

      for (const release of args.resources) {
        if (!CODER_CHART_TYPES.includes(release.type)) continue;
        gaps.judge(() => {
          if (!isCoderChart(release.props.chart)) return;
          const subject = subjectOfResource(release);
          const entry = envOf(release.props.values?.coder, gaps).get(VARIABLE);
          if (!entry) return;
          const judgeModes = (modes: string[], source: string) => {
            if (modes.length === 0) {
              report(
                `${subject}: ${source} sets no sslmode, so the driver's default applies, which verifies neither ` +
                  `the database's certificate nor its host name; ${FIX}.`,
                release.urn,
              );
              return;
            }
            const weak = modes.filter((m) => !allowed.includes(m));
            if (weak.length === 0) return;
            report(
              `${subject}: ${source} uses sslmode=${weak.join(", sslmode=")} (allowed: ${allowed.join(", ")}), ` +
                `which leaves the database's certificate or host name unchecked, so a machine in the network path ` +
                `can pose as the database; ${FIX}.`,
              release.urn,
            );
          };

          if (entry.hasValue) {
            const value = entry.entry.value;
            if (typeof value === "string") judgeModes(sslModesOf(value), `the inline ${VARIABLE}`);
            return;
          }
          const ref: Props | undefined = entry.entry.valueFrom?.secretKeyRef;
          if (!ref) {
            report(
              `${subject}: reads ${VARIABLE} from something other than a Secret, so its sslmode cannot be ` +
                `verified; keep the URL in a Secret annotated ${POSTGRES_SSLMODE_ANNOTATION} and ${FIX}.`,
              release.urn,
            );
            return;
          }
          const where = `${releaseNamespaceOf(release)}/${ref.name}`;
          const secret = secrets.get(where);
          const written = managed.get(where);
          if (!secret && written) {
            const attested = written[POSTGRES_SSLMODE_ANNOTATION];
            if (typeof attested === "string" && attested !== "") {
              judgeModes([attested], `${VARIABLE} from Secret "${where}" (attested by its external secret manager)`);
              return;
            }
            report(
              `${subject}: reads ${VARIABLE} from Secret "${where}", which an external secret manager writes ` +
                `without a ${POSTGRES_SSLMODE_ANNOTATION} annotation, so its sslmode cannot be verified; add the ` +
                `annotation to the Secret it writes (ExternalSecret spec.target.template.metadata.annotations, or ` +
                `the SecretProviderClass secretObjects entry) and ${FIX}.`,
              release.urn,
            );
            return;
          }
          if (!secret) {
            if (unindexed) return;
            report(
              `${subject}: reads ${VARIABLE} from Secret "${where}", which is not in this stack, so its sslmode ` +
                `cannot be verified; create that Secret in the stack with the ${POSTGRES_SSLMODE_ANNOTATION} ` +
                `annotation and ${FIX}.`,
              release.urn,
            );
            return;
          }
          const attested = annotationsOf(secret.props)[POSTGRES_SSLMODE_ANNOTATION];
          if (typeof attested !== "string" || attested === "") {
            report(
              `${subject}: reads ${VARIABLE} from Secret "${where}", which carries no ` +
                `${POSTGRES_SSLMODE_ANNOTATION} annotation, so its sslmode cannot be verified; annotate the Secret ` +
                `with the URL's sslmode and ${FIX}.`,
              release.urn,
            );
            return;
          }
          judgeModes([attested], `${VARIABLE} from Secret "${where}" (annotated ${POSTGRES_SSLMODE_ANNOTATION})`);
        });
      }
      gaps.settle();
    },
  },
);
