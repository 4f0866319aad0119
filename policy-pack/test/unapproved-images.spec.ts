import * as assert from "assert";
import { K8S } from "../lib/types";
import { unapprovedImages } from "../policies/kubernetes/unapproved-images";
import { runResourcePolicy, unknown } from "./harness/analyzer";
import {
  expectNotApplicable,
  expectPass,
  expectPreviewGap,
  expectNameListRefusesBadEntries,
  expectViolation,
  show,
} from "./expect";
import { compliantCoderRelease } from "./fixtures/coder";
import {
  APPROVED_REGISTRY,
  compliantDeployment,
  compliantNamespace,
  podSpec,
  WITH_REGISTRIES,
} from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace"';
const withImage = (image: string) =>
  mutate(compliantDeployment(), (p) =>
    [...podSpec(p).containers, ...podSpec(p).initContainers].forEach((c) => (c.image = image)),
  );
const approving = (...approvedRegistries: string[]) => ({ config: { "unapproved-images": { approvedRegistries } } });

describe("unapproved-images", () => {
  it("passes images from an approved registry", async () => {
    await expectPass(unapprovedImages, compliantDeployment(), WITH_REGISTRIES);
  });

  it("matches Docker Hub short names against normalised prefixes", async () => {
    await expectPass(unapprovedImages, withImage("codercom/enterprise-base:ubuntu"), approving("docker.io/codercom"));
    await expectPass(unapprovedImages, withImage("docker.io/codercom/enterprise-base:ubuntu"), approving("codercom"));
    await expectPass(unapprovedImages, withImage("ghcr.io/coder/coder:v2.18.1"), approving("ghcr.io/coder/"));
  });

  it("fails an image from another registry", async () => {
    await expectViolation(
      unapprovedImages,
      withImage("docker.io/library/ubuntu:24.04"),
      `${WHO} container "dev"`,
      /image "docker\.io\/library\/ubuntu:24\.04" is not from an approved registry \(123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\); mirror it into an approved registry/,
      WITH_REGISTRIES,
    );
  });

  it("matches whole path components, so a look-alike host is not approved", async () => {
    await expectViolation(
      unapprovedImages,
      withImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io/x:1"),
      `${WHO} container "dev"`,
      /is not from an approved registry/,
      WITH_REGISTRIES,
    );
    await expectViolation(
      unapprovedImages,
      withImage("ghcr.io/coderx/tool:1"),
      `${WHO} container "dev"`,
      /is not from an approved registry/,
      approving("ghcr.io/coder"),
    );
  });

  it("fails every workload when no registry is configured, saying which config to set", async () => {
    await expectViolation(
      unapprovedImages,
      compliantDeployment(),
      WHO,
      /none are configured.*"unapproved-images": \{"approvedRegistries": \[\.\.\.\]\} in the file passed with --policy-pack-config/,
    );
  });

  it("reports a missing allowlist once per workload, not once per container", async () => {
    const o = await runResourcePolicy(unapprovedImages, compliantDeployment());
    assert.strictEqual(o.violations.length, 1, show(o));
    assert.match(o.violations[0].detail, /none are configured \(image "/);
  });

  // An empty entry approves nothing while looking like configuration, and a number is no prefix.
  it("refuses an empty or non-string approvedRegistries entry before judging anything", () => {
    expectNameListRefusesBadEntries(unapprovedImages, "approvedRegistries", `${APPROVED_REGISTRY}/`);
  });

  it("lists every approved registry in the message", async () => {
    await expectViolation(
      unapprovedImages,
      withImage("docker.io/library/ubuntu:24.04"),
      `${WHO} container "dev"`,
      /is not from an approved registry \(ghcr\.io\/coder, docker\.io\/codercom\); mirror it/,
      approving("ghcr.io/coder", "docker.io/codercom"),
    );
  });

  // Argo Rollouts, KEDA ScaledJobs and operators' kinds run their pod template's images like a Deployment.
  it("fails an image from another registry in a custom resource's pod template", async () => {
    const rollout = resource("kubernetes:argoproj.io/v1alpha1:Rollout", "ws", {
      metadata: { name: "ws", namespace: "coder-workspaces" },
      spec: { template: { spec: podSpec(withImage("docker.io/library/ubuntu:24.04").props) } },
    });
    await expectViolation(
      unapprovedImages,
      rollout,
      'Rollout "coder-workspaces/ws" container "dev"',
      /image "docker\.io\/library\/ubuntu:24\.04" is not from an approved registry/,
      WITH_REGISTRIES,
    );
  });

  it("does not apply to objects without containers", async () => {
    await expectNotApplicable(
      unapprovedImages,
      compliantNamespace(),
      /Policy only applies to resources of type kubernetes:core\/v1:Pod, .* or carrying a pod template/,
      WITH_REGISTRIES,
    );
  });

  describe("the Coder Helm release", () => {
    const RELEASE = 'Release "coder"';
    const MIRROR = `${APPROVED_REGISTRY}/coder/coder`;
    const withCoderImage = (image: Record<string, unknown>) =>
      mutate(compliantCoderRelease(), (p) => (p.values.coder.image = image));

    it("passes the chart's default coderd image (ghcr.io/coder/coder) when ghcr.io/coder/ is approved, as on the local stack", async () => {
      await expectPass(unapprovedImages, compliantCoderRelease(), approving("ghcr.io/coder/", "docker.io/codercom/"));
    });

    it("fails the chart's default coderd image when only the mirror is approved", async () => {
      await expectViolation(
        unapprovedImages,
        compliantCoderRelease(),
        `${RELEASE} coderd image (values.coder.image.repo is unset, so the chart's default)`,
        /: image "ghcr\.io\/coder\/coder" is not from an approved registry \(123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\); mirror coderd's image into an approved registry and set values\.coder\.image\.repo to the mirror/,
        WITH_REGISTRIES,
      );
    });

    it("passes coderd's image from the approved mirror, as on the dev and prod stacks", async () => {
      await expectPass(
        unapprovedImages,
        withCoderImage({ repo: MIRROR, tag: "v2.36.3" }),
        approving(`${APPROVED_REGISTRY}/coder/`),
      );
    });

    it("fails coder.image.repo outside the approved registries, naming the image with its tag", async () => {
      await expectViolation(
        unapprovedImages,
        withCoderImage({ repo: "docker.io/someone/coder", tag: "v2.36.3" }),
        `${RELEASE} coderd image`,
        /image "docker\.io\/someone\/coder:v2\.36\.3" is not from an approved registry/,
        WITH_REGISTRIES,
      );
      await expectViolation(
        unapprovedImages,
        withCoderImage({ repo: `${APPROVED_REGISTRY}.evil.io/coder/coder` }),
        `${RELEASE} coderd image`,
        /is not from an approved registry/,
        WITH_REGISTRIES,
      );
    });

    it("names a set coder.image.repo plainly, and both fixes", async () => {
      const v = await expectViolation(
        unapprovedImages,
        withCoderImage({ repo: "docker.io/someone/coder", tag: "v2.36.3" }),
        `${RELEASE} coderd image:`,
        /is not from an approved registry/,
        WITH_REGISTRIES,
      );
      assert.strictEqual(
        v.detail,
        `${RELEASE} coderd image: image "docker.io/someone/coder:v2.36.3" is not from an approved registry ` +
          `(${APPROVED_REGISTRY}); mirror coderd's image into an approved registry and set values.coder.image.repo ` +
          "to the mirror, or approve its registry in approvedRegistries.",
      );
    });

    it("fails an init container image outside the approved registries", async () => {
      const release = mutate(
        withCoderImage({ repo: MIRROR }),
        (p) => (p.values.coder.initContainers = [{ name: "wait-for-db", image: "busybox:1.36" }]),
      );
      await expectViolation(
        unapprovedImages,
        release,
        `${RELEASE} init container "wait-for-db" (values.coder.initContainers)`,
        /image "busybox:1\.36" is not from an approved registry/,
        WITH_REGISTRIES,
      );
    });

    it("judges a release of a local chart archive too", async () => {
      const local = mutate(compliantCoderRelease(), (p) => (p.chart = "/opt/charts/coder-2.36.3.tgz"));
      await expectViolation(
        unapprovedImages,
        local,
        `${RELEASE} coderd image`,
        /image "ghcr\.io\/coder\/coder" is not from an approved registry/,
        WITH_REGISTRIES,
      );
    });

    it("fails the release when no registry is configured, saying which config to set", async () => {
      await expectViolation(
        unapprovedImages,
        compliantCoderRelease(),
        RELEASE,
        /cannot be checked against approved registries because none are configured \(image "ghcr\.io\/coder\/coder"\)/,
      );
    });

    it("needs only the repository during preview: an unknown tag still passes, an unknown repository is a preview gap", async () => {
      await expectPass(unapprovedImages, withCoderImage({ repo: MIRROR, tag: unknown.string }), WITH_REGISTRIES);
      await expectPreviewGap(
        unapprovedImages,
        withCoderImage({ repo: unknown.string }),
        /repo can't be known during preview/,
        WITH_REGISTRIES,
      );
    });

    it("does not apply to other charts", async () => {
      const other = resource(K8S.helmReleaseV3, "ingress", {
        chart: "ingress-nginx",
        values: { controller: { image: { repository: "registry.k8s.io/ingress-nginx/controller" } } },
      });
      await expectNotApplicable(unapprovedImages, other, /Coder Helm chart/, WITH_REGISTRIES);
    });
  });
});
