// Container image references, normalised the way the container runtime resolves them, so that an
// allowlist entry "codercom" and an image "codercom/enterprise-base" agree, and so that
// "registry.example.com.evil.io/x" never passes for "registry.example.com".
import { escapeRegExp } from "./regexp";

/** Docker Hub's canonical registry name, as image references are normalised to it. */
export const DOCKER_HUB = "docker.io";
/** Every registry host the container runtime resolves to Docker Hub. */
export const DOCKER_HUB_HOSTS = [DOCKER_HUB, "index.docker.io", "registry-1.docker.io"] as const;

function isDockerHub(host: string): boolean {
  return (DOCKER_HUB_HOSTS as readonly string[]).includes(host);
}

function looksLikeRegistry(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost";
}

/** The reference with its registry written out, every Docker Hub host spelled "docker.io". */
function withCanonicalHost(ref: string): string {
  const slash = ref.indexOf("/");
  const first = ref.slice(0, Math.max(slash, 0));
  if (slash < 0 || !looksLikeRegistry(first)) return `${DOCKER_HUB}/${ref}`;
  if (isDockerHub(first)) return `${DOCKER_HUB}${ref.slice(slash)}`;
  return ref;
}

/** "nginx", "docker.io/nginx" -> "docker.io/library/nginx"; "codercom/x:1" -> "docker.io/codercom/x:1". */
export function normalizeImage(image: string): string {
  const ref = withCanonicalHost(image.trim());
  const path = ref.slice(ref.indexOf("/") + 1);
  // Official images live under library/ however the reference spells (or omits) the Docker Hub host.
  return ref.startsWith(`${DOCKER_HUB}/`) && !path.includes("/") ? `${DOCKER_HUB}/library/${path}` : ref;
}

/** Allowlist entries are registries or repository prefixes; they never carry a tag. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/\/+$/, "");
  if (!trimmed.includes("/") && looksLikeRegistry(trimmed)) {
    return isDockerHub(trimmed) ? DOCKER_HUB : trimmed;
  }
  // "docker.io/codercom" names a Docker Hub namespace, not the official image "codercom".
  return withCanonicalHost(trimmed);
}

/** True when the image lies under one of the prefixes, matching whole path components only. */
export function isApproved(image: string, prefixes: readonly string[]): boolean {
  const normalized = normalizeImage(image);
  return prefixes.some((p) => {
    const prefix = normalizePrefix(p);
    if (!prefix) return false;
    return normalized === prefix || [":", "@", "/"].some((sep) => normalized.startsWith(prefix + sep));
  });
}

/**
 * Every way an image reference under a Docker Hub repository prefix can be written and still resolve to it:
 * each Docker Hub host, and no host at all ("codercom/" for "docker.io/codercom/"). For use where references
 * are compared as written (admission CEL); undefined when `prefix` is not on Docker Hub, and for official
 * images ("docker.io/library/"), whose short form has no prefix that would not approve every image.
 */
export function dockerHubSpellings(prefix: string): string[] | undefined {
  const slash = prefix.indexOf("/");
  if (slash < 0 || !isDockerHub(prefix.slice(0, slash))) return undefined;
  const path = prefix.slice(slash + 1);
  if (!path.includes("/") || path.startsWith("library/")) return undefined;
  return [...DOCKER_HUB_HOSTS.map((host) => `${host}/${path}`), path];
}

export interface ImageVersion {
  tag?: string;
  digest?: string;
}

export function versionOf(image: string): ImageVersion {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(":");
  const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : undefined;
  return { tag, digest };
}

const DOCKER_HOSTS_PATTERN = `(?:${DOCKER_HUB_HOSTS.map((h) => escapeRegExp(h)).join("|")})`;
/** After an approved repository: its end, a tag, a digest, or a deeper path; never more of the same name. */
const BOUNDARY = "(?:[/:@]|$)";
/** One path component that a runtime does not read as a registry host: no dot, no port, not localhost. */
const NOT_A_HOST = notExactly("localhost", "[^/.:]");

/** Strings of one or more characters of `charClass` other than `word` itself (RE2 has no lookahead). */
function notExactly(word: string, charClass: string): string {
  const negated = (c: string) => `${charClass.slice(0, -1)}${escapeRegExp(c)}]`;
  const differing = [...word].map(
    (c, i) => `${escapeRegExp(word.slice(0, i))}${negated(c)}${charClass}{${word.length - i - 1}}`,
  );
  return `(?:${charClass}{1,${word.length - 1}}|${charClass}{${word.length + 1},}|${differing.join("|")})`;
}

/**
 * An anchored regular expression (in the subset RE2 and JavaScript read alike) that matches an image
 * reference, as written, exactly when isApproved(reference, [prefix]) holds: every spelling the container
 * runtime resolves under the prefix, cut at a path boundary. For rules that compare references as written
 * (admission CEL's `matches`), so that they and the policy pack agree on what an approved image is.
 */
export function approvedImagePattern(prefix: string): string {
  const normalized = normalizePrefix(prefix);
  // A reference without "/" is an official Docker Hub image, so a registry host is only ever followed by
  // a path, and, as isApproved reads a host prefix, the same host on another port is the same registry.
  const hostOnly = (host: string) => `${escapeRegExp(host)}(?:/|[:@][^/]*/)`;
  if (normalized === DOCKER_HUB) return `^(?:${DOCKER_HOSTS_PATTERN}/|${hostOnly(DOCKER_HUB)}|[^/]+$|${NOT_A_HOST}/)`;
  if (!normalized.startsWith(`${DOCKER_HUB}/`)) {
    return normalized.includes("/") ? `^${escapeRegExp(normalized)}${BOUNDARY}` : `^${hostOnly(normalized)}`;
  }
  const path = normalized.slice(DOCKER_HUB.length + 1);
  // A one-component path names a namespace: "docker.io/codercom" alone, or with a tag, is the official
  // image "library/codercom", so only deeper paths lie under it.
  const after = path.includes("/") ? BOUNDARY : "/";
  // Without a host the runtime reads a first component with no dot or port as a Docker Hub namespace.
  const host = looksLikeRegistry(path.split("/")[0]) ? `${DOCKER_HOSTS_PATTERN}/` : `(?:${DOCKER_HOSTS_PATTERN}/)?`;
  const forms = [`${host}${escapeRegExp(path)}${after}`];
  // Official images are also written without "library/": "ubuntu", "docker.io/ubuntu:24.04".
  if (path === "library") forms.push(`(?:${DOCKER_HOSTS_PATTERN}/)?[^/]+$`);
  else if (path.startsWith("library/") && !path.slice("library/".length).includes("/")) {
    forms.push(`(?:${DOCKER_HOSTS_PATTERN}/)?${escapeRegExp(path.slice("library/".length))}(?:[:@]|$)`);
  }
  return `^(?:${forms.join("|")})`;
}
