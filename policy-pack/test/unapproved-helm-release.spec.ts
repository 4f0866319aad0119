import * as assert from "assert";
import { unapprovedHelmRelease } from "../policies/kubernetes/unapproved-helm-release";
import { K8S } from "../lib/types";
import { expectPass, expectNameListRefusesBadEntries, expectViolation } from "./expect";
import { defaultSettings } from "./harness/policy-config";
import { resource } from "./fixtures/resources";

const release = (chart: string, repo?: string) =>
  resource(K8S.helmReleaseV3, "r", {
    name: "extra",
    namespace: "tools",
    chart,
    ...(repo ? { repositoryOpts: { repo } } : {}),
    values: {},
  });
const APPROVED = {
  config: { "unapproved-helm-release": { approvedCharts: ["https://charts.jetstack.io/cert-manager"] } },
};

describe("unapproved-helm-release", () => {
  it("passes Coder's chart however referenced, and an allowlisted chart", async () => {
    await expectPass(unapprovedHelmRelease, release("coder", "https://helm.coder.com/v2"));
    await expectPass(unapprovedHelmRelease, release("oci://ghcr.io/coder/chart/coder"));
    await expectPass(unapprovedHelmRelease, release("/opt/charts/coder-2.36.3.tgz"));
    await expectPass(unapprovedHelmRelease, release("cert-manager", "https://charts.jetstack.io/"), APPROVED);
  });

  for (const [chart, repo, shown] of [
    ["cert-manager", "https://charts.jetstack.io", "https://charts.jetstack.io/cert-manager"],
    ["oci://registry-1.docker.io/bitnamicharts/nginx", undefined, "oci://registry-1.docker.io/bitnamicharts/nginx"],
    ["./charts/anything", undefined, "./charts/anything"],
    ["coder-provisioner", "https://helm.coder.com/v2", "https://helm.coder.com/v2/coder-provisioner"],
  ] as const) {
    it(`fails a release of ${shown} without an allowlist entry`, async () => {
      await expectViolation(
        unapprovedHelmRelease,
        release(chart, repo),
        'Release "r"',
        new RegExp(
          `installs chart "${shown.replace(/[./]/g, "\\$&")}", whose objects no policy can see; deploy it with helm\\.v4\\.Chart`,
        ),
      );
    });
  }

  it("joins a repository with trailing slashes, and ignores an empty one", async () => {
    await expectPass(unapprovedHelmRelease, release("cert-manager", "https://charts.jetstack.io//"), APPROVED);
    await expectViolation(
      unapprovedHelmRelease,
      resource(K8S.helmReleaseV3, "r", { chart: "nginx", repositoryOpts: { repo: "" }, values: {} }),
      'Release "r"',
      /installs chart "nginx", whose objects/,
    );
  });

  // An empty entry would approve a release that names no chart, and a number is no chart reference.
  it("refuses an empty or non-string approvedCharts entry before judging anything", () => {
    expectNameListRefusesBadEntries(unapprovedHelmRelease, "approvedCharts", "https://charts.jetstack.io/cert-manager");
  });

  // Nothing but Coder's chart is approved until a stack's settings list a chart.
  it("starts from an empty approvedCharts: the engine approves no chart by default", () => {
    assert.deepStrictEqual(defaultSettings(unapprovedHelmRelease), { approvedCharts: [] });
  });

  it("fails a release that names no chart, shown as empty", async () => {
    await expectViolation(
      unapprovedHelmRelease,
      resource(K8S.helmReleaseV3, "r", { name: "extra", values: {} }),
      'Release "r"',
      /installs chart "", whose objects no policy can see/,
    );
  });
});
