// The address-range flows the network component opens, as the policy pack's settings carry them: coderd's
// ingress ranges, coderd's egress, and workspace egress in each of its three modes.
import * as assert from "assert";
import { allowedFlows } from "../components/network/flows";

type FlowArgs = Parameters<typeof allowedFlows>[0];

const ARGS: FlowArgs = {
  coderIngress: { cidrs: ["10.0.0.0/24", "10.0.1.0/24"], namespaces: ["ingress-nginx"] },
  kubernetesApi: { cidrs: ["10.100.0.10/32", "10.100.0.11/32"], ports: [443, 6443] },
  postgres: [{ cidr: "10.20.0.0/24", ports: [5432] }],
  coderdEgress: [
    { cidr: "198.51.100.0/24", ports: [443] },
    { cidr: "198.51.100.53/32", ports: [53, 853], protocol: "UDP" },
  ],
  gitHostCidrs: ["140.82.112.0/20"],
  workspaceEgress: { mode: "none", allow: [{ cidr: "203.0.113.0/24", ports: [443] }] },
  accessUrlCidrs: ["10.0.2.0/24"],
};

const WORKSPACE_BASE = [
  { cidr: "10.0.2.0/24", ports: [443] },
  { cidr: "140.82.112.0/20", ports: [22, 443] },
];

describe("components/network/flows: allowedFlows", () => {
  it("opens coderd to its ingress ranges and to the API server, database, named services and Git hosts", () => {
    const flows = allowedFlows(ARGS);
    assert.deepStrictEqual(flows.coderdIngressCidrs, ["10.0.0.0/24", "10.0.1.0/24"]);
    assert.deepStrictEqual(flows.coderdEgress, [
      { cidr: "10.100.0.10/32", ports: [443, 6443] },
      { cidr: "10.100.0.11/32", ports: [443, 6443] },
      { cidr: "10.20.0.0/24", ports: [5432] },
      { cidr: "198.51.100.0/24", ports: [443] },
      { cidr: "198.51.100.53/32", ports: [53, 853], protocol: "UDP" },
      { cidr: "140.82.112.0/20", ports: [443] },
    ]);
  });

  it("lets workspaces reach only the access URL and the Git hosts when egress is closed, whatever the allowlist", () => {
    assert.deepStrictEqual(allowedFlows(ARGS).workspaceEgress, WORKSPACE_BASE);
  });

  it("adds the allowlist, protocol included, when egress is an allowlist", () => {
    const flows = allowedFlows({
      ...ARGS,
      workspaceEgress: {
        mode: "allowlist",
        allow: [
          { cidr: "203.0.113.0/24", ports: [443, 8443] },
          { cidr: "203.0.113.53/32", ports: [53], protocol: "UDP" },
        ],
      },
    });
    assert.deepStrictEqual(flows.workspaceEgress, [
      ...WORKSPACE_BASE,
      { cidr: "203.0.113.0/24", ports: [443, 8443] },
      { cidr: "203.0.113.53/32", ports: [53], protocol: "UDP" },
    ]);
  });

  it("opens every port but SSH everywhere, over TCP and UDP, when egress is open, and not the allowlist", () => {
    const flows = allowedFlows({ ...ARGS, workspaceEgress: { ...ARGS.workspaceEgress, mode: "open" } });
    const open = ["1-21", "23-65535"];
    assert.deepStrictEqual(flows.workspaceEgress, [
      ...WORKSPACE_BASE,
      { cidr: "0.0.0.0/0", ports: open, protocol: "TCP" },
      { cidr: "::/0", ports: open, protocol: "TCP" },
      { cidr: "0.0.0.0/0", ports: open, protocol: "UDP" },
      { cidr: "::/0", ports: open, protocol: "UDP" },
    ]);
  });

  it("hands back copies, so changing the settings leaves the arguments alone", () => {
    const flows = allowedFlows(ARGS);
    flows.coderdIngressCidrs.push("0.0.0.0/0");
    flows.coderdEgress[0].ports.push(22);
    flows.coderdEgress[2].ports.push(22);
    assert.deepStrictEqual(ARGS.coderIngress.cidrs, ["10.0.0.0/24", "10.0.1.0/24"]);
    assert.deepStrictEqual(ARGS.kubernetesApi.ports, [443, 6443]);
    assert.deepStrictEqual(ARGS.postgres[0].ports, [5432]);
  });
});
