import { openNetworkPolicyRule } from "../policies/kubernetes/open-network-policy-rule";
import { NetworkFlowSettings } from "../contract";
import { K8S } from "../lib/types";
import { expectStackPass, expectStackViolation } from "./expect";
import { compliantKubernetesStack, CONTROL_PLANE_NS, networkPolicy, WORKSPACE_NS } from "./fixtures/kubernetes";
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
        /ingress rule 0 admits a namespaceSelector that selects every namespace \(peer 0\)/,
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
  });

  describe("address ranges beyond the configured flows", () => {
    it("fails the internet on every port from a workspace, whole or split into halves", async () => {
      await expectStackViolation(
        openNetworkPolicyRule,
        egress(WORKSPACE_NS, { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }] }),
        WS,
        /egress rule 0 opens ipBlock 0\.0\.0\.0\/0 on TCP 1-442, TCP 444-65535, UDP 1-65535, SCTP 1-65535, beyond the flows the stack's configuration opens for workspaces/,
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
        /opens ipBlock 0\.0\.0\.0\/0 on TCP 443, beyond the flows the stack's configuration opens for coderd/,
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
    });
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
