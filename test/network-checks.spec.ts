// The pure parts of the e2e suite's independent checks (test/e2e/reachability.ts, test/e2e/kube-score.ts):
// reading cyclonus's and kube-score's output, the docs' table of accepted findings, and the diagram's edges
// as predicates. The tools themselves run in the e2e suite.
import * as assert from "assert";
import { acceptedFindings, criticalFindings, explains, Finding } from "./e2e/kube-score";
import { diagramAllows, Endpoint, hostIn, parseCyclonusVerdicts, portsMatcher } from "./e2e/reachability";
import { deriveDiagram, NetworkPolicyObject } from "../scripts/plan/network";

// Two answers of `cyclonus analyze --mode query-traffic` 0.5.6, as printed (traffic tables shortened).
const CYCLONUS_OUTPUT = `query traffic:
Traffic:
| 53 () on UDP  | source      | 10.0.0.1 | a         | kubernetes.io/metadata.name: a | x: y       |

Is traffic allowed?
+-------------+--------+--------------+
|    TYPE     | ACTION |    TARGET    |
+-------------+--------+--------------+
| Egress      | Allow  | namespace: a |
|             |        | all pods     |
+-------------+--------+--------------+
| IS ALLOWED? |  TRUE  |               
+-------------+--------+--------------+

Traffic:
| 443 () on TCP | source      | 10.0.0.1 | a         | kubernetes.io/metadata.name: a | x: y       |

Is traffic allowed?
| Egress      | Deny   | namespace: a |
| IS ALLOWED? | FALSE  |               
+-------------+--------+--------------+
`;

const pod = (namespace: string, labels: Record<string, string>, ip: string): Endpoint => ({
  name: `${namespace}/${JSON.stringify(labels)}`,
  role: "unrelated-pod",
  ip,
  pod: { namespace, namespaceLabels: { "kubernetes.io/metadata.name": namespace }, labels },
});

describe("independent network checks: reading the tools and the diagram", () => {
  it("reads cyclonus's verdicts in order", () => {
    assert.deepStrictEqual(parseCyclonusVerdicts(CYCLONUS_OUTPUT), [true, false]);
    assert.deepStrictEqual(parseCyclonusVerdicts("query traffic:\n"), []);
  });

  it("counts addresses into a range, across octets", () => {
    assert.strictEqual(hostIn("10.244.0.0/16", 10), "10.244.0.10");
    assert.strictEqual(hostIn("10.96.0.0/12", 257), "10.96.1.1");
    assert.strictEqual(hostIn("fd00::/64", 1), "fd00::1");
  });

  it("reads the diagram's port labels", () => {
    const tcp443 = { port: 443, protocol: "TCP" } as const;
    assert.ok(portsMatcher("all ports")(tcp443));
    assert.ok(portsMatcher("UDP/53, TCP/443")(tcp443));
    assert.ok(!portsMatcher("UDP/53, TCP/53")(tcp443));
    assert.ok(portsMatcher("TCP/400-500")(tcp443));
    assert.ok(!portsMatcher("UDP/any")(tcp443));
    assert.throws(() => portsMatcher("TCP/https"), /named ports/);
  });

  it("lets through what the diagram's edges allow and stops the rest", () => {
    const policies: NetworkPolicyObject[] = [
      { metadata: { namespace: "ws", name: "deny" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
      {
        metadata: { namespace: "ws", name: "dns" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "dns" } } }] }],
        },
      },
      {
        metadata: { namespace: "ws", name: "web" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443 }] }],
        },
      },
    ];
    const allows = diagramAllows(deriveDiagram(policies), policies);
    const ws = pod("ws", { app: "w" }, "10.0.0.1");
    const dns = pod("dns", { app: "d" }, "10.0.0.2");
    const internet: Endpoint = { name: "internet", role: "internet", ip: "203.0.113.1" };
    const udp53 = { port: 53, protocol: "UDP" } as const;
    const tcp443 = { port: 443, protocol: "TCP" } as const;
    assert.ok(allows({ from: ws, to: dns, port: udp53 }));
    assert.ok(allows({ from: ws, to: internet, port: tcp443 }));
    assert.ok(!allows({ from: ws, to: internet, port: udp53 }));
    assert.ok(!allows({ from: ws, to: pod("ws", { app: "x" }, "10.0.0.3"), port: tcp443 }), "carved-out range");
    assert.ok(!allows({ from: dns, to: ws, port: tcp443 }), "ingress default-deny");
    assert.ok(allows({ from: dns, to: internet, port: udp53 }), "an unmanaged namespace is open");
  });

  it("reads kube-score's critical findings and matches them to the docs' rows", () => {
    const json = [
      {
        type_meta: { kind: "NetworkPolicy" },
        object_meta: { namespace: "coder-ws-a", name: "allow-dns" },
        checks: [
          { check: { id: "networkpolicy-targets-pod" }, grade: 1, skipped: false, comments: [{ summary: "no pods" }] },
          { check: { id: "networkpolicy-has-ingress" }, grade: 5, skipped: false },
          { check: { id: "pod-probes" }, grade: 1, skipped: true },
        ],
      },
    ];
    const found = criticalFindings("dev", json);
    assert.deepStrictEqual(
      found.map((f: Finding) => `${f.stack} ${f.object} ${f.check}`),
      ["dev NetworkPolicy coder-ws-a/allow-dns networkpolicy-targets-pod"],
    );
    const rows = acceptedFindings(
      [
        "# kube-score",
        "## Accepted critical findings",
        "| stacks | object | check | why |",
        "| --- | --- | --- | --- |",
        "| all | `NetworkPolicy */allow-dns` | `networkpolicy-targets-pod` | pods come later |",
        "| prod | `NetworkPolicy coder-ws-a/allow-dns` | `networkpolicy-targets-pod` | only prod |",
        "## Another section",
        "| not | a | row | here |",
      ].join("\n"),
    );
    assert.deepStrictEqual(
      rows.map((r) => explains(r, found[0])),
      [true, false],
    );
    assert.throws(
      () => acceptedFindings("## Accepted critical findings\n|a|b|\n|-|-|\n| x | y | z | |\n"),
      /unreadable/,
    );
    assert.throws(() => acceptedFindings("# nothing"), /no "## Accepted critical findings"/);
  });
});
