// The NetworkPolicy builders on their own: which ranges each ipBlock carves out, and which ports and peers
// each rule names.
import * as assert from "assert";
import { cidrEgress, DNS_EGRESS, ipBlockPeer, namespacePeer, portsOf } from "../components/network/rules";
import { CLOUD_METADATA_CIDR, CLOUD_METADATA_CIDR_V6 } from "../policy-pack/contract";

const METADATA = [CLOUD_METADATA_CIDR, CLOUD_METADATA_CIDR_V6];
const CLUSTER = ["10.244.0.0/16", "10.96.0.0/12"];

describe("network rules: ipBlock peers", () => {
  it("carves the metadata address and the cluster ranges out of everything", () => {
    assert.deepStrictEqual(ipBlockPeer("0.0.0.0/0", [...METADATA, ...CLUSTER]), {
      ipBlock: { cidr: "0.0.0.0/0", except: [CLOUD_METADATA_CIDR, ...CLUSTER] },
    });
    assert.deepStrictEqual(ipBlockPeer("::/0", [...METADATA, ...CLUSTER]), {
      ipBlock: { cidr: "::/0", except: [CLOUD_METADATA_CIDR_V6] },
    });
  });

  it("carves out only ranges inside the block, as the API server requires", () => {
    assert.deepStrictEqual(ipBlockPeer("10.0.0.0/8", [...METADATA, ...CLUSTER]), {
      ipBlock: { cidr: "10.0.0.0/8", except: CLUSTER },
    });
    assert.deepStrictEqual(ipBlockPeer("140.82.112.0/20", [...METADATA, ...CLUSTER]), {
      ipBlock: { cidr: "140.82.112.0/20" },
    });
  });

  it("leaves out a forbidden range that contains the block or equals it (the config rejects those)", () => {
    assert.deepStrictEqual(ipBlockPeer("10.244.1.0/24", CLUSTER), { ipBlock: { cidr: "10.244.1.0/24" } });
    assert.deepStrictEqual(ipBlockPeer("10.244.0.0/16", CLUSTER), { ipBlock: { cidr: "10.244.0.0/16" } });
  });
});

describe("network rules: egress rules", () => {
  it("gives each destination its own rule with its ports and protocol", () => {
    const rules = cidrEgress(
      [
        { cidr: "0.0.0.0/0", ports: [443] },
        { cidr: "10.0.8.0/24", ports: [5432, 6432] },
        { cidr: "192.0.2.0/24", ports: [53], protocol: "UDP" },
      ],
      METADATA,
    );
    assert.deepStrictEqual(rules, [
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [CLOUD_METADATA_CIDR] } }],
        ports: [{ port: 443, protocol: "TCP" }],
      },
      {
        to: [{ ipBlock: { cidr: "10.0.8.0/24" } }],
        ports: [
          { port: 5432, protocol: "TCP" },
          { port: 6432, protocol: "TCP" },
        ],
      },
      { to: [{ ipBlock: { cidr: "192.0.2.0/24" } }], ports: [{ port: 53, protocol: "UDP" }] },
    ]);
  });

  it("builds TCP ports unless told otherwise", () => {
    assert.deepStrictEqual(portsOf([8080, 8443]), [
      { port: 8080, protocol: "TCP" },
      { port: 8443, protocol: "TCP" },
    ]);
    assert.deepStrictEqual(portsOf([53], "UDP"), [{ port: 53, protocol: "UDP" }]);
  });
});

describe("network rules: peers", () => {
  it("selects a namespace by its immutable name label, and optionally pods in it", () => {
    assert.deepStrictEqual(namespacePeer("coder"), {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "coder" } },
    });
    assert.deepStrictEqual(namespacePeer("coder", { app: "x" }), {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "coder" } },
      podSelector: { matchLabels: { app: "x" } },
    });
  });

  it("allows DNS only to the cluster DNS pods, on port 53 over UDP and TCP", () => {
    assert.deepStrictEqual(DNS_EGRESS, {
      to: [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
          podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        },
      ],
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    });
  });
});
