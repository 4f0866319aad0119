// The Coder Helm chart as the policies see it: a Release (or Chart) whose chart is Coder's, with
// `values.coder` holding coderd's settings and `values.coder.env` its server environment.
import { ReportViolation, ResourceValidation } from "@pulumi/policy";
import { forTypes, Props, subjectOfArgs } from "./policy";
import { HELM_CHART_TYPES } from "./types";
import { eachOf, PreviewGaps, readOr } from "./unknowns";

/** The Coder chart can be installed through any of them. */
export const CODER_CHART_TYPES: readonly string[] = HELM_CHART_TYPES;

// A packaged chart is "<name>-<version>.tgz" (helm package), or "coder_helm_<version>.tgz" as Coder attaches
// it to each GitHub release; the version a semver with optional "v", pre-release and build parts.
const CODER_ARCHIVE = /^(?:coder-|coder_helm_)v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\.tgz$/;

/**
 * "coder", "coder-v2/coder", "oci://ghcr.io/coder/chart/coder", and the local charts of air-gapped
 * installs: a directory named coder ("./charts/coder", "/opt/charts/coder/") or a packaged archive
 * ("coder-2.36.3.tgz", "/opt/charts/coder-2.36.3.tgz"), with or without a leading path, and the release
 * asset URL ("https://github.com/coder/coder/releases/download/v2.36.3/coder_helm_2.36.3.tgz"). A URL's query
 * or fragment and an OCI reference's tag or digest ("oci://ghcr.io/coder/chart/coder:2.36.3") are not part of
 * the name. Other charts ("coder-provisioner", "coder-provisioner-2.36.3.tgz") are not Coder's server chart.
 */
export function isCoderChart(chart: unknown): boolean {
  if (typeof chart !== "string") return false;
  let trimmed = chart.trim().replace(/[?#].*$/, "");
  if (/^oci:\/\//i.test(trimmed)) trimmed = trimmed.replace(/@sha256:[0-9a-f]+$/i, "").replace(/:[^/:]+$/, "");
  trimmed = trimmed.replace(/[\\/]+$/, "");
  const base = trimmed.slice(Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\")) + 1);
  return base === "coder" || CODER_ARCHIVE.test(base);
}

export interface EnvEntry {
  name: string;
  /** Set when the value is written into the values (plain text in the Helm release). */
  hasValue: boolean;
  hasValueFrom: boolean;
  /** The literal value; reading it may throw during preview if it derives from an output. */
  entry: Props;
}

/**
 * coderd's environment by variable name. Presence is tested with `in`, which does not read the value,
 * so a value unknown during preview does not stop the plain-text-secret check.
 */
export function envOf(coder: Props | undefined, gaps: PreviewGaps): Map<string, EnvEntry> {
  const env = new Map<string, EnvEntry>();
  eachOf(
    coder?.env as Props[] | undefined,
    (entry) => {
      const name = entry?.name;
      if (typeof name !== "string") return;
      env.set(name, { name, hasValue: "value" in entry, hasValueFrom: "valueFrom" in entry, entry });
    },
    gaps,
  );
  return env;
}

export interface CoderContext {
  values: Props;
  coder: Props;
  subject: string;
  gaps: PreviewGaps;
  report: ReportViolation;
  config: Record<string, any>;
}

/** A validation for Coder chart deployments; other charts are reported as not applicable. */
export function validateCoderChart(check: (ctx: CoderContext) => void): ResourceValidation {
  return forTypes(CODER_CHART_TYPES, (props, args, report) => {
    if (!isCoderChart(props.chart)) args.notApplicable("Policy only applies to the Coder Helm chart");
    const values: Props = props.values ?? {};
    const gaps = new PreviewGaps();
    check({ values, coder: values.coder ?? {}, subject: subjectOfArgs(args), gaps, report, config: args.getConfig() });
    gaps.settle();
  });
}

// Coder's external-auth (Git) providers: CODER_EXTERNAL_AUTH_<n>_<FIELD>, and the legacy CODER_GITAUTH_ prefix,
// which Coder still reads. CODER_EXTERNAL_AUTH_GITHUB_DEFAULT_PROVIDER_ENABLE has no index and is no provider.
const PROVIDER_VAR = /^(CODER_EXTERNAL_AUTH|CODER_GITAUTH)_(\d+)_([A-Z_]+)$/;

export interface ExternalAuthProvider {
  /** The provider's variable prefix, "CODER_EXTERNAL_AUTH_0". */
  key: string;
  /** Its variables by field ("ID", "TYPE", "SCOPES", ...); presence does not read the value. */
  vars: Map<string, EnvEntry>;
}

/** The external-auth providers configured in coderd's environment, in the order their variables appear. */
export function externalAuthProviders(env: Map<string, EnvEntry>): ExternalAuthProvider[] {
  const byKey = new Map<string, ExternalAuthProvider>();
  for (const entry of env.values()) {
    const match = PROVIDER_VAR.exec(entry.name);
    if (!match) continue;
    const key = `${match[1]}_${match[2]}`;
    const provider = byKey.get(key) ?? { key, vars: new Map<string, EnvEntry>() };
    provider.vars.set(match[3], entry);
    byKey.set(key, provider);
  }
  return [...byKey.values()];
}

/**
 * A provider field's literal string value; undefined when the field is absent, comes from a Secret or
 * ConfigMap, or is not a string. Throws the engine's error when the value is unknown during preview.
 */
export function providerField(provider: ExternalAuthProvider, field: string): string | undefined {
  const entry = provider.vars.get(field);
  const value = entry && entry.hasValue ? entry.entry.value : undefined;
  return typeof value === "string" ? value : undefined;
}

/** Coder's legacy type names, mapped to the current ones. */
const TYPE_ALIASES: Record<string, string> = { bitbucket: "bitbucket-cloud" };

/** The provider's type as Coder resolves it: _TYPE, else _ID, lower-cased. Throws for an unknown value. */
export function providerType(provider: ExternalAuthProvider): string {
  const type = (providerField(provider, "TYPE") || providerField(provider, "ID") || "").toLowerCase();
  return TYPE_ALIASES[type] ?? type;
}

/** `Git provider "github" ` +
  `(CODER_EXTERNAL_AUTH_0)`, for messages; an ID unknown during preview shows as the key alone. */
export function providerLabel(provider: ExternalAuthProvider): string {
  const id = readOr(() => providerField(provider, "ID"), undefined);
  return id ? `Git provider "${id}" (${provider.key})` : `Git provider ${provider.key}`;
}

/** The repository the chart pulls coderd from when values.coder.image.repo is unset. */
export const CODER_DEFAULT_IMAGE_REPO = "ghcr.io/coder/coder";

/**
 * coderd's image as the chart renders it ("<coder.image.repo>:<coder.image.tag>"), the repository falling
 * back to the chart's default; the tag (default: the chart's appVersion) is shown only when the values
 * set it. `defaulted` says the repository came from the chart, not the values. Throws the engine's error
 * when the repository is unknown during preview.
 */
export function coderdImage(coder: Props): { image: string; defaulted: boolean } {
  const image: Props = coder.image ?? {};
  const repo: unknown = image.repo;
  const defaulted = typeof repo !== "string" || repo.trim() === "";
  // The tag only labels the message: one unknown during preview must not stop the registry check.
  const tag: unknown = readOr<unknown>(() => image.tag, undefined);
  const base = defaulted ? CODER_DEFAULT_IMAGE_REPO : repo.trim();
  return { image: typeof tag === "string" && tag ? `${base}:${tag}` : base, defaulted };
}
