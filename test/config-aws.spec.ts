// The AWS settings of eks stacks: present exactly when the cluster is eks, no hand-written copy of what
// the AWS layer derives, and an IP plan that fits.
import * as assert from "assert";
import { ConfigError, parseConfig } from "../config";
import { rawStackConfig, withTestSecrets } from "./harness/stacks";

function problemsFor(stack: string, mutate: (raw: any) => void): string[] {
  const { raw, secretKeys } = withTestSecrets(structuredClone(rawStackConfig(stack)));
  mutate(raw);
  try {
    parseConfig(raw, stack, secretKeys);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail("configuration was accepted");
}

function assertProblem(problems: string[], key: string, hint: RegExp) {
  const match = problems.find((p) => p.startsWith(`coder-blueprint:${key}:`));
  assert.ok(match, `no problem reported for ${key}; got:\n${problems.join("\n")}`);
  assert.match(match, hint);
}

describe("AWS settings", () => {
  it("are required for an eks cluster and refused for an existing one", () => {
    assertProblem(
      problemsFor("dev", (raw) => delete raw.aws),
      "aws",
      /required when cluster.target is "eks"/,
    );
    assertProblem(
      problemsFor("local", (raw) => (raw.aws = rawStackConfig("dev").aws)),
      "aws",
      /only used when cluster.target is "eks"/,
    );
  });

  it("refuse, on eks, the settings the AWS layer derives", () => {
    const problems = problemsFor("dev", (raw) => {
      raw.network.podCidrs = ["10.244.0.0/16"];
      raw.network.kubernetesApi = { cidrs: ["10.20.0.0/24"] };
      raw.storage.workspaceClass.kmsKeyId = "arn:aws:kms:eu-west-1:111122223333:alias/x";
      raw.database = { egress: [{ cidr: "10.20.200.0/24", ports: [5432] }] };
    });
    for (const key of [
      "network.podCidrs",
      "network.kubernetesApi.cidrs",
      "storage.workspaceClass.kmsKeyId",
      "database",
    ]) {
      assertProblem(problems, key, /derived by the AWS layer on eks .*; remove it/);
    }
  });

  it("still require, on existing clusters, what cannot be derived there", () => {
    const problems = problemsFor("local", (raw) => {
      delete raw.network.podCidrs;
      delete raw.registry.approved;
    });
    assertProblem(problems, "network.podCidrs", /pod address ranges/);
    assertProblem(problems, "registry.approved", /list the registries workspaces may pull from/);
  });

  it("refuse cluster-admin for anyone but the break-glass role", () => {
    assertProblem(
      problemsFor("prod", (raw) => (raw.aws.cluster.admins[0].access = "cluster-admin")),
      "aws.cluster.admins",
      /reserved for the break-glass role/,
    );
  });

  it("refuse node pools without a system, coderd or workspaces pool", () => {
    assertProblem(
      problemsFor("dev", (raw) => (raw.aws.nodePools = raw.aws.nodePools.filter((p: any) => p.role !== "coderd"))),
      "aws.nodePools",
      /add a pool with role "coderd"/,
    );
  });

  it("refuse a VPC whose subnets do not fit in it", () => {
    assertProblem(
      problemsFor("dev", (raw) => (raw.aws.vpc.cidr = "10.20.0.0/21")),
      "aws.vpc",
      /holds .* subnets/,
    );
  });

  it("refuse an IP plan short of node addresses, naming the pool change", () => {
    // 181 pods, 91 per AZ with one of three AZs lost, on 8 nodes per AZ: 12 per node over max-pods 10;
    // 91 - 8 × 10 = 11 pods short, and ceil(91 / 10) × 2 = 20 nodes would hold them.
    const problems = problemsFor("dev", (raw) => (raw.aws.ipPlan = { maxPodsPerNode: 10 }));
    assertProblem(problems, "aws.vpc", /over max-pods 10 \(short by 11\)\. Smallest change: nodeCount 15 → 20/);
  });
});
