// A pull-through cache rule makes ECR fetch whatever a cluster asks for from the upstream registry and
// serve it from the account's own registry, where it looks approved. Without an upstream repository
// prefix a rule mirrors the whole upstream registry (all of Docker Hub, all of ghcr.io), so each rule
// must name an upstream prefix the pack config allows.
import { normalizePrefix } from "../../contract";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export interface EcrPullThroughCacheConfig {
  allowedUpstreams: string[];
}

const trimSlashes = (s: string) => s.trim().replace(/^\/+|\/+$/g, "");

/** "registry-1.docker.io" + "codercom" -> "registry-1.docker.io/codercom"; undefined when the rule mirrors all. */
export function upstreamScope(registryUrl: unknown, repositoryPrefix: unknown): string | undefined {
  if (typeof registryUrl !== "string" || typeof repositoryPrefix !== "string") return undefined;
  const prefix = trimSlashes(repositoryPrefix);
  // "ROOT" is the API's spelling of "the whole upstream registry".
  if (prefix === "" || prefix === "ROOT" || prefix.includes("*")) return undefined;
  return `${trimSlashes(registryUrl.trim().replace(/^[a-z]+:\/\//i, ""))}/${prefix}`;
}

/**
 * Whether `scope` is an allowed upstream or lies under one, on path-segment boundaries. Both sides are
 * normalised as the contract normalises registry prefixes, so Docker Hub's host aliases name one registry.
 */
export function isAllowedUpstream(scope: string, allowed: readonly string[]): boolean {
  const normalized = normalizePrefix(scope);
  return allowed.some((a) => {
    // A blank entry approves nothing; normalised it would read as "docker.io/" and match a blank registry URL.
    const trimmed = trimSlashes(a);
    if (trimmed === "") return false;
    const entry = normalizePrefix(trimmed);
    return normalized === entry || normalized.startsWith(`${entry}/`);
  });
}

export const ecrPullThroughCacheUnscoped = definePolicy(
  {
    responsibilities: ["registry-any-image", "registry-account"],
    severity: "high",
    forbids: "Pull-through cache rules without an upstream repository prefix from the allowlist",
    references: { cisEks: ["5.1.4"], kyverno: ["restrict-image-registries"] },
  },
  {
    name: "ecr-pull-through-cache-unscoped",
    description:
      "ECR pull-through cache rules must mirror only an upstream repository prefix listed in allowedUpstreams, " +
      "never a whole upstream registry.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set upstreamRepositoryPrefix to the upstream namespace you approve (e.g. codercom on registry-1.docker.io) " +
      'and list "<upstreamRegistryUrl>/<prefix>" in the policy config\'s allowedUpstreams.',
    configSchema: {
      properties: {
        allowedUpstreams: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: 'Upstream "<registry host>/<repository prefix>" entries a cache rule may mirror.',
        },
      },
    },
    validateResource: forTypes([AWS.ecrPullThroughCacheRule], (props, args, report) => {
      const { allowedUpstreams } = args.getConfig<EcrPullThroughCacheConfig>();
      const who = subjectOfArgs(args);
      const scope = upstreamScope(props.upstreamRegistryUrl, props.upstreamRepositoryPrefix);
      if (scope === undefined) {
        report(
          `${who}: mirrors the whole upstream registry ${JSON.stringify(props.upstreamRegistryUrl)} ` +
            `(upstreamRepositoryPrefix is ${JSON.stringify(props.upstreamRepositoryPrefix ?? "unset")}); set ` +
            "upstreamRepositoryPrefix to an approved namespace listed in allowedUpstreams.",
        );
        return;
      }
      if (isAllowedUpstream(scope, allowedUpstreams)) return;
      report(
        `${who}: mirrors ${scope}, which is not under any allowedUpstreams entry ` +
          `(${allowedUpstreams.join(", ") || "none configured"}); narrow upstreamRepositoryPrefix or approve it ` +
          "in the policy config.",
      );
    }),
  },
);
