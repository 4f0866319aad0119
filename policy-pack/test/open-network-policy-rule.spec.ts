import { openNetworkPolicyRule } from "../policies/kubernetes/open-network-policy-rule";
import { NetworkFlowSettings } from "../contract";
import { K8S } from "../lib/types";
import * as assert from "assert";
import { unknown } from "./harness/analyzer";
import { expectSettingsRefused, expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import {
  compliantKubernetesStack,
  compliantNamespace,
  CONTROL_PLANE_NS,
  networkPolicy,
  WORKSPACE_NS,
} from "./fixtures/kubernetes";
import { resource } from "./fixtures/resources";

/** What the fixture stack's configuration opens. */
const FLOWS = {
  coderdIngressCidrs: ["10.0.0.0/16"],
  coderdEgress: [
    { cidr: "10.0.0.0/16", ports: [443, 5432] },
    { cidr: "198.51.100.0/24", ports: [443] },
  ],
  workspaceEgress: [
    { cidr: "0.0.0.0/0", ports: [443] },
    { cidr: "::/0", ports: [443] },
    { cidr: "140.82.112.0/20", ports: [22, 443] },
  ],
} satisfies NetworkFlowSettings;
const SETTINGS = { config: { "open-network-policy-rule": FLOWS } };
const OPEN_MODE = {
  config: {
    "open-network-policy-rule": {
      ...FLOWS,
      workspaceEgress: (["TCP", "UDP"] as const).flatMap((protocol) =>
        ["0.0.0.0/0", "::/0"].map((cidr) => ({ cidr, ports: ["1-21", "23-65535"], protocol })),
      ),
    },
  },
};

const WS = `NetworkPolicy "${WORKSPACE_NS}/extra"`;
const CP = `NetworkPolicy "${CONTROL_PLANE_NS}/extra"`;
const coderd = { matchLabels: { "app.kubernetes.io/name": "coder" } };

const withPolicy = (namespace: string, spec: Record<string, unknown>) => [
  ...compliantKubernetesStack(),
  networkPolicy(namespace, "extra", spec),
];
const egress = (namespace: string, rule: Record<string, unknown>) =>
  withPolicy(namespace, { podSelector: {}, policyTypes: ["Egress"], egress: [rule] });
const ingress = (namespace: string, rule: Record<string, unknown>) =>
  withPolicy(namespace, { podSelector: coderd, policyTypes: ["Ingress"], ingress: [rule] });

describe("open-network-policy-rule", () => {
  it("passes the compliant stack, whose ipBlocks are within the configured flows", async () => {
    await expectStackPass(openNetworkPolicyRule, compliantKubernetesStack(), SETTINGS);
  });

  it("passes the flows real users write: named peers, coderd to its database, the IdP, Git over SSH", async () => {
    await expectStackPass(
      openNetworkPolicyRule,
      [
        ...compliantKubernetesStack(),
        networkPolicy(CONTROL_PLANE_NS, "coderd", {
          podSelector: coderd,
          policyTypes: ["Ingress", "Egress"],
          ingress: [
            { from: [{ ipBlock: { cidr: "10.0.1.0/24" } }], ports: [{ port: 8443 }] },
            {
              from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
            },
          ],
          egress: [
            { to: [{ ipBlock: { cidr: "10.0.3.0/24" } }], ports: [{ port: 5432, protocol: "TCP" }] },
            // The IdP's range split in two is still inside it.
            {
              to: [{ ipBlock: { cidr: "198.51.100.0/25" } }, { ipBlock: { cidr: "198.51.100.128/25" } }],
              ports: [{ port: 443 }],
            },
          ],
        }),
        networkPolicy(WORKSPACE_NS, "git", {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "140.82.112.0/20" } }], ports: [{ port: 22 }, { port: 443 }] }],
        }),
      ],
      SETTINGS,
    );
  });

  it("passes every port but SSH to everywhere when the stack's workspace egress mode is open", async () => {
    await expectStackPass(
      openNetworkPolicyRule,
      egress(WORKSPACE_NS, {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }],
        ports: [
          { port: 1, endPort: 21, protocol: "TCP" },
          { port: 23, endPort: 65535, protocol: "TCP" },
        ],
      }),
      OPEN_MODE,
    );
  });

  describe("rules that admit every peer", () => {
    it("fails an egress rule without `to` and an ingress rule with an empty `from`", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { ports: [{ port: 443 }] }),
        WS,
        /egress rule 0 has no `to`, so it admits every destination and undoes the namespace's default-deny/,
        SETTINGS,
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        ingress(CONTROL_PLANE_NS, { from: [] }),
        CP,
        /ingress rule 0 has no `from`, so it admits every source/,
        SETTINGS,
      );
    });

    it("fails a namespaceSelector {} and one that only excludes namespaces, in any managed namespace", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        ingress(CONTROL_PLANE_NS, { from: [{ namespaceSelector: {} }] }),
        CP,
        new RegExp(
          String.raw`ingress rule 0 admits a namespaceSelector that selects every namespace \(peer 0\); ` +
            String.raw`select the peers by kubernetes\.io/metadata\.name and pod labels\.$`,
        ),
        SETTINGS,
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, {
          to: [
            {
              namespaceSelector: { matchExpressions: [{ key: "team", operator: "NotIn", values: ["x"] }] },
              podSelector: {},
            },
          ],
          ports: [{ port: 8080 }],
        }),
        WS,
        /admits a namespaceSelector that selects every namespace/,
        SETTINGS,
      );
    });

    it("fails podSelector {} between workspaces of a namespace", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        withPolicy(WORKSPACE_NS, {
          podSelector: {},
          policyTypes: ["Ingress"],
          ingress: [{ from: [{ podSelector: {} }] }],
        }),
        WS,
        /podSelector \{\}, which lets every workspace of the namespace reach every other/,
        SETTINGS,
      );
    });

    it("fails every pod of the workspace namespace named through a namespaceSelector", async () => {
      for (const namespaceSelector of [
        { matchLabels: { "kubernetes.io/metadata.name": WORKSPACE_NS } },
        { matchLabels: { "coder-blueprint/role": "workspaces" } },
        { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [WORKSPACE_NS] }] },
      ]) {
        for (const peer of [{ namespaceSelector }, { namespaceSelector, podSelector: {} }]) {
          await expectStackViolation(
            openNetworkPolicyRule,
            withPolicy(WORKSPACE_NS, { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [peer] }] }),
            WS,
            /admits every pod of a namespaceSelector that selects this namespace, which lets every workspace reach/,
            SETTINGS,
          );
        }
      }
    });

    it("passes podSelector {} in the control plane, and every pod of a named namespace from workspaces", async () => {
      // Only between workspaces does a bare podSelector {} let tenants reach each other.
      await expectStackPass(
        openNetworkPolicyRule,
        ingress(CONTROL_PLANE_NS, { from: [{ podSelector: {} }], ports: [{ port: 8443 }] }),
        SETTINGS,
      );
      await expectStackPass(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": CONTROL_PLANE_NS } },
              podSelector: {},
            },
          ],
          ports: [{ port: 8443 }],
        }),
        SETTINGS,
      );
    });

    it("passes chosen pods of the workspace namespace named through a namespaceSelector", async () => {
      const namespaceSelector = { matchLabels: { "kubernetes.io/metadata.name": WORKSPACE_NS } };
      for (const podSelector of [
        { matchLabels: { "app.kubernetes.io/name": "dev-proxy" } },
        { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["dev-proxy"] }] },
      ]) {
        await expectStackPass(
          openNetworkPolicyRule,
          withPolicy(WORKSPACE_NS, {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector, podSelector }] }],
          }),
          SETTINGS,
        );
      }
    });

    it("opens no flows for a managed namespace of another role, though workspaces may reach the range", async () => {
      // The settings open 0.0.0.0/0 on 443 to workspaces only.
      const tools = "coder-tools";
      await expectStackViolation(
        openNetworkPolicyRule,
        [
          ...compliantKubernetesStack(),
          compliantNamespace(tools, "tools"),
          networkPolicy(tools, "extra", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }],
          }),
        ],
        `NetworkPolicy "${tools}/extra"`,
        /egress rule 0 opens ipBlock 0\.0\.0\.0\/0 on TCP 443, beyond the flows/,
        SETTINGS,
      );
    });

    it("judges a peer with an ipBlock by its ranges, as the API server does (it rejects selectors beside one)", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { to: [{ ipBlock: { cidr: "0.0.0.0/0" }, podSelector: {} }], ports: [{ port: 80 }] }),
        WS,
        /egress rule 0 opens ipBlock 0\.0\.0\.0\/0 on TCP 80,/,
        SETTINGS,
      );
    });
  });

  describe("address ranges beyond the configured flows", () => {
    it("fails the internet on every port from a workspace, whole or split into halves", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }] }),
        WS,
        new RegExp(
          String.raw`egress rule 0 opens ipBlock 0\.0\.0\.0/0 on TCP 1-442, TCP 444-65535, UDP 1-65535, SCTP 1-65535, ` +
            String.raw`beyond the flows the stack's configuration opens for workspaces; narrow its ranges and ports, ` +
            String.raw`or open the flow in the stack config \(network\.workspaceEgress\) and this policy's settings\.$`,
        ),
        SETTINGS,
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, {
          to: [{ ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }],
          ports: [{ port: 80 }],
        }),
        WS,
        /opens ipBlock 0\.0\.0\.0\/1 on TCP 80/,
        SETTINGS,
      );
    });

    it("fails every port of a large private range, and SSH beyond the Git hosts", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 1, endPort: 65535 }] }),
        WS,
        /opens ipBlock 10\.0\.0\.0\/8 on TCP 1-442, TCP 444-65535/,
        SETTINGS,
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { to: [{ ipBlock: { cidr: "140.82.0.0/16" } }], ports: [{ port: 22 }] }),
        WS,
        /opens ipBlock 140\.82\.0\.0\/16 on TCP 22/,
        SETTINGS,
      );
    });

    it("fails exactly the ports around an opened one, however the rule's ranges meet the flows'", async () => {
      // 443 is open to everywhere: a range that ends or starts on it leaves only its other ports.
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, {
          to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
          ports: [
            { port: 440, endPort: 443 },
            { port: 443, endPort: 445 },
          ],
        }),
        WS,
        /opens ipBlock 0\.0\.0\.0\/0 on TCP 440-442, TCP 444-445, beyond/,
        SETTINGS,
      );
      // SSH is open to the Git hosts only: around it, and next to it, nothing is.
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { to: [{ ipBlock: { cidr: "140.82.112.0/20" } }], ports: [{ port: 21, endPort: 23 }] }),
        WS,
        /opens ipBlock 140\.82\.112\.0\/20 on TCP 21, TCP 23, beyond/,
        SETTINGS,
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { to: [{ ipBlock: { cidr: "140.82.0.0/16" } }], ports: [{ port: 21 }] }),
        WS,
        /opens ipBlock 140\.82\.0\.0\/16 on TCP 21, beyond/,
        SETTINGS,
      );
    });

    it("fails SSH to everywhere even in open mode", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { to: [{ ipBlock: { cidr: "::/0" } }], ports: [{ port: 1, endPort: 1024 }] }),
        WS,
        /opens ipBlock ::\/0 on TCP 22,/,
        OPEN_MODE,
      );
    });

    it("fails coderd reached from the world and coderd reaching the world", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        ingress(CONTROL_PLANE_NS, { from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 8443 }] }),
        CP,
        /ingress rule 0 admits ipBlock 0\.0\.0\.0\/0, beyond the ranges the stack lets reach coderd \(10\.0\.0\.0\/16\)/,
        SETTINGS,
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(CONTROL_PLANE_NS, { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }),
        CP,
        new RegExp(
          String.raw`opens ipBlock 0\.0\.0\.0/0 on TCP 443, beyond the flows the stack's configuration opens for ` +
            String.raw`coderd; narrow its ranges and ports, or open the flow in the stack config ` +
            String.raw`\(network\.coderdEgress\) and this policy's settings\.$`,
        ),
        SETTINGS,
      );
    });

    it("names every range the stack lets reach coderd, and none for any other namespace", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        ingress(CONTROL_PLANE_NS, { from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 8443 }] }),
        CP,
        /beyond the ranges the stack lets reach coderd \(10\.0\.0\.0\/16, 192\.0\.2\.0\/24\);/,
        { config: { "open-network-policy-rule": { ...FLOWS, coderdIngressCidrs: ["10.0.0.0/16", "192.0.2.0/24"] } } },
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        ingress(WORKSPACE_NS, { from: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ port: 8080 }] }),
        WS,
        new RegExp(
          String.raw`ingress rule 0 admits ipBlock 10\.0\.0\.0/16, beyond the ranges the stack lets reach this ` +
            String.raw`namespace \(none\); narrow it, or add the range to coder-blueprint:network\.coderIngress\.cidrs ` +
            String.raw`and this policy's settings\.$`,
        ),
        SETTINGS,
      );
    });

    it("fails every ipBlock when the pack is given no flows", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        compliantKubernetesStack(),
        `NetworkPolicy "${WORKSPACE_NS}/workspace-egress"`,
        /opens ipBlock 0\.0\.0\.0\/0 on TCP 443/,
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        ingress(CONTROL_PLANE_NS, { from: [{ ipBlock: { cidr: "10.0.1.0/24" } }], ports: [{ port: 8443 }] }),
        CP,
        /ingress rule 0 admits ipBlock 10\.0\.1\.0\/24, beyond the ranges the stack lets reach coderd \(none\);/,
      );
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(CONTROL_PLANE_NS, { to: [{ ipBlock: { cidr: "10.0.3.0/24" } }], ports: [{ port: 5432 }] }),
        CP,
        /egress rule 0 opens ipBlock 10\.0\.3\.0\/24 on TCP 5432, beyond the flows the stack's configuration opens for coderd/,
      );
    });

    // A lone range instead of a list, or a number in it, would otherwise reach the range comparison.
    it("refuses coderdIngressCidrs that are not a list of strings before judging anything", () => {
      for (const cidrs of ["10.0.0.0/16", ["10.0.0.0/16", 16]]) {
        expectSettingsRefused(
          openNetworkPolicyRule,
          { ...FLOWS, coderdIngressCidrs: cidrs },
          /coderdIngressCidrs(\.1)?: Invalid type\. Expected: (array|string)/,
          JSON.stringify(cidrs),
        );
      }
    });
  });

  it("still reports a known open rule when another rule's range is unknown during preview", async () => {
    const o = await expectStackPreviewGap(
      openNetworkPolicyRule,
      withPolicy(WORKSPACE_NS, {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: unknown.string } }], ports: [{ port: 443 }] }, { ports: [{ port: 80 }] }],
      }),
      /cidr can't be known/,
      SETTINGS,
    );
    const known = o.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.detail);
    assert.deepStrictEqual(
      known.map((d) => d.slice(0, d.indexOf(","))),
      [`${WS}: egress rule 1 has no \`to\``],
    );
  });

  describe("patches", () => {
    it("fails a NetworkPolicyPatch that adds an open rule to a policy of the stack", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        [
          ...compliantKubernetesStack(),
          resource(K8S.networkPolicyPatch, "widen", {
            metadata: { name: "workspace-egress", namespace: WORKSPACE_NS },
            spec: { egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] },
          }),
        ],
        `NetworkPolicy "${WORKSPACE_NS}/workspace-egress"`,
        /egress rule 0 opens ipBlock 0\.0\.0\.0\/0 on TCP 1-442/,
        SETTINGS,
      );
    });

    it("fails a patch of a policy outside the stack as the policy it describes", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        [
          ...compliantKubernetesStack(),
          resource(K8S.networkPolicyPatch, "allow-all", {
            metadata: { name: "legacy", namespace: CONTROL_PLANE_NS },
            spec: { podSelector: {}, ingress: [{}] },
          }),
        ],
        `NetworkPolicy "${CONTROL_PLANE_NS}/legacy"`,
        /ingress rule 0 has no `from`/,
        SETTINGS,
      );
    });
  });
});
