// The one place stack configuration is read. Everything downstream receives a typed, validated object;
// nothing else calls `new pulumi.Config()`. Validation runs to completion and reports every problem at
// once, before the program registers a single resource.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { cidrContains, cidrsOverlap, CLOUD_METADATA_CIDR, CLOUD_METADATA_CIDR_V6 } from "../policy-pack/contract";
import { blueprintSchema, ParsedBlueprintConfig, SECRET_FIELDS } from "./schema";

export const CONFIG_NAMESPACE = "coder-blueprint";

export type BlueprintConfig = ParsedBlueprintConfig & {
  /** The Pulumi stack name, so components can tell local from shared environments. */
  readonly stack: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

function keyOf(path: ReadonlyArray<PropertyKey>): string {
  const [top, ...rest] = path.map(String);
  let key = `${CONFIG_NAMESPACE}:${top ?? ""}`;
  for (const part of rest) key += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  return key;
}

function secretPattern(key: string, field: string): string {
  return [key, ...field.split(".")].map((part) => (part === "[]" ? "\\d+" : part)).join("\\.");
}

function isSecretPath(path: ReadonlyArray<PropertyKey>): boolean {
  const dotted = path.map(String).join(".");
  return SECRET_FIELDS.some(({ key, field }) => new RegExp(`^${secretPattern(key, field)}$`).test(dotted));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return issue.keys
      .map(
        (k) =>
          `${keyOf([...issue.path, k])}: unknown setting; remove it or check its spelling against the config reference in README.md`,
      )
      .join("\n  - ");
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    if (isSecretPath(issue.path)) {
      return `${keyOf(issue.path)}: required secret, not set; run: pulumi config set --secret --path '${keyOf(issue.path)}' <value>`;
    }
    return `${keyOf(issue.path)}: required, but not set (expected ${issue.expected})`;
  }
  return `${keyOf(issue.path)}: ${issue.message}`;
}

function urlParam(url: string, name: string): string | undefined {
  const query = url.split("?")[1] ?? "";
  for (const pair of query.split("&")) {
    const [k, v] = pair.split("=");
    if (k === name) return decodeURIComponent(v ?? "");
  }
  return undefined;
}

function secretProblems(cfg: ParsedBlueprintConfig, secretKeys: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const holders: Array<{ key: string; present: boolean; field: string }> = [
    { key: "oidc", present: cfg.oidc !== undefined, field: "oidc.clientSecret" },
    { key: "gitProviders", present: cfg.gitProviders.length > 0, field: "gitProviders[n].clientSecret" },
    { key: "database", present: cfg.database !== undefined, field: "database.connectionUrl" },
    { key: "tls", present: cfg.tls.provided !== undefined, field: "tls.provided.privateKey" },
    { key: "tls", present: cfg.tls.ca !== undefined, field: "tls.ca.privateKey" },
    { key: "registry", present: cfg.registry.pull.mode === "docker-config", field: "registry.pull.dockerConfigJson" },
  ];
  for (const { key, present, field } of holders) {
    if (present && !secretKeys.has(`${CONFIG_NAMESPACE}:${key}`)) {
      problems.push(
        `${CONFIG_NAMESPACE}:${field}: stored in plain text in the stack file; encrypt it with: pulumi config set --secret --path '${CONFIG_NAMESPACE}:${field.replace("[n]", "[0]")}' <value>`,
      );
    }
  }
  return problems;
}

/**
 * Pulumi marks a whole top-level key secret when any value inside it is, so one encrypted client secret
 * would hide a second one committed in plain text. The stack file itself says which leaves are encrypted
 * (`{secure: ...}`); every credential present in config must be one of them.
 */
export function plaintextSecretsInStackFile(
  cfg: ParsedBlueprintConfig,
  stackFile: { name: string; document: unknown },
): string[] {
  const config = (stackFile.document as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  const leaf = (top: string, path: Array<string | number>): unknown =>
    path.reduce<unknown>(
      (node, part) => (node && typeof node === "object" ? (node as Record<string | number, unknown>)[part] : undefined),
      config[`${CONFIG_NAMESPACE}:${top}`],
    );
  const fields: Array<{ top: string; path: Array<string | number>; present: boolean }> = [
    { top: "oidc", path: ["clientSecret"], present: cfg.oidc !== undefined },
    { top: "database", path: ["connectionUrl"], present: cfg.database !== undefined },
    { top: "tls", path: ["provided", "privateKey"], present: cfg.tls.provided !== undefined },
    { top: "tls", path: ["ca", "privateKey"], present: cfg.tls.ca !== undefined },
    { top: "registry", path: ["pull", "dockerConfigJson"], present: cfg.registry.pull.mode === "docker-config" },
    ...cfg.gitProviders.map((_, i) => ({ top: "gitProviders", path: [i, "clientSecret"], present: true })),
  ];
  const problems: string[] = [];
  for (const { top, path, present } of fields) {
    if (!present || typeof leaf(top, path) !== "string") continue;
    const key = keyOf([top, ...path]);
    problems.push(
      `${key}: stored in plain text in ${stackFile.name}; encrypt it with: pulumi config set --secret --path '${key}' <value>`,
    );
  }
  return problems;
}

/** Rules that span several keys, which a per-field schema cannot express. */
function crossFieldProblems(cfg: ParsedBlueprintConfig): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const claim = (ns: string, key: string) => {
    const previous = seen.get(ns);
    if (previous)
      problems.push(`${key}: namespace "${ns}" is already used by ${previous}; each managed namespace must be unique`);
    else seen.set(ns, key);
  };
  claim(cfg.controlPlane.namespace, `${CONFIG_NAMESPACE}:controlPlane.namespace`);
  cfg.workspaces.namespaces.forEach((ns, i) => claim(ns, `${CONFIG_NAMESPACE}:workspaces.namespaces[${i}]`));
  for (const reserved of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    if (seen.has(reserved)) {
      problems.push(
        `${seen.get(reserved)}: "${reserved}" belongs to Kubernetes itself; choose a namespace of Coder's own`,
      );
    }
  }

  const rangeKeys = [
    ...cfg.network.podCidrs.map((c, i) => ({ c, key: `network.podCidrs[${i}]` })),
    ...cfg.network.serviceCidrs.map((c, i) => ({ c, key: `network.serviceCidrs[${i}]` })),
  ];
  for (let i = 0; i < rangeKeys.length; i++) {
    for (let j = i + 1; j < rangeKeys.length; j++) {
      if (cidrsOverlap(rangeKeys[i].c, rangeKeys[j].c)) {
        problems.push(
          `${CONFIG_NAMESPACE}:${rangeKeys[j].key}: ${rangeKeys[j].c} overlaps ${CONFIG_NAMESPACE}:${rangeKeys[i].key} (${rangeKeys[i].c}); pod and service ranges must be disjoint`,
        );
      }
    }
  }

  const metadata = [CLOUD_METADATA_CIDR, CLOUD_METADATA_CIDR_V6];
  const clusterRanges = [...cfg.network.podCidrs, ...cfg.network.serviceCidrs];
  // Workspaces additionally never reach the API server or the database.
  const coderdOnly = [...cfg.network.kubernetesApi.cidrs, ...(cfg.database?.egress ?? []).map((r) => r.cidr)];
  const ipBlockSources = [
    {
      key: "network.workspaceEgress.allow",
      cidrs: cfg.network.workspaceEgress.allow.map((r) => r.cidr),
      forbidden: [...metadata, ...clusterRanges, ...coderdOnly],
    },
    {
      key: "network.accessUrlCidrs",
      cidrs: cfg.network.accessUrlCidrs,
      forbidden: [...metadata, ...clusterRanges, ...coderdOnly],
      plain: true,
    },
    {
      key: "network.coderdEgress",
      cidrs: cfg.network.coderdEgress.map((r) => r.cidr),
      forbidden: [...metadata, ...clusterRanges],
    },
    ...cfg.gitProviders.map((p, g) => ({
      key: `gitProviders[${g}].egressCidrs`,
      cidrs: p.egressCidrs,
      forbidden: [...metadata, ...clusterRanges, ...coderdOnly],
      plain: true,
    })),
  ];
  for (const { key, cidrs, forbidden, plain } of ipBlockSources) {
    cidrs.forEach((cidr, i) => {
      const inside = forbidden.find((f) => cidrContains(f, cidr));
      if (inside) {
        problems.push(
          `${CONFIG_NAMESPACE}:${key}[${i}]${plain ? "" : ".cidr"}: ${cidr} lies inside ${inside} (cloud metadata, the cluster's pod/service ranges, or the API server/database only coderd may reach), which this rule must never open; remove it`,
        );
      }
    });
  }

  if (cfg.oidc?.allowedGroups.length && !cfg.oidc.groupField) {
    problems.push(
      `${CONFIG_NAMESPACE}:oidc.groupField: required when oidc.allowedGroups is set (Coder refuses to start otherwise); name the ID-token claim with the groups, e.g. groups, and add its scope to oidc.scopes`,
    );
  }
  if (cfg.coder.enabled) {
    if (cfg.network.kubernetesApi.cidrs.length === 0) {
      problems.push(
        `${CONFIG_NAMESPACE}:network.kubernetesApi.cidrs: coderd creates workspaces through the API server; list the API server endpoint addresses (not the kubernetes Service IP)`,
      );
    }
    if (cfg.oidc && cfg.network.coderdEgress.length === 0) {
      problems.push(
        `${CONFIG_NAMESPACE}:network.coderdEgress: coderd must reach the OIDC issuer (${cfg.oidc.issuerUrl}) at start-up; list its address ranges on port 443`,
      );
    }
    if (cfg.network.coderIngress.cidrs.length === 0 && cfg.network.coderIngress.namespaces.length === 0) {
      problems.push(
        `${CONFIG_NAMESPACE}:network.coderIngress: nobody outside the cluster could reach coderd; list the load balancer subnets (cidrs) or the ingress controller's namespace (namespaces)`,
      );
    }
    if (cfg.coder.service.type === "InternalLoadBalancer" && cfg.network.accessUrlCidrs.length === 0) {
      problems.push(
        `${CONFIG_NAMESPACE}:network.accessUrlCidrs: workspace agents dial the access URL, which resolves to the internal load balancer; list its subnets`,
      );
    }
  }
  const managedNames = [cfg.controlPlane.namespace, ...cfg.workspaces.namespaces];
  if (cfg.network.monitoringNamespace && managedNames.includes(cfg.network.monitoringNamespace)) {
    problems.push(
      `${CONFIG_NAMESPACE}:network.monitoringNamespace: "${cfg.network.monitoringNamespace}" is a namespace the blueprint manages; name the namespace your Prometheus runs in`,
    );
  }

  // coderd's own destinations are exempt from the cluster-range carve-out, so none may span the pod ranges.
  const coderdDestinations = [
    ...cfg.network.kubernetesApi.cidrs.map((c, i) => ({ c, key: `network.kubernetesApi.cidrs[${i}]` })),
    ...(cfg.database?.egress ?? []).map((r, i) => ({ c: r.cidr, key: `database.egress[${i}].cidr` })),
  ];
  for (const { c, key } of coderdDestinations) {
    const pods = cfg.network.podCidrs.find((p) => cidrContains(c, p));
    if (pods) {
      problems.push(
        `${CONFIG_NAMESPACE}:${key}: ${c} contains the pod range ${pods}, which would let coderd reach every workspace pod; narrow it to the API server's or database's own subnets`,
      );
    }
  }

  const wc = cfg.storage.workspaceClass;
  if (wc.driver === "custom" && wc.makeDefault && !wc.encryptedAtRest) {
    problems.push(
      `${CONFIG_NAMESPACE}:storage.workspaceClass.makeDefault: the default class receives every workspace home volume, so it must be encrypted; ` +
        `set encryptedAtRest: true if the provisioner's disks are encrypted, or makeDefault: false`,
    );
  }
  if (cfg.storage.demoteDefaultClasses.includes(wc.name)) {
    problems.push(
      `${CONFIG_NAMESPACE}:storage.demoteDefaultClasses: lists "${wc.name}", the blueprint's own workspace class; remove it`,
    );
  }

  const tls = cfg.tls;
  if (tls.mode === "provided" && !tls.provided) {
    problems.push(
      `${CONFIG_NAMESPACE}:tls.provided: required when tls.mode is "provided"; give certificate (PEM chain) and privateKey (as a secret)`,
    );
  }
  if (tls.mode !== "provided" && tls.provided) {
    problems.push(
      `${CONFIG_NAMESPACE}:tls.provided: only used when tls.mode is "provided" (it is "${tls.mode}"); remove it or change the mode`,
    );
  }
  if (tls.mode !== "private-ca" && tls.ca) {
    problems.push(
      `${CONFIG_NAMESPACE}:tls.ca: only used when tls.mode is "private-ca" (it is "${tls.mode}"); remove it or change the mode`,
    );
  }
  if (tls.mode === "none" && !tls.terminatedUpstream) {
    problems.push(
      `${CONFIG_NAMESPACE}:tls.terminatedUpstream: tls.mode "none" sends traffic to coderd unencrypted; set terminatedUpstream: true only if TLS ends at a load balancer or mesh in front of coderd, otherwise use mode private-ca`,
    );
  }
  if (tls.mode !== "private-ca" && tls.applicationCertificates.length > 0) {
    problems.push(
      `${CONFIG_NAMESPACE}:tls.applicationCertificates: only the private CA can issue them (tls.mode is "${tls.mode}"); remove the list or use mode private-ca`,
    );
  }
  const reservedSecrets = ["coder-tls", "coder-trusted-cas", "coder-credentials", "coder-registry-pull"];
  tls.applicationCertificates.forEach((app, i) => {
    if (app.namespace === cfg.controlPlane.namespace && reservedSecrets.includes(app.name)) {
      problems.push(
        `${CONFIG_NAMESPACE}:tls.applicationCertificates[${i}].name: "${app.name}" is a Secret the blueprint writes in ${app.namespace}; choose another name`,
      );
    }
  });
  if (tls.caValidityHours <= tls.validityHours) {
    problems.push(
      `${CONFIG_NAMESPACE}:tls.caValidityHours: must exceed tls.validityHours (${tls.validityHours}); a certificate cannot outlive its CA`,
    );
  }
  if (tls.earlyRenewalHours >= tls.validityHours) {
    problems.push(
      `${CONFIG_NAMESPACE}:tls.earlyRenewalHours: must be less than tls.validityHours (${tls.validityHours}), or every update reissues the certificate`,
    );
  }

  if (cfg.coder.enabled && !cfg.database) {
    problems.push(
      `${CONFIG_NAMESPACE}:database: required while coder.enabled is true; set database.egress in the stack file and the URL with: pulumi config set --secret --path '${CONFIG_NAMESPACE}:database.connectionUrl' 'postgres://...?sslmode=verify-full'`,
    );
  }
  if (cfg.database) {
    const mode = urlParam(cfg.database.connectionUrl, "sslmode");
    if (mode !== cfg.database.sslMode) {
      problems.push(
        `${CONFIG_NAMESPACE}:database.connectionUrl: its sslmode is ${mode ? `"${mode}"` : "not set"} but database.sslMode is "${cfg.database.sslMode}"; add ?sslmode=${cfg.database.sslMode} to the URL (verify-full checks the server certificate and host name)`,
      );
    }
  }

  const ids = new Set<string>();
  const byType = new Map<string, Array<{ index: number; regex?: string }>>();
  cfg.gitProviders.forEach((provider, index) => {
    if (ids.has(provider.id))
      problems.push(
        `${CONFIG_NAMESPACE}:gitProviders[${index}].id: "${provider.id}" is used twice; provider ids must be unique`,
      );
    ids.add(provider.id);
    byType.set(provider.type, [...(byType.get(provider.type) ?? []), { index, regex: provider.regex }]);
    // Self-hosted Bitbucket has no public endpoints for Coder to default to.
    if (provider.type === "bitbucket-server" && (!provider.authUrl || !provider.tokenUrl)) {
      problems.push(
        `${CONFIG_NAMESPACE}:gitProviders[${index}].authUrl: bitbucket-server is self-hosted; give authUrl and tokenUrl (e.g. https://bitbucket.example.com/rest/oauth2/latest/authorize and …/token)`,
      );
    }
  });
  for (const [type, providers] of byType) {
    if (providers.length < 2) continue;
    const regexes = providers.map((p) => p.regex);
    if (regexes.some((r) => !r) || new Set(regexes).size !== regexes.length) {
      problems.push(
        `${CONFIG_NAMESPACE}:gitProviders[${providers[1].index}].regex: ${providers.length} providers have type "${type}"; Coder can tell them apart only by URL, so give each a distinct regex (e.g. ^https://github\\.example\\.com/.*) or keep one provider per type`,
      );
    }
  }

  if (cfg.network.workspaceEgress.mode !== "allowlist" && cfg.network.workspaceEgress.allow.length > 0) {
    problems.push(
      `${CONFIG_NAMESPACE}:network.workspaceEgress.allow: only used when network.workspaceEgress.mode is "allowlist" (it is "${cfg.network.workspaceEgress.mode}"); remove the list or change the mode`,
    );
  }
  return problems;
}

/**
 * Validates raw stack configuration (top-level keys without the project prefix, values already decoded
 * from JSON) and returns the typed config, or throws a ConfigError listing every problem.
 */
export function parseConfig(
  raw: Record<string, unknown>,
  stack: string,
  secretKeys: ReadonlySet<string>,
  stackFile?: { name: string; document: unknown },
): BlueprintConfig {
  const result = blueprintSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map(describeIssue));
  }
  const problems = [
    ...crossFieldProblems(result.data),
    ...secretProblems(result.data, secretKeys),
    ...(stackFile ? plaintextSecretsInStackFile(result.data, stackFile) : []),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...result.data, stack };
}

/** Decodes Pulumi's flat `project:key -> string` map into structured values. */
export function decodePulumiConfig(flat: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [fullKey, text] of Object.entries(flat)) {
    const separator = fullKey.indexOf(":");
    const namespace = fullKey.slice(0, separator);
    const key = fullKey.slice(separator + 1);
    if (namespace !== CONFIG_NAMESPACE) continue;
    try {
      raw[key] = JSON.parse(text);
    } catch {
      // The value itself is never echoed: it may be a secret set with `config set --secret`.
      problems.push(`${fullKey}: must be a YAML map or list (see README.md), got a plain value`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return raw;
}

/** Reads and validates the current stack's configuration from the Pulumi runtime. */
export function loadConfig(): BlueprintConfig {
  const flat = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(flat).filter((key) => runtimeIsConfigSecret(key)));
  return parseConfig(decodePulumiConfig(flat), pulumi.getStack(), secretKeys, readStackFile(pulumi.getStack()));
}

/** The stack's settings file (Pulumi.yaml sets stackConfigDir: stacks), when config comes from one. */
function readStackFile(stack: string): { name: string; document: unknown } | undefined {
  const name = path.join("stacks", `Pulumi.${stack.split("/").pop()}.yaml`);
  if (!fs.existsSync(name)) return undefined;
  return { name, document: parseYaml(fs.readFileSync(name, "utf8")) };
}

/**
 * The SDK knows which keys the stack file encrypts but exports that only as an internal helper; this is
 * the one place that reaches for it, and it fails loudly if a future SDK drops it.
 */
function runtimeIsConfigSecret(key: string): boolean {
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (typeof isConfigSecret !== "function") {
    throw new Error(
      "@pulumi/pulumi no longer exposes runtime.isConfigSecret; update config/index.ts to read secret keys another way",
    );
  }
  return isConfigSecret(key);
}
