// What the wiring added to the AWS components, with figures worked out by hand: the isolated subnets that
// keep the API endpoint and the database apart from the nodes and the load balancer, the fixed node group
// names the upgrade reader looks up, and coderd's placement in the chart values.
import "./harness/mocks";
import * as assert from "assert";
import { coderValues } from "../components/coder";
import { subnetLayout } from "../components/aws/network/layout";
import { NodeGroups } from "../components/aws/nodes";
import { capture } from "./harness/mocks";

describe("isolated subnets in the layout", () => {
  const input = {
    vpcCidr: "10.20.0.0/20",
    azCount: 3,
    privateSubnetPrefix: 22,
    publicSubnetPrefix: 24,
    publicSubnets: true,
  };

  it("follow the private and public subnets", () => {
    // Three /22s take 10.20.0.0–10.20.11.255, three /24s 10.20.12.0–10.20.14.255: the /26s start at 10.20.15.0.
    const layout = subnetLayout({ ...input, isolatedSubnetPrefix: 26 });
    assert.deepStrictEqual(layout.isolated, ["10.20.15.0/26", "10.20.15.64/26", "10.20.15.128/26"]);
    // Without public subnets they follow the private ones directly.
    assert.deepStrictEqual(subnetLayout({ ...input, publicSubnets: false, isolatedSubnetPrefix: 24 }).isolated, [
      "10.20.12.0/24",
      "10.20.13.0/24",
      "10.20.14.0/24",
    ]);
  });

  it("are absent unless asked for, and never larger than the subnets before them", () => {
    assert.ok(!("isolated" in subnetLayout(input)));
    assert.throws(() => subnetLayout({ ...input, isolatedSubnetPrefix: 23 }), /must not be larger/);
    assert.throws(() => subnetLayout({ ...input, isolatedSubnetPrefix: 25 }), /holds 32 \/25 subnets/);
  });
});

describe("node group names", () => {
  it("are fixed, so the next run can read each group's version by name", async () => {
    const resources = await capture(
      () =>
        new NodeGroups("eks-nodes", {
          clusterName: "coder-dev",
          kubernetesVersion: "1.35",
          privateSubnetIds: ["subnet-a", "subnet-b"],
          kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
          cniOnNodeRole: false,
          pools: [
            {
              name: "system",
              role: "system",
              amiType: "AL2023_x86_64_STANDARD",
              instanceTypes: ["m7i.large"],
              capacityType: "ON_DEMAND",
              minSize: 1,
              maxSize: 2,
              desiredSize: 1,
              volumeSizeGiB: 50,
              release: { channel: "track" },
              maxUnavailable: { count: 1 },
            },
          ],
        }),
    );
    const group = resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup")!;
    assert.strictEqual(group.inputs.nodeGroupName, "eks-nodes-system");
  });
});

describe("coderd's placement", () => {
  const base = {
    image: undefined,
    replicas: 1,
    serviceType: "ClusterIP" as const,
    resources: { cpu: "1", memory: "1Gi", ephemeralStorage: "1Gi" },
    serviceAccountName: "coder",
    tlsSecretNames: [],
    databaseSslMode: "verify-full",
    env: {
      accessUrl: "https://coder.example.com",
      database: { auth: "password" as const },
      gitProviders: [],
      strictTransportSecuritySeconds: 0,
      disableOwnerWorkspaceAccess: true,
      prometheus: false,
    },
  };

  it("goes into the chart's nodeSelector and tolerations, and nowhere without one", () => {
    const placement = {
      nodeSelector: { "coder-blueprint/pool": "coderd" },
      tolerations: [{ key: "coder-blueprint/pool", operator: "Equal", value: "coderd", effect: "NoSchedule" }],
    };
    const placed = coderValues({ ...base, placement }).coder as Record<string, unknown>;
    assert.deepStrictEqual(placed.nodeSelector, placement.nodeSelector);
    assert.deepStrictEqual(placed.tolerations, placement.tolerations);
    const anywhere = coderValues(base).coder as Record<string, unknown>;
    assert.ok(!("nodeSelector" in anywhere) && !("tolerations" in anywhere));
  });
});
