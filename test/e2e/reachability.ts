// The reachability table of test/e2e/network-reachability.e2e.ts: the endpoints a stack's NetworkPolicies
// govern (pods stood in for by their labels, addresses from the stack's config), every connection between
// them on the ports that matter, and three verdicts for each one — cyclonus's simulation, what the plan's
// diagram draws, and what docs/responsibility.md promises. Pure functions; the spec runs cyclonus.
import * as ipaddr from "ipaddr.js";
import { BlueprintConfig } from "../../config";
import { cidrCovers, METADATA_ADDRESSES } from "../../policy-pack/contract/cidr";
import { CODERD_POD_LABELS, ROLE_LABEL, ROLE_WORKSPACES } from "../../policy-pack/contract/names";
import { Diagram, NetworkPolicyObject, Peer, peerNode, podsNode, Selector } from "../../scripts/plan/network";

const NAME_LABEL = "kubernetes.io/metadata.name";

export type Role =
  | "coderd"
  | "workspace"
  | "dns"
  | "ingress-controller"
  | "unrelated-pod"
  | "metadata"
  | "api-server"
  | "api-service"
  | "postgres"
  | "internet";

export interface Endpoint {
  name: string;
  role: Role;
  ip: string;
  /** Pods only: namespace, its labels (with the name label the API server sets) and the pod's labels. */
  pod?: { namespace: string; namespaceLabels: Record<string, string>; labels: Record<string, string> };
  /** A pod in a namespace the stack manages (its policies govern it). */
  managed?: boolean;
}

export interface PortProto {
  port: number;
  protocol: "TCP" | "UDP";
}

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: PortProto;
}

/** The `n`th address of a CIDR (0 = the network address). */
export function hostIn(cidr: string, n: number): string {
  const [net] = ipaddr.parseCIDR(cidr);
  const bytes = net.toByteArray();
  let carry = n;
  for (let i = bytes.length - 1; i >= 0 && carry > 0; i--) {
    const sum = bytes[i] + carry;
    bytes[i] = sum % 256;
    carry = Math.floor(sum / 256);
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * The endpoints of a stack: coderd, two workspaces in the first workspace namespace and one in each other,
 * CoreDNS, each ingress controller the config names, a pod of an unmanaged namespace, and the addresses
 * outside the pod network a workspace must not reach (metadata, API server, its Service IP, Postgres) or
 * may (the internet).
 */
export function endpoints(cfg: BlueprintConfig): Endpoint[] {
  const podCidr = cfg.network.podCidrs[0];
  let next = 10;
  const pod = (
    name: string,
    role: Role,
    namespace: string,
    labels: Record<string, string>,
    namespaceLabels: Record<string, string> = {},
  ): Endpoint => ({
    name,
    role,
    ip: hostIn(podCidr, next++),
    pod: { namespace, namespaceLabels: { ...namespaceLabels, [NAME_LABEL]: namespace }, labels },
    managed: namespace === cfg.controlPlane.namespace || cfg.workspaces.namespaces.includes(namespace),
  });
  const workspaceNs = { [ROLE_LABEL]: ROLE_WORKSPACES };
  const workspaceLabels = (n: string) => ({ "app.kubernetes.io/name": "coder-workspace", "com.coder.workspace": n });
  const [first, ...others] = cfg.workspaces.namespaces;
  const out: Endpoint[] = [
    pod("coderd", "coderd", cfg.controlPlane.namespace, { ...CODERD_POD_LABELS }),
    pod(`workspace ${first}/a`, "workspace", first, workspaceLabels("a"), workspaceNs),
    pod(`workspace ${first}/b`, "workspace", first, workspaceLabels("b"), workspaceNs),
    ...others.map((ns) => pod(`workspace ${ns}/c`, "workspace", ns, workspaceLabels("c"), workspaceNs)),
    pod("kube-dns", "dns", "kube-system", { "k8s-app": "kube-dns" }),
    ...cfg.network.coderIngress.namespaces.map((ns) =>
      pod(`ingress controller ${ns}`, "ingress-controller", ns, { "app.kubernetes.io/name": ns }),
    ),
    pod("unrelated pod default/app", "unrelated-pod", "default", { app: "unrelated" }),
    { name: "cloud metadata", role: "metadata", ip: METADATA_ADDRESSES[0] },
    ...cfg.network.kubernetesApi.cidrs.map((c) => ({
      name: `API server ${c}`,
      role: "api-server" as const,
      ip: hostIn(c, 2),
    })),
    { name: "kubernetes Service IP", role: "api-service", ip: hostIn(cfg.network.serviceCidrs[0], 1) },
    ...(cfg.database?.egress ?? []).map((r) => ({
      name: `Postgres ${r.cidr}`,
      role: "postgres" as const,
      ip: hostIn(r.cidr, 3),
    })),
    { name: "internet host", role: "internet", ip: "203.0.113.10" },
  ];
  return out;
}

/** The ports every pair is probed on: the ones the stack's policies and config name, and a few more. */
export function probePorts(policies: readonly NetworkPolicyObject[], cfg: BlueprintConfig): PortProto[] {
  const seen = new Map<string, PortProto>();
  const add = (port: number, protocol: "TCP" | "UDP" = "TCP") => seen.set(`${protocol}/${port}`, { port, protocol });
  [22, 53, 80, 443, 5432, 6443, 8080, 8443].forEach((p) => add(p));
  add(53, "UDP");
  cfg.network.kubernetesApi.ports.forEach((p) => add(p));
  for (const np of policies) {
    for (const rule of [...(np.spec.ingress ?? []), ...(np.spec.egress ?? [])]) {
      for (const p of rule.ports ?? []) {
        if (typeof p.port === "number") add(p.port, (p.protocol ?? "TCP") as "TCP" | "UDP");
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

export function connections(eps: readonly Endpoint[], ports: readonly PortProto[]): Connection[] {
  const out: Connection[] = [];
  for (const from of eps) for (const to of eps) if (from !== to) for (const port of ports) out.push({ from, to, port });
  return out;
}

export const connectionText = (c: Connection) => `${c.from.name} -> ${c.to.name} ${c.port.protocol}/${c.port.port}`;

/** cyclonus's `--traffic-path` JSON (its matcher.Traffic): a peer outside the cluster has no `Internal`. */
export function cyclonusTraffic(conns: readonly Connection[]): unknown[] {
  const peer = (e: Endpoint) => ({
    IP: e.ip,
    Internal: e.pod
      ? { Namespace: e.pod.namespace, NamespaceLabels: e.pod.namespaceLabels, PodLabels: e.pod.labels }
      : null,
  });
  return conns.map((c) => ({
    Source: peer(c.from),
    Destination: peer(c.to),
    ResolvedPort: c.port.port,
    ResolvedPortName: "",
    Protocol: c.port.protocol,
  }));
}

/**
 * The verdicts of `cyclonus analyze --mode query-traffic`, in the order of the traffic file: each traffic's
 * result table ends in an "Is allowed?" footer (upper-cased by its table writer).
 */
export function parseCyclonusVerdicts(stdout: string): boolean[] {
  return [...stdout.matchAll(/^\|\s*IS ALLOWED\?\s*\|\s*(TRUE|FALSE)\s*\|/gim)].map(
    (m) => m[1].toUpperCase() === "TRUE",
  );
}

// ------------------------------------------------------------------------------------- the diagram --

function labelsMatch(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (selector?.matchExpressions?.length) throw new Error("matchExpressions: not modelled by this check");
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

type NodeMatcher = (e: Endpoint) => boolean;

function podsMatcher(namespace: string, selector: Selector | undefined): NodeMatcher {
  return (e) => e.pod?.namespace === namespace && labelsMatch(selector, e.pod.labels);
}

function peerMatcher(policyNamespace: string, peer: Peer | undefined): NodeMatcher {
  if (!peer) return () => true;
  const block = peer.ipBlock;
  if (block) return (e) => cidrCovers(block.cidr, e.ip) && !(block.except ?? []).some((x) => cidrCovers(x, e.ip));
  if (peer.namespaceSelector) {
    const ns = peer.namespaceSelector;
    return (e) => !!e.pod && labelsMatch(ns, e.pod.namespaceLabels) && labelsMatch(peer.podSelector, e.pod.labels);
  }
  return podsMatcher(policyNamespace, peer.podSelector);
}

const selectorKey = (s: Selector | undefined) =>
  JSON.stringify([Object.entries(s?.matchLabels ?? {}).sort(), s?.matchExpressions ?? []]);

/** What a peer means, whatever its spelling: a namespace named by its name label is that namespace. */
function peerKey(policyNamespace: string, peer: Peer | undefined): string {
  if (!peer) return "anywhere";
  if (peer.ipBlock) return JSON.stringify(["ip", peer.ipBlock.cidr, [...(peer.ipBlock.except ?? [])].sort()]);
  const ns = peer.namespaceSelector;
  const named = Object.keys(ns?.matchLabels ?? {});
  if (ns && !(named.length === 1 && named[0] === NAME_LABEL && !ns.matchExpressions?.length)) {
    return JSON.stringify(["namespaces", selectorKey(ns), selectorKey(peer.podSelector)]);
  }
  return JSON.stringify(["pods", ns?.matchLabels?.[NAME_LABEL] ?? policyNamespace, selectorKey(peer.podSelector)]);
}

/**
 * What each diagram node stands for, keyed by the node ids the diagram uses: the derivation's own id
 * functions are replayed over the policies, and an id standing for two different sets of peers is refused.
 */
export function nodeMatchers(policies: readonly NetworkPolicyObject[]): Map<string, NodeMatcher> {
  const out = new Map<string, NodeMatcher>();
  const meaning = new Map<string, string>();
  const put = (ns: string, [id]: [string, string], peer: Peer | undefined) => {
    const key = peerKey(ns, peer);
    if (meaning.has(id) && meaning.get(id) !== key) throw new Error(`diagram node ${id} stands for two peers`);
    meaning.set(id, key);
    out.set(id, peerMatcher(ns, peer));
  };
  for (const np of policies) {
    const ns = np.metadata.namespace;
    put(ns, podsNode(ns, np.spec.podSelector), { podSelector: np.spec.podSelector ?? {} });
    for (const rule of np.spec.ingress ?? []) for (const p of rule.from ?? []) put(ns, peerNode(ns, p), p);
    for (const rule of np.spec.egress ?? []) for (const p of rule.to ?? []) put(ns, peerNode(ns, p), p);
  }
  put("", peerNode("", undefined), undefined);
  return out;
}

/** An edge's port label ("TCP/443, UDP/53", "TCP/any", "TCP/1000-2000", "all ports") as a predicate. */
export function portsMatcher(text: string): (p: PortProto) => boolean {
  if (text === "all ports") return () => true;
  const parts = text.split(", ").map((t) => {
    const m = /^(TCP|UDP|SCTP)\/(any|(\d+)(?:-(\d+))?)$/.exec(t);
    if (!m) throw new Error(`unreadable port label "${t}" (named ports are not modelled by this check)`);
    const [, proto, , lo, hi] = m;
    return (p: PortProto) =>
      p.protocol === proto && (lo === undefined || (p.port >= Number(lo) && p.port <= Number(hi ?? lo)));
  });
  return (p) => parts.some((f) => f(p));
}

/**
 * Whether the diagram lets a connection through: in each direction, a pod that a default-deny or an edge's
 * selected side covers is isolated, and then needs an edge of that direction from (or to) the other side
 * on the port. Addresses outside the cluster are never isolated (policies select pods).
 */
export function diagramAllows(d: Diagram, policies: readonly NetworkPolicyObject[]): (c: Connection) => boolean {
  const nodes = nodeMatchers(policies);
  const match = (id: string): NodeMatcher => {
    const m = nodes.get(id);
    if (!m) throw new Error(`diagram node ${id} is drawn by no planned policy`);
    return m;
  };
  const edges = d.edges.map((e) => {
    const direction = /\s(ingress|egress)\[/.exec(e.source)?.[1];
    if (!direction) throw new Error(`edge ${e.source}: no direction`);
    const [selected, other] = direction === "ingress" ? [e.to, e.from] : [e.from, e.to];
    return { direction, selected: match(selected), other: match(other), ports: portsMatcher(e.ports) };
  });
  const allowed = (direction: string, target: Endpoint, peer: Endpoint, port: PortProto) => {
    if (!target.pod) return true;
    const mine = edges.filter((e) => e.direction === direction && e.selected(target));
    const isolated = (d.defaultDeny.get(target.pod.namespace) ?? []).includes(direction) || mine.length > 0;
    return !isolated || mine.some((e) => e.other(peer) && e.ports(port));
  };
  return (c) => allowed("egress", c.from, c.to, c.port) && allowed("ingress", c.to, c.from, c.port);
}

// ----------------------------------------------------------------------------------- the promises --

export interface Promised {
  /** The responsibility row (docs/responsibility.md) and what it promises. */
  says: string;
  applies: (c: Connection) => boolean;
  /** The promised verdict, for a connection it applies to. */
  allowed: boolean | ((c: Connection) => boolean);
}

const tcp = (p: PortProto) => p.protocol === "TCP";
const web = (p: PortProto) => tcp(p) && (p.port === 8080 || p.port === 8443);
const https = (p: PortProto) => tcp(p) && p.port === 443;
/** Whether a config egress rule (`{cidr, ports, protocol}`) covers a connection's destination and port. */
const covers = (r: { cidr: string; ports: number[]; protocol?: string }, c: Connection) =>
  cidrCovers(r.cidr, c.to.ip) && r.ports.includes(c.port.port) && (r.protocol ?? "TCP") === c.port.protocol;
const dns = (p: PortProto) => p.port === 53;

/**
 * What docs/responsibility.md promises about traffic (`network-boundaries`, `external-interactions`,
 * `control-plane-access`, `node-cloud-access`, `storage-cloud-access`), for the stack's config: workspaces
 * reach coderd, DNS, the ingress controllers on 443 (the access URL) and the egress allowlist, nothing
 * else — never metadata, the API server, Postgres, another workspace or another workspace namespace;
 * coderd is reached only from the ingress controllers and workspaces, and reaches the API server and
 * Postgres.
 */
export function promises(cfg: BlueprintConfig): Promised[] {
  const allow = cfg.network.workspaceEgress.mode === "allowlist" ? cfg.network.workspaceEgress.allow : [];
  const fromWs = (c: Connection) => c.from.role === "workspace";
  return [
    {
      says: "network-boundaries: workspaces reach coderd on 8080/8443",
      applies: (c) => fromWs(c) && c.to.role === "coderd" && web(c.port),
      allowed: true,
    },
    {
      says: "network-boundaries: workspaces reach DNS",
      applies: (c) => fromWs(c) && c.to.role === "dns" && dns(c.port),
      allowed: true,
    },
    {
      says: "network-boundaries: nothing else of coderd or DNS is open to workspaces",
      applies: (c) => fromWs(c) && ((c.to.role === "coderd" && !web(c.port)) || (c.to.role === "dns" && !dns(c.port))),
      allowed: false,
    },
    {
      says: "external-interactions: workspaces reach the ingress controllers on 443 (the access URL), nothing else",
      applies: (c) => fromWs(c) && c.to.role === "ingress-controller",
      allowed: (c) => https(c.port),
    },
    {
      says: "node-cloud-access: no workspace egress to the metadata address",
      applies: (c) => fromWs(c) && c.to.role === "metadata",
      allowed: false,
    },
    {
      says: "control-plane-access: of the stack's pods only coderd may reach the API server",
      applies: (c) => !!c.from.managed && c.from.role !== "coderd" && /^api-/.test(c.to.role),
      allowed: false,
    },
    {
      says: "network-boundaries: of the stack's pods only coderd may reach Postgres",
      applies: (c) => !!c.from.managed && c.from.role !== "coderd" && c.to.role === "postgres",
      allowed: false,
    },
    {
      says: "network-boundaries: no workspace reaches another workspace, in its namespace or another",
      applies: (c) => fromWs(c) && c.to.role === "workspace",
      allowed: false,
    },
    {
      says: "network-boundaries: workspaces reach no other pod",
      applies: (c) => fromWs(c) && c.to.role === "unrelated-pod",
      allowed: false,
    },
    {
      says: "external-interactions: workspaces reach the internet as the egress allowlist says, nothing else",
      applies: (c) => fromWs(c) && c.to.role === "internet",
      allowed: (c) => allow.some((r) => covers(r, c)),
    },
    {
      says: "network-boundaries: coderd reaches the API server on its ports",
      applies: (c) =>
        c.from.role === "coderd" && c.to.role === "api-server" && cfg.network.kubernetesApi.ports.includes(c.port.port),
      allowed: true,
    },
    {
      says: "network-boundaries: coderd reaches Postgres",
      applies: (c) => c.from.role === "coderd" && (cfg.database?.egress ?? []).some((r) => covers(r, c)),
      allowed: true,
    },
    {
      says: "node-cloud-access: coderd does not reach the metadata address",
      applies: (c) => c.from.role === "coderd" && c.to.role === "metadata",
      allowed: false,
    },
    {
      says: "external-interactions: coderd is reached only from the ingress controllers and workspaces",
      applies: (c) => c.to.role === "coderd" && !["ingress-controller", "workspace", "coderd"].includes(c.from.role),
      allowed: false,
    },
    {
      says: "external-interactions: the ingress controllers reach coderd on 8080/8443",
      applies: (c) => c.from.role === "ingress-controller" && c.to.role === "coderd" && web(c.port),
      allowed: true,
    },
  ];
}

export const promisedVerdict = (p: Promised, c: Connection): boolean =>
  typeof p.allowed === "function" ? p.allowed(c) : p.allowed;
