// Settings without which coderd would not start, or workspaces could not reach it.
import { ParsedBlueprintConfig } from "../schema";
import { Problem, problem } from "../problem";

export function coderProblems(cfg: ParsedBlueprintConfig): Problem[] {
  const problems: Problem[] = [];
  if (cfg.oidc?.allowedGroups.length && !cfg.oidc.groupField) {
    problems.push(
      problem(
        "oidc.groupField",
        "required when oidc.allowedGroups is set (Coder refuses to start otherwise); name the ID-token claim " +
          "with the groups, e.g. groups, and add its scope to oidc.scopes",
      ),
    );
  }
  if (cfg.oidc?.allowSignups && cfg.oidc.emailDomains.length === 0 && cfg.oidc.allowedGroups.length === 0) {
    problems.push(
      problem(
        "oidc.allowSignups",
        "would let every account of the identity provider create a Coder user; limit sign-ups with " +
          "oidc.emailDomains or oidc.allowedGroups, or set allowSignups: false",
      ),
    );
  }
  if (!cfg.coder.enabled) return problems;
  const network = cfg.network;
  if (network.kubernetesApi.cidrs.length === 0) {
    problems.push(
      problem(
        "network.kubernetesApi.cidrs",
        "coderd creates workspaces through the API server; list the API server endpoint addresses " +
          "(not the kubernetes Service IP)",
      ),
    );
  }
  if (cfg.oidc && network.coderdEgress.length === 0) {
    problems.push(
      problem(
        "network.coderdEgress",
        `coderd must reach the OIDC issuer (${cfg.oidc.issuerUrl}) at start-up; list its address ranges on port 443`,
      ),
    );
  }
  if (network.coderIngress.cidrs.length === 0 && network.coderIngress.namespaces.length === 0) {
    problems.push(
      problem(
        "network.coderIngress",
        "nobody outside the cluster could reach coderd; list the load balancer subnets (cidrs) " +
          "or the ingress controller's namespace (namespaces)",
      ),
    );
  }
  if (cfg.coder.service.type === "InternalLoadBalancer" && network.accessUrlCidrs.length === 0) {
    problems.push(
      problem(
        "network.accessUrlCidrs",
        "workspace agents dial the access URL, which resolves to the internal load balancer; list its subnets",
      ),
    );
  }
  return problems;
}
