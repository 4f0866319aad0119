// What an eks stack's Kubernetes-layer settings become once config/aws.ts derives them from the VPC: the
// exact ranges, ports and descriptions coderd's policies are built from, and the approved ECR prefixes.
import * as assert from "assert";
import { parseConfig } from "../config";
import { awsSubnetLayout, withAwsDerivedSettings } from "../config/aws";
import { rawStackConfig, withTestSecrets } from "./harness/stacks";

const ECR = "111122223333.dkr.ecr.eu-west-1.amazonaws.com";
const PRIVATE = ["10.20.0.0/22", "10.20.4.0/22", "10.20.8.0/22"];
const ISOLATED = ["10.20.15.0/26", "10.20.15.64/26", "10.20.15.128/26"];

/** The dev stack as the program reads it, after one change to its raw config. */
function devConfig(mutate: (raw: any) => void = () => {}) {
  const { raw, secretKeys } = withTestSecrets(structuredClone(rawStackConfig("dev")));
  mutate(raw);
  return parseConfig(raw, "dev", secretKeys);
}

describe("settings derived from the AWS layer", () => {
  it("lay out public subnets only when the VPC has NAT gateways", () => {
    const cfg = devConfig();
    assert.deepStrictEqual(awsSubnetLayout(cfg.aws!).public, ["10.20.12.0/24", "10.20.13.0/24", "10.20.14.0/24"]);
    const noNat = devConfig((raw) => (raw.aws.vpc.natGateways = "none"));
    assert.deepStrictEqual(awsSubnetLayout(noNat.aws!).public, []);
  });

  it("give coderd the API endpoint, the Pod Identity agent and the database, each on its own port", () => {
    const cfg = devConfig();
    assert.deepStrictEqual(cfg.network.kubernetesApi, { cidrs: ISOLATED, ports: [443] });
    assert.deepStrictEqual(cfg.network.coderdEgress.slice(-1), [
      {
        cidr: "169.254.170.23/32",
        ports: [80],
        protocol: "TCP",
        description: "EKS Pod Identity agent: coderd's AWS credentials for RDS IAM authentication",
      },
    ]);
    assert.deepStrictEqual(cfg.database, {
      auth: "awsiamrds",
      sslMode: "verify-full",
      egress: ISOLATED.map((cidr) => ({
        cidr,
        ports: [5432],
        protocol: "TCP",
        description: "RDS in the isolated subnets",
      })),
    });
  });

  it("put workload pods in the pod subnets, or in the private subnets without a pod range", () => {
    assert.deepStrictEqual(devConfig().network.podCidrs, ["100.64.0.0/23", "100.64.2.0/23", "100.64.4.0/23"]);
    // Pods then share the private subnets, which an internal load balancer would open to workspaces.
    const noPodRange = devConfig((raw) => {
      raw.coder.service = { type: "ClusterIP" };
      delete raw.aws.vpc.podCidr;
      delete raw.aws.vpc.podSubnetPrefix;
    });
    assert.deepStrictEqual(noPodRange.network.podCidrs, PRIVATE);
  });

  it("open the access URL to the private subnets only for an internal load balancer", () => {
    assert.deepStrictEqual(devConfig().network.accessUrlCidrs, PRIVATE);
    const clusterIp = devConfig((raw) => (raw.coder.service = { type: "ClusterIP" }));
    assert.deepStrictEqual(clusterIp.network.accessUrlCidrs, []);
    assert.deepStrictEqual(clusterIp.network.coderIngress.cidrs, PRIVATE);
  });

  it("approve the stack's ECR namespace, then each cached upstream repository, then the listed registries", () => {
    assert.deepStrictEqual(devConfig().registry.approved, [`${ECR}/coder/`]);
    const cached = devConfig((raw) => {
      raw.aws.registry.pullThroughCaches = [
        { ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws", repositories: ["a/b", "c"] },
      ];
      raw.aws.registry.cacheCreationRoleArn = "arn:aws:iam::111122223333:role/ecr-cache";
      raw.registry.approved = ["registry.example.com/team/"];
    });
    assert.deepStrictEqual(cached.registry.approved, [
      `${ECR}/coder/`,
      `${ECR}/ecr-public/a/b/`,
      `${ECR}/ecr-public/c/`,
      "registry.example.com/team/",
    ]);
  });

  it("make coderd trust the RDS CA after the stack's own CAs", () => {
    const cfg = devConfig();
    const bundle = cfg.aws!.database.caBundlePem;
    assert.ok(bundle.length > 0);
    assert.deepStrictEqual(cfg.tls.trustedCaCertificates.slice(-1), [bundle]);
    const own = "-----BEGIN CERTIFICATE-----\nown\n-----END CERTIFICATE-----";
    const withOwn = devConfig((raw) => (raw.tls.trustedCaCertificates = [own]));
    assert.deepStrictEqual(withOwn.tls.trustedCaCertificates, [own, bundle]);
  });

  it("leave an existing cluster's settings as written, even with AWS settings beside them", () => {
    const eks = devConfig();
    const existing = { ...eks, cluster: { target: "existing" as const, kubeconfig: "/dev/null", context: "test" } };
    assert.strictEqual(withAwsDerivedSettings(existing), existing);
  });
});
