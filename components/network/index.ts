import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  CLOUD_METADATA_CIDR,
  CLOUD_METADATA_CIDR_V6,
  CODERD_POD_LABELS,
  DEFAULT_DENY_POLICY,
  ALL_PORTS_BUT_SSH,
  EVERYWHERE,
  portIntervals,
} from "../../policy-pack/contract";
import { NamespaceRef } from "../types";
import { cidrEgress, CidrPorts, DNS_EGRESS, EgressRuleSpec, ipBlockPeer, namespacePeer, portsOf } from "./rules";

export interface NetworkBoundariesArgs {
  /** coderd's namespace. */
  readonly controlPlane: NamespaceRef;
  /** The workspace namespaces. */
  readonly workspaces: NamespaceRef[];
  /** Where users and load balancers reach coderd from: address ranges, or an ingress controller's namespace. */
  readonly coderIngress: { readonly cidrs: string[]; readonly namespaces: string[] };
  /** The namespace Prometheus scrapes coderd from, if any. */
  readonly monitoringNamespace?: string;
  /** The API server's endpoint addresses and ports, which coderd calls to create workspaces. */
  readonly kubernetesApi: { readonly cidrs: string[]; readonly ports: number[] };
  /** The database's address ranges and ports. */
  readonly postgres: CidrPorts[];
  /** Other destinations coderd needs: the OIDC issuer, Git providers' APIs. */
  readonly coderdEgress: CidrPorts[];
  /** Git hosts workspaces clone from: SSH and HTTPS only. */
  readonly gitHostCidrs: string[];
  /** What else workspaces may reach: nothing, an allowlist, or everything but SSH. */
  readonly workspaceEgress: { readonly mode: "none" | "allowlist" | "open"; readonly allow: CidrPorts[] };
  /** The access URL's load balancer subnets, which workspace agents dial. */
  readonly accessUrlCidrs: string[];
  /** Pod and service ranges of the cluster; no ipBlock rule may reach them. */
  readonly clusterCidrs: string[];
}

const CODERD_PORTS = [8080, 8443];
const PROMETHEUS_PORT = 2112;

/**
 * Default-deny in every managed namespace, then exactly the flows Coder needs. Workspaces never reach
 * one another, the cloud metadata endpoint, or the cluster's own pod and service ranges through an
 * ipBlock; what they may reach on the internet is the operator's allowlist.
 */
export class NetworkBoundaries extends pulumi.ComponentResource {
  /** Every NetworkPolicy this component creates. */
  readonly policies: k8s.networking.v1.NetworkPolicy[] = [];

  constructor(name: string, args: NetworkBoundariesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:network:NetworkBoundaries", name, {}, opts);
    const forbidden = [CLOUD_METADATA_CIDR, CLOUD_METADATA_CIDR_V6, ...args.clusterCidrs];
    // Only coderd talks to the API server and the database; workspace rules carve them out too.
    const workspaceForbidden = [...forbidden, ...args.kubernetesApi.cidrs, ...args.postgres.map((p) => p.cidr)];
    const policy = (ns: NamespaceRef, part: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) => {
      this.policies.push(
        new k8s.networking.v1.NetworkPolicy(
          `${name}-${ns.name}-${part}`,
          { metadata: { name: part, namespace: ns.ref }, spec },
          { parent: this },
        ),
      );
    };

    for (const ns of [args.controlPlane, ...args.workspaces]) {
      policy(ns, DEFAULT_DENY_POLICY, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      policy(ns, "allow-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [DNS_EGRESS] });
    }

    const coderd = { matchLabels: { ...CODERD_POD_LABELS } };
    const coderdIngressPeers = [
      ...args.coderIngress.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ...args.coderIngress.namespaces.map((ns) => namespacePeer(ns)),
      ...args.workspaces.map((ws) => namespacePeer(ws.name)),
      // Replicas relay DERP traffic to one another over the HTTP port.
      { podSelector: coderd },
    ];
    const coderdIngress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [
      { from: coderdIngressPeers, ports: portsOf(CODERD_PORTS) },
    ];
    if (args.monitoringNamespace) {
      coderdIngress.push({ from: [namespacePeer(args.monitoringNamespace)], ports: portsOf([PROMETHEUS_PORT]) });
    }
    policy(args.controlPlane, "coderd-ingress", {
      podSelector: coderd,
      policyTypes: ["Ingress"],
      ingress: coderdIngress,
    });

    const apiServer = args.kubernetesApi.cidrs.map((cidr) => ({ cidr, ports: args.kubernetesApi.ports }));
    // The API server and Postgres may legitimately sit inside the cluster ranges, so only the metadata
    // endpoint is carved out of coderd's own destinations.
    const coderdEgress: EgressRuleSpec[] = [
      ...cidrEgress([...apiServer, ...args.postgres], [CLOUD_METADATA_CIDR, CLOUD_METADATA_CIDR_V6]),
      ...cidrEgress([...args.coderdEgress, ...args.gitHostCidrs.map((cidr) => ({ cidr, ports: [443] }))], forbidden),
      { to: [{ podSelector: coderd }], ports: portsOf(CODERD_PORTS) },
    ];
    policy(args.controlPlane, "coderd-egress", { podSelector: coderd, policyTypes: ["Egress"], egress: coderdEgress });

    for (const ws of args.workspaces) {
      const egress: EgressRuleSpec[] = [
        // Agents dial coderd; nothing dials a workspace, and workspaces never dial each other.
        { to: [namespacePeer(args.controlPlane.name, CODERD_POD_LABELS)], ports: portsOf(CODERD_PORTS) },
        // An access URL served by an in-cluster ingress controller.
        ...(args.coderIngress.namespaces.length > 0
          ? [{ to: args.coderIngress.namespaces.map((ns) => namespacePeer(ns)), ports: portsOf([443]) }]
          : []),
        ...cidrEgress(
          args.accessUrlCidrs.map((cidr) => ({ cidr, ports: [443] })),
          workspaceForbidden,
        ),
        ...cidrEgress(
          args.gitHostCidrs.map((cidr) => ({ cidr, ports: [22, 443] })),
          workspaceForbidden,
        ),
      ];
      if (args.workspaceEgress.mode === "allowlist") {
        egress.push(...cidrEgress(args.workspaceEgress.allow, workspaceForbidden));
      } else if (args.workspaceEgress.mode === "open") {
        // Everything but SSH, which stays limited to the Git hosts (Coder's SSH keys bypass 2FA).
        const allButSsh = (["TCP", "UDP"] as const).flatMap((protocol) =>
          portIntervals(ALL_PORTS_BUT_SSH).map(([port, endPort]) => ({ protocol, port, endPort })),
        );
        for (const everywhere of EVERYWHERE) {
          egress.push({ to: [ipBlockPeer(everywhere, workspaceForbidden)], ports: allButSsh });
        }
      }
      policy(ws, "workspace-egress", { podSelector: {}, policyTypes: ["Egress"], egress });
    }

    this.registerOutputs({ policies: this.policies });
  }
}
