// Address ranges must keep the boundaries the network policies draw: no rule may open the cloud metadata
// endpoint, the cluster's own ranges, or (for workspaces) what only coderd may reach.
import { cidrContains, cidrsOverlap, CLOUD_METADATA_CIDR, CLOUD_METADATA_CIDR_V6 } from "../../policy-pack/contract";
import { ParsedBlueprintConfig } from "../schema";
import { configKey, Problem, problem } from "../problem";

function overlappingClusterRanges(cfg: ParsedBlueprintConfig): Problem[] {
  const problems: Problem[] = [];
  const ranges = [
    ...(cfg.network.podCidrs ?? []).map((c, i) => ({ c, key: `network.podCidrs[${i}]` })),
    ...cfg.network.serviceCidrs.map((c, i) => ({ c, key: `network.serviceCidrs[${i}]` })),
  ];
  ranges.forEach((earlier, i) => {
    for (const later of ranges.slice(i + 1)) {
      if (cidrsOverlap(earlier.c, later.c)) {
        problems.push(
          problem(
            later.key,
            `${later.c} overlaps ${configKey(earlier.key)} (${earlier.c}); pod and service ranges must be disjoint`,
          ),
        );
      }
    }
  });
  return problems;
}

function forbiddenDestinations(cfg: ParsedBlueprintConfig): Problem[] {
  const metadata = [CLOUD_METADATA_CIDR, CLOUD_METADATA_CIDR_V6];
  const clusterRanges = [...(cfg.network.podCidrs ?? []), ...cfg.network.serviceCidrs];
  // Workspaces additionally never reach the API server or the database.
  const coderdOnly = [...cfg.network.kubernetesApi.cidrs, ...(cfg.database?.egress ?? []).map((r) => r.cidr)];
  const sources = [
    {
      key: "network.workspaceEgress.allow",
      cidrs: cfg.network.workspaceEgress.allow.map((r) => r.cidr),
      forbidden: [...metadata, ...clusterRanges, ...coderdOnly],
      field: ".cidr",
    },
    {
      key: "network.accessUrlCidrs",
      cidrs: cfg.network.accessUrlCidrs,
      forbidden: [...metadata, ...clusterRanges, ...coderdOnly],
      field: "",
    },
    {
      key: "network.coderdEgress",
      cidrs: cfg.network.coderdEgress.map((r) => r.cidr),
      forbidden: [...metadata, ...clusterRanges],
      field: ".cidr",
    },
    ...cfg.gitProviders.map((p, g) => ({
      key: `gitProviders[${g}].egressCidrs`,
      cidrs: p.egressCidrs,
      forbidden: [...metadata, ...clusterRanges, ...coderdOnly],
      field: "",
    })),
  ];
  const problems: Problem[] = [];
  for (const { key, cidrs, forbidden, field } of sources) {
    cidrs.forEach((cidr, i) => {
      const inside = forbidden.find((f) => cidrContains(f, cidr));
      if (inside) {
        problems.push(
          problem(
            `${key}[${i}]${field}`,
            `${cidr} lies inside ${inside} (cloud metadata, the cluster's pod/service ranges, ` +
              "or the API server/database only coderd may reach), which this rule must never open; remove it",
          ),
        );
      }
    });
  }
  return problems;
}

/** coderd's own destinations are exempt from the cluster-range carve-out, so none may span the pod ranges. */
function coderdDestinationsSpanningPods(cfg: ParsedBlueprintConfig): Problem[] {
  const destinations = [
    ...cfg.network.kubernetesApi.cidrs.map((c, i) => ({ c, key: `network.kubernetesApi.cidrs[${i}]` })),
    ...(cfg.database?.egress ?? []).map((r, i) => ({ c: r.cidr, key: `database.egress[${i}].cidr` })),
  ];
  const problems: Problem[] = [];
  for (const { c, key } of destinations) {
    const pods = (cfg.network.podCidrs ?? []).find((p) => cidrContains(c, p));
    if (pods) {
      problems.push(
        problem(
          key,
          `${c} contains the pod range ${pods}, which would let coderd reach every workspace pod; ` +
            "narrow it to the API server's or database's own subnets",
        ),
      );
    }
  }
  return problems;
}

function monitoringNamespace(cfg: ParsedBlueprintConfig): Problem[] {
  const ns = cfg.network.monitoringNamespace;
  if (!ns || ![cfg.controlPlane.namespace, ...cfg.workspaces.namespaces].includes(ns)) return [];
  return [
    problem(
      "network.monitoringNamespace",
      `"${ns}" is a namespace the blueprint manages; name the namespace your Prometheus runs in`,
    ),
  ];
}

function unusedWorkspaceAllowlist(cfg: ParsedBlueprintConfig): Problem[] {
  const { mode, allow } = cfg.network.workspaceEgress;
  if (mode === "allowlist" || allow.length === 0) return [];
  return [
    problem(
      "network.workspaceEgress.allow",
      `only used when network.workspaceEgress.mode is "allowlist" (it is "${mode}"); ` +
        "remove the list or change the mode",
    ),
  ];
}

export function networkProblems(cfg: ParsedBlueprintConfig): Problem[] {
  return [
    ...overlappingClusterRanges(cfg),
    ...forbiddenDestinations(cfg),
    ...coderdDestinationsSpanningPods(cfg),
    ...monitoringNamespace(cfg),
    ...unusedWorkspaceAllowlist(cfg),
  ];
}
