// The NetworkBoundaries component under the engine's mocks: every NetworkPolicy it writes, rule by rule,
// for an allowlist, an open and a closed workspace egress.
import "./harness/mocks";
import * as assert from "assert";
import { NetworkBoundaries, NetworkBoundariesArgs } from "../components/network";
import { publishedBy } from "./harness/component-outputs";
import { capture } from "./harness/mocks";

const ARGS: NetworkBoundariesArgs = {
  controlPlane: { name: "coder", ref: "coder" },
  workspaces: [
    { name: "ws-a", ref: "ws-a" },
    { name: "ws-b", ref: "ws-b" },
  ],
  coderIngress: { cidrs: ["203.0.113.0/24"], namespaces: ["ingress-nginx"] },
  monitoringNamespace: "monitoring",
  kubernetesApi: { cidrs: ["10.0.0.10/32"], ports: [443] },
  postgres: [{ cidr: "10.0.32.0/24", ports: [5432] }],
  coderdEgress: [{ cidr: "198.51.100.0/24", ports: [443] }],
  gitHostCidrs: ["192.0.2.0/24"],
  workspaceEgress: { mode: "allowlist", allow: [{ cidr: "0.0.0.0/0", ports: [8080], protocol: "UDP" }] },
  accessUrlCidrs: ["10.0.64.0/24"],
  clusterCidrs: ["100.64.0.0/16", "172.20.0.0/16"],
};

const byName = (namespace: string) => ({ matchLabels: { "kubernetes.io/metadata.name": namespace } });
const CODERD = { matchLabels: { "app.kubernetes.io/name": "coder" } };
const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: "TCP" }));
const METADATA_AND_CLUSTER = ["169.254.169.254/32", "100.64.0.0/16", "172.20.0.0/16"];

/** Each NetworkPolicy as `namespace/name` → spec, with the resource name checked against its metadata. */
async function policies(args: NetworkBoundariesArgs): Promise<Map<string, any>> {
  const resources = await capture(() => new NetworkBoundaries("net", args).policies.map((p) => p.urn));
  const found = new Map<string, any>();
  for (const r of resources.filter((x) => x.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")) {
    const { name, namespace } = r.inputs.metadata;
    assert.strictEqual(r.name, `net-${namespace}-${name}`);
    found.set(`${namespace}/${name}`, r.inputs.spec);
  }
  return found;
}

describe("components/network: NetworkBoundaries", () => {
  it("denies everything by default and allows DNS to the cluster DNS pods in every managed namespace", async () => {
    const found = await policies(ARGS);
    for (const ns of ["coder", "ws-a", "ws-b"]) {
      assert.deepStrictEqual(found.get(`${ns}/default-deny-all`), {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
      });
      assert.deepStrictEqual(found.get(`${ns}/allow-dns`), {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: byName("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { port: 53, protocol: "UDP" },
              { port: 53, protocol: "TCP" },
            ],
          },
        ],
      });
    }
    assert.deepStrictEqual(await publishedBy("coder-blueprint:network:NetworkBoundaries"), ["policies"]);
    assert.deepStrictEqual([...found.keys()].sort(), [
      "coder/allow-dns",
      "coder/coderd-egress",
      "coder/coderd-ingress",
      "coder/default-deny-all",
      "ws-a/allow-dns",
      "ws-a/default-deny-all",
      "ws-a/workspace-egress",
      "ws-b/allow-dns",
      "ws-b/default-deny-all",
      "ws-b/workspace-egress",
    ]);
  });

  it("lets users, the ingress controller, workspace agents and other replicas reach coderd, and Prometheus its metrics", async () => {
    assert.deepStrictEqual((await policies(ARGS)).get("coder/coderd-ingress"), {
      podSelector: CODERD,
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            { ipBlock: { cidr: "203.0.113.0/24" } },
            { namespaceSelector: byName("ingress-nginx") },
            { namespaceSelector: byName("ws-a") },
            { namespaceSelector: byName("ws-b") },
            { podSelector: CODERD },
          ],
          ports: tcp(8080, 8443),
        },
        { from: [{ namespaceSelector: byName("monitoring") }], ports: tcp(2112) },
      ],
    });
  });

  it("lets coderd reach the API server, the database, its listed destinations, the Git hosts' APIs and its replicas", async () => {
    assert.deepStrictEqual((await policies(ARGS)).get("coder/coderd-egress"), {
      podSelector: CODERD,
      policyTypes: ["Egress"],
      egress: [
        { to: [{ ipBlock: { cidr: "10.0.0.10/32" } }], ports: tcp(443) },
        { to: [{ ipBlock: { cidr: "10.0.32.0/24" } }], ports: tcp(5432) },
        { to: [{ ipBlock: { cidr: "198.51.100.0/24" } }], ports: tcp(443) },
        { to: [{ ipBlock: { cidr: "192.0.2.0/24" } }], ports: tcp(443) },
        { to: [{ podSelector: CODERD }], ports: tcp(8080, 8443) },
      ],
    });
  });

  it("carves the metadata address out of coderd's destinations and the cluster ranges out of the ones beyond", async () => {
    const egress = (await policies({
      ...ARGS,
      kubernetesApi: { cidrs: ["0.0.0.0/0"], ports: [443] },
      coderdEgress: [
        { cidr: "0.0.0.0/0", ports: [443] },
        { cidr: "::/0", ports: [443] },
      ],
    }).then((p) => p.get("coder/coderd-egress").egress)) as any[];
    assert.deepStrictEqual(egress[0].to, [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }]);
    assert.deepStrictEqual(egress[2].to, [{ ipBlock: { cidr: "0.0.0.0/0", except: METADATA_AND_CLUSTER } }]);
    assert.deepStrictEqual(egress[3].to, [{ ipBlock: { cidr: "::/0", except: ["fd00:ec2::254/128"] } }]);
  });

  it("lets each workspace reach coderd, the access URL, the Git hosts over SSH and HTTPS, and the allowlist", async () => {
    const found = await policies(ARGS);
    for (const ns of ["ws-a", "ws-b"]) {
      assert.deepStrictEqual(found.get(`${ns}/workspace-egress`), {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          { to: [{ namespaceSelector: byName("coder"), podSelector: CODERD }], ports: tcp(8080, 8443) },
          { to: [{ namespaceSelector: byName("ingress-nginx") }], ports: tcp(443) },
          { to: [{ ipBlock: { cidr: "10.0.64.0/24" } }], ports: tcp(443) },
          { to: [{ ipBlock: { cidr: "192.0.2.0/24" } }], ports: tcp(22, 443) },
          {
            to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...METADATA_AND_CLUSTER, "10.0.0.10/32", "10.0.32.0/24"] } }],
            ports: [{ port: 8080, protocol: "UDP" }],
          },
        ],
      });
    }
  });

  it("in open mode allows every port but SSH everywhere, minus metadata, cluster, API server and database", async () => {
    const egress = (await policies({ ...ARGS, workspaceEgress: { mode: "open", allow: [] } })).get(
      "ws-a/workspace-egress",
    ).egress;
    const allButSsh = ["TCP", "UDP"].flatMap((protocol) => [
      { protocol, port: 1, endPort: 21 },
      { protocol, port: 23, endPort: 65535 },
    ]);
    assert.deepStrictEqual(egress.slice(4), [
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...METADATA_AND_CLUSTER, "10.0.0.10/32", "10.0.32.0/24"] } }],
        ports: allButSsh,
      },
      { to: [{ ipBlock: { cidr: "::/0", except: ["fd00:ec2::254/128"] } }], ports: allButSsh },
    ]);
  });

  it("in none mode, without an ingress controller or monitoring, allows only coderd, the access URL and Git", async () => {
    const found = await policies({
      ...ARGS,
      coderIngress: { cidrs: [], namespaces: [] },
      monitoringNamespace: undefined,
      workspaceEgress: { mode: "none", allow: [{ cidr: "0.0.0.0/0", ports: [443] }] },
    });
    assert.deepStrictEqual(found.get("ws-b/workspace-egress").egress, [
      { to: [{ namespaceSelector: byName("coder"), podSelector: CODERD }], ports: tcp(8080, 8443) },
      { to: [{ ipBlock: { cidr: "10.0.64.0/24" } }], ports: tcp(443) },
      { to: [{ ipBlock: { cidr: "192.0.2.0/24" } }], ports: tcp(22, 443) },
    ]);
    assert.deepStrictEqual(found.get("coder/coderd-ingress").ingress, [
      {
        from: [{ namespaceSelector: byName("ws-a") }, { namespaceSelector: byName("ws-b") }, { podSelector: CODERD }],
        ports: tcp(8080, 8443),
      },
    ]);
  });
});
