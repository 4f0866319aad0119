// The planned network boundaries as a Mermaid diagram: one edge per allow rule and peer of every planned
// NetworkPolicy (who may open connections to whom, on which ports), and the namespaces whose default-deny
// policies drop everything else. Derived from the NetworkPolicy objects alone, never from config, so the
// diagram shows what Kubernetes would enforce.

export type Selector = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
export interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Port {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Port[];
}
export interface NetworkPolicyObject {
  metadata: { name: string; namespace: string };
  spec: { podSelector?: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
}

export interface Edge {
  /** `<namespace>/<policy> ingress[i].from[j]` (or egress/to): the rule and peer this edge draws. */
  source: string;
  from: string;
  to: string;
  /** "TCP/443, UDP/53", or "all ports". */
  ports: string;
}

export interface Diagram {
  nodes: Map<string, string>;
  edges: Edge[];
  /** Namespace -> the directions a default-deny policy closes there. */
  defaultDeny: Map<string, string[]>;
}

const NAME_LABEL = "kubernetes.io/metadata.name";

function selectorText(s: Selector | undefined): string {
  const labels = Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (s?.matchExpressions?.length) labels.push(`${s.matchExpressions.length} expression(s)`);
  return labels.join(", ");
}

/** The node a set of pods is drawn as: its namespace, narrowed by its pod selector when there is one. */
export function podsNode(namespace: string, pods: Selector | undefined): [id: string, label: string] {
  const narrowed = selectorText(pods);
  return [`${namespace}|${narrowed}`, narrowed ? `${namespace}: pods ${narrowed}` : `${namespace}: all pods`];
}

export function peerNode(policyNamespace: string, peer: Peer | undefined): [id: string, label: string] {
  if (!peer) return ["anywhere", "anywhere (any pod or address)"];
  if (peer.ipBlock) {
    const { cidr, except = [] } = peer.ipBlock;
    const unique = [...new Set(except)];
    return [
      `ip|${cidr}|${unique.join(",")}`,
      unique.length ? `${cidr} except ${unique.length} range(s): ${unique.join(" ")}` : cidr,
    ];
  }
  if (peer.namespaceSelector) {
    const labels = peer.namespaceSelector.matchLabels ?? {};
    const only = Object.keys(labels);
    if (only.length === 1 && only[0] === NAME_LABEL && !peer.namespaceSelector.matchExpressions?.length) {
      return podsNode(labels[NAME_LABEL], peer.podSelector);
    }
    const namespaces = selectorText(peer.namespaceSelector) || "every namespace";
    const pods = selectorText(peer.podSelector);
    return [`ns|${namespaces}|${pods}`, `namespaces ${namespaces}: ${pods ? `pods ${pods}` : "all pods"}`];
  }
  return podsNode(policyNamespace, peer.podSelector);
}

export function portsText(ports: Port[] | undefined): string {
  if (!ports?.length) return "all ports";
  return ports
    .map((p) => {
      const proto = p.protocol ?? "TCP";
      if (p.port === undefined) return `${proto}/any`;
      return p.endPort !== undefined ? `${proto}/${p.port}-${p.endPort}` : `${proto}/${p.port}`;
    })
    .join(", ");
}

export function deriveDiagram(policies: readonly NetworkPolicyObject[]): Diagram {
  const nodes = new Map<string, string>();
  const edges: Edge[] = [];
  const defaultDeny = new Map<string, string[]>();
  const node = ([id, label]: [string, string]) => (nodes.set(id, label), id);
  for (const np of policies) {
    const { namespace, name } = np.metadata;
    const selected = node(podsNode(namespace, np.spec.podSelector));
    const types = np.spec.policyTypes ?? ["Ingress"];
    for (const [direction, peersKey] of [
      ["ingress", "from"],
      ["egress", "to"],
    ] as const) {
      const rules = np.spec[direction] ?? [];
      const closed = types.includes(direction === "ingress" ? "Ingress" : "Egress");
      if (closed && rules.length === 0 && selectorText(np.spec.podSelector) === "") {
        defaultDeny.set(namespace, [...(defaultDeny.get(namespace) ?? []), direction]);
      }
      rules.forEach((rule, i) => {
        const peers: Array<Peer | undefined> = rule[peersKey]?.length ? rule[peersKey] : [undefined];
        peers.forEach((peer, j) => {
          const other = node(peerNode(namespace, peer));
          edges.push({
            source: `${namespace}/${name} ${direction}[${i}].${peersKey}[${j}]`,
            from: direction === "ingress" ? other : selected,
            to: direction === "ingress" ? selected : other,
            ports: portsText(rule.ports),
          });
        });
      });
    }
  }
  return { nodes, edges, defaultDeny };
}

const quoted = (s: string) => `"${s.replace(/"/g, "#quot;")}"`;

/** The diagram as Mermaid: each edge preceded by a comment naming the rule it draws. */
export function mermaid(d: Diagram): string {
  const ids = new Map([...d.nodes.keys()].map((k, i) => [k, `n${i + 1}`]));
  const lines = ["flowchart LR"];
  for (const [key, label] of d.nodes) lines.push(`  ${ids.get(key)}[${quoted(label)}]`);
  for (const e of d.edges) {
    lines.push(`  %% ${e.source}`);
    lines.push(`  ${ids.get(e.from)} -->|${quoted(e.ports)}| ${ids.get(e.to)}`);
  }
  return lines.join("\n");
}
