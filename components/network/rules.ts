// Builders for NetworkPolicy peers and ports. Kept apart from the component so the ipBlock arithmetic
// (which ranges each "except" list must carve out) can be read and tested on its own.
import * as k8s from "@pulumi/kubernetes";
import { cidrContains, cidrFamily } from "../../policy-pack/contract";

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Port = k8s.types.input.networking.v1.NetworkPolicyPort;
export type EgressRuleSpec = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

export interface CidrPorts {
  /** The destination's address range. */
  readonly cidr: string;
  /** The destination ports. */
  readonly ports: number[];
  /** TCP unless given. */
  readonly protocol?: "TCP" | "UDP" | "SCTP";
}

export function portsOf(ports: number[], protocol: "TCP" | "UDP" | "SCTP" = "TCP"): Port[] {
  return ports.map((port) => ({ port, protocol }));
}

/**
 * An ipBlock peer that never reaches the forbidden ranges. Kubernetes only accepts `except` entries
 * inside the block itself, so each forbidden range is carved out only where it falls within `cidr`.
 */
export function ipBlockPeer(cidr: string, forbidden: string[]): Peer {
  const except = forbidden.filter((f) => cidrFamily(f) === cidrFamily(cidr) && cidrContains(cidr, f) && f !== cidr);
  return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
}

export function cidrEgress(rules: CidrPorts[], forbidden: string[]): EgressRuleSpec[] {
  return rules.map((rule) => ({
    to: [ipBlockPeer(rule.cidr, forbidden)],
    ports: portsOf(rule.ports, rule.protocol),
  }));
}

export function namespacePeer(namespace: string, podLabels?: Record<string, string>): Peer {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
    ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
  };
}

export const DNS_EGRESS: EgressRuleSpec = {
  to: [namespacePeer("kube-system", { "k8s-app": "kube-dns" })],
  ports: [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
  ],
};
