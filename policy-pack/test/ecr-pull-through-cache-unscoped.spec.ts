import { ecrPullThroughCacheUnscoped } from "../policies/aws/ecr-pull-through-cache-unscoped";
import { expectPass, expectSettingsRefused, expectViolation } from "./expect";
import { compliantPullThroughCacheRule } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const WHO = 'ECR pull-through cache rule "coder-images-cache"';
const allow = (...allowedUpstreams: string[]) => ({
  config: { "ecr-pull-through-cache-unscoped": { allowedUpstreams } },
});
const CONFIG = allow("registry-1.docker.io/codercom", "ghcr.io/coder/");
const upstream = (url: string, prefix?: string) =>
  mutate(compliantPullThroughCacheRule(), (p) => {
    p.upstreamRegistryUrl = url;
    if (prefix === undefined) delete p.upstreamRepositoryPrefix;
    else p.upstreamRepositoryPrefix = prefix;
  });

describe("ecr-pull-through-cache-unscoped", () => {
  it("passes an allowed upstream prefix, and namespaces under it", async () => {
    await expectPass(ecrPullThroughCacheUnscoped, compliantPullThroughCacheRule(), CONFIG);
    await expectPass(ecrPullThroughCacheUnscoped, upstream("ghcr.io", "coder/images"), CONFIG);
    await expectPass(ecrPullThroughCacheUnscoped, upstream("https://ghcr.io/", "/coder"), CONFIG);
  });

  it("passes a URL and prefix written with surrounding spaces and repeated slashes", async () => {
    await expectPass(ecrPullThroughCacheUnscoped, upstream(" https://ghcr.io// ", " //coder/images// "), CONFIG);
  });

  it("reads Docker Hub's host aliases as one registry, on either side", async () => {
    for (const host of ["docker.io", "index.docker.io", "registry-1.docker.io"]) {
      await expectPass(ecrPullThroughCacheUnscoped, upstream(host, "codercom"), CONFIG);
      await expectPass(
        ecrPullThroughCacheUnscoped,
        upstream("registry-1.docker.io", "codercom"),
        allow(`${host}/codercom`),
      );
    }
    await expectViolation(
      ecrPullThroughCacheUnscoped,
      upstream("docker.io", "codercom-evil"),
      WHO,
      /not under/,
      CONFIG,
    );
  });

  it("fails a rule without an upstream prefix (the whole registry)", async () => {
    await expectViolation(
      ecrPullThroughCacheUnscoped,
      upstream("registry-1.docker.io"),
      WHO,
      /mirrors the whole upstream registry "registry-1\.docker\.io" \(upstreamRepositoryPrefix is "unset"\); set upstreamRepositoryPrefix to an approved namespace/,
      CONFIG,
    );
  });

  it("fails ROOT, an empty prefix and a wildcard, which also mirror everything", async () => {
    for (const prefix of ["ROOT", "", "/", " ", "*"]) {
      await expectViolation(
        ecrPullThroughCacheUnscoped,
        upstream("ghcr.io", prefix),
        WHO,
        /mirrors the whole upstream registry/,
        CONFIG,
      );
    }
  });

  it("fails a prefix outside the allowlist, including one that only shares its first letters", async () => {
    await expectViolation(
      ecrPullThroughCacheUnscoped,
      upstream("ghcr.io", "coder-evil"),
      WHO,
      /mirrors ghcr\.io\/coder-evil, which is not under any allowedUpstreams entry \(registry-1\.docker\.io\/codercom, ghcr\.io\/coder\/\); narrow upstreamRepositoryPrefix or approve it in the policy config\.$/,
      CONFIG,
    );
    await expectViolation(
      ecrPullThroughCacheUnscoped,
      upstream("quay.io", "codercom"),
      WHO,
      /quay\.io\/codercom/,
      CONFIG,
    );
  });

  it("strips a scheme only at the start of the registry URL", async () => {
    await expectViolation(
      ecrPullThroughCacheUnscoped,
      upstream("mirror.example.com/https://ghcr.io", "coder"),
      WHO,
      /mirrors mirror\.example\.com\/https:\/\/ghcr\.io\/coder, which is not under/,
      CONFIG,
    );
  });

  it("reads blank allowedUpstreams entries as approving nothing, even a rule with a blank registry URL", async () => {
    await expectViolation(
      ecrPullThroughCacheUnscoped,
      upstream("", "codercom"),
      WHO,
      /mirrors \/codercom, which is not under any allowedUpstreams entry/,
      allow("", " / "),
    );
  });

  // A number in the list would otherwise reach the policy, which compares upstreams as text.
  it("refuses an allowedUpstreams entry that is not a string before judging anything", () => {
    expectSettingsRefused(
      ecrPullThroughCacheUnscoped,
      { allowedUpstreams: ["ghcr.io/coder", 42] },
      /allowedUpstreams\.1: Invalid type\. Expected: string/,
    );
  });

  it("fails every scoped rule while no upstream is allowed", async () => {
    await expectViolation(ecrPullThroughCacheUnscoped, compliantPullThroughCacheRule(), WHO, /none configured/);
  });
});
