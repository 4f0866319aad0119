// What the registry component refuses before it registers anything: names ECR would reject, and pull-through
// caches that would mirror too much, overlap the managed repositories or pull anonymously.
import "./harness/mocks";
import * as assert from "assert";
import { Registry, RegistryArgs } from "../components/aws/registry";
import { registryArgs } from "./fixtures/aws-components";

const cache = registryArgs().pullThroughCaches[0];
const build = (name: string, change: Partial<RegistryArgs>) => new Registry(name, { ...registryArgs(), ...change });

describe("aws registry: refused arguments", () => {
  it("refuses a namespace or repository that is not an ECR repository name", () => {
    assert.throws(() => build("v1", { namespace: "Coder" }), /"Coder" is not an ECR repository name/);
    assert.throws(
      () => build("v2", { repositories: ["coder", "Enterprise_Base"] }),
      /"coder\/Enterprise_Base" is not an ECR repository name/,
    );
  });

  it("takes repository names up to ECR's 256 characters, namespace included, and refuses a longer one", () => {
    // "coder/" and 250 more characters make 256.
    assert.ok(build("v6", { repositories: ["a".repeat(250)] }) instanceof Registry);
    const long = "a".repeat(251);
    assert.throws(() => build("v7", { repositories: [long] }), {
      message: `"coder/${long}" is not an ECR repository name (lowercase components separated by "/")`,
    });
  });

  it("checks every pull-through cache: its prefix, its upstream repositories and its credential", () => {
    assert.throws(
      () => build("v3", { pullThroughCaches: [{ ...cache, ecrRepositoryPrefix: "coder/ghcr" }] }),
      /overlaps the managed repositories under "coder\/"/,
    );
    assert.throws(() => build("v4", { pullThroughCaches: [{ ...cache, credentialArn: undefined }] }), /credentialArn/);
    const ecrPrivate = { ...cache, upstreamRegistryUrl: "210987654321.dkr.ecr.eu-west-1.amazonaws.com" };
    assert.throws(() => build("v8", { pullThroughCaches: [{ ...ecrPrivate, upstreamRepositoryPrefix: "Images" }] }), {
      message: '"Images" is not an ECR repository name (lowercase components separated by "/")',
    });
  });

  it("builds with several caches under distinct prefixes", () => {
    const quay = { ...cache, ecrRepositoryPrefix: "quay", upstreamRegistryUrl: "quay.io", repositories: ["coder/x"] };
    assert.ok(build("v5", { pullThroughCaches: [cache, quay] }) instanceof Registry);
  });
});
