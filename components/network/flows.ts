// The address-range flows NetworkBoundaries opens, as the policy pack's settings carry them
// (stacks/policy.<stack>.json, "open-network-policy-rule"): a shipped stack's settings must equal what its
// config opens, so the pack blocks any ipBlock rule beyond it.
import { ALL_PORTS_BUT_SSH, EVERYWHERE, Flow, NetworkFlowSettings } from "../../policy-pack/contract";
import { NetworkBoundariesArgs } from ".";

const flowsOf = (rules: ReadonlyArray<{ cidr: string; ports: number[]; protocol?: Flow["protocol"] }>): Flow[] =>
  rules.map((r) => ({ cidr: r.cidr, ports: [...r.ports], ...(r.protocol ? { protocol: r.protocol } : {}) }));

export function allowedFlows(
  args: Pick<
    NetworkBoundariesArgs,
    | "coderIngress"
    | "kubernetesApi"
    | "postgres"
    | "coderdEgress"
    | "gitHostCidrs"
    | "workspaceEgress"
    | "accessUrlCidrs"
  >,
): NetworkFlowSettings {
  const workspaceEgress: Flow[] = [
    ...args.accessUrlCidrs.map((cidr) => ({ cidr, ports: [443] })),
    ...args.gitHostCidrs.map((cidr) => ({ cidr, ports: [22, 443] })),
  ];
  if (args.workspaceEgress.mode === "allowlist") workspaceEgress.push(...flowsOf(args.workspaceEgress.allow));
  else if (args.workspaceEgress.mode === "open") {
    for (const protocol of ["TCP", "UDP"] as const)
      for (const cidr of EVERYWHERE) workspaceEgress.push({ cidr, ports: [...ALL_PORTS_BUT_SSH], protocol });
  }
  return {
    coderdIngressCidrs: [...args.coderIngress.cidrs],
    coderdEgress: [
      ...args.kubernetesApi.cidrs.map((cidr) => ({ cidr, ports: [...args.kubernetesApi.ports] })),
      ...flowsOf(args.postgres),
      ...flowsOf(args.coderdEgress),
      ...args.gitHostCidrs.map((cidr) => ({ cidr, ports: [443] })),
    ],
    workspaceEgress,
  };
}
