// The plan's network diagram from NetworkPolicy objects alone: the forms of peers, ports and default-deny
// the Kubernetes API accepts, beyond the ones the blueprint happens to plan (test/plan.spec.ts checks those).
import * as assert from "assert";
import { deriveDiagram, mermaid, NetworkPolicyObject, portsText } from "../scripts/plan/network";

const np = (namespace: string, name: string, spec: NetworkPolicyObject["spec"]): NetworkPolicyObject => ({
  metadata: { namespace, name },
  spec,
});

const labelled = (d: ReturnType<typeof deriveDiagram>) =>
  d.edges.map((e) => `${d.nodes.get(e.from)} -> ${d.nodes.get(e.to)} [${e.ports}]`);

describe("plan network diagram", () => {
  it("finds default deny only where a policy selects every pod and allows nothing in a direction", () => {
    const d = deriveDiagram([
      np("a", "deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
      np("b", "deny-ingress", { podSelector: {} }),
      np("c", "deny-some-pods", { podSelector: { matchLabels: { app: "x" } }, policyTypes: ["Ingress", "Egress"] }),
      np("d", "allow-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ port: 53 }] }] }),
    ]);
    assert.deepStrictEqual(
      [...d.defaultDeny],
      [
        ["a", ["ingress", "egress"]],
        ["b", ["ingress"]],
      ],
    );
  });

  it("draws each peer of a rule as its own edge, in the rule's direction", () => {
    const d = deriveDiagram([
      np("coder", "in", {
        podSelector: { matchLabels: { app: "coder" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ws" } } },
              { namespaceSelector: { matchLabels: { team: "ops" } }, podSelector: { matchLabels: { role: "probe" } } },
              { podSelector: {} },
            ],
            ports: [{ port: 8080, protocol: "TCP" }],
          },
        ],
      }),
      np("ws", "out", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32", "169.254.169.254/32"] } }] },
          {},
        ],
      }),
    ]);
    assert.deepStrictEqual(labelled(d), [
      "ws: all pods -> coder: pods app=coder [TCP/8080]",
      "namespaces team=ops: pods role=probe -> coder: pods app=coder [TCP/8080]",
      "coder: all pods -> coder: pods app=coder [TCP/8080]",
      "ws: all pods -> 0.0.0.0/0 except 1 range(s): 169.254.169.254/32 [all ports]",
      "ws: all pods -> anywhere (any pod or address) [all ports]",
    ]);
    assert.deepStrictEqual(
      d.edges.map((e) => e.source),
      [
        "coder/in ingress[0].from[0]",
        "coder/in ingress[0].from[1]",
        "coder/in ingress[0].from[2]",
        "ws/out egress[0].to[0]",
        "ws/out egress[1].to[0]",
      ],
    );
  });

  it("writes ports with their protocol, ranges and named ports", () => {
    assert.strictEqual(
      portsText([
        { port: 53, protocol: "UDP" },
        { port: 30000, endPort: 32767 },
        { port: "https" },
        { protocol: "SCTP" },
      ]),
      "UDP/53, TCP/30000-32767, TCP/https, SCTP/any",
    );
    assert.strictEqual(portsText([]), "all ports");
  });

  it("renders Mermaid with one comment naming the rule before each edge, and escaped labels", () => {
    const text = mermaid(
      deriveDiagram([
        np("a", "p", {
          podSelector: { matchLabels: { name: 'x"y' } },
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 443 }] }],
        }),
      ]),
    );
    assert.strictEqual(
      text,
      [
        "flowchart LR",
        '  n1["a: pods name=x#quot;y"]',
        '  n2["10.0.0.0/8"]',
        "  %% a/p egress[0].to[0]",
        '  n1 -->|"TCP/443"| n2',
      ].join("\n"),
    );
  });
});
