import { coderReleaseWithoutTls } from "../policies/coder/coder-release-without-tls";
import { K8S } from "../lib/types";
import { expectNotApplicable, expectPass, expectSettingsRefused, expectViolation } from "./expect";
import { compliantCoderRelease } from "./fixtures/coder";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Release "coder"';

describe("coder-release-without-tls", () => {
  it("passes a release that serves TLS from coderd", async () => {
    await expectPass(coderReleaseWithoutTls, compliantCoderRelease());
  });

  it("fails empty coder.tls.secretNames", async () => {
    await expectViolation(
      coderReleaseWithoutTls,
      mutate(compliantCoderRelease(), (p) => (p.values.coder.tls.secretNames = [])),
      WHO,
      /coder\.tls\.secretNames is empty, so coderd serves plain HTTP and session tokens cross the network unencrypted; list a kubernetes\.io\/tls Secret in values\.coder\.tls\.secretNames \(or set allowTlsTerminationElsewhere in this policy's config if a load balancer terminates TLS\)\.$/,
    );
  });

  it("fails a release without any tls values", async () => {
    await expectViolation(
      coderReleaseWithoutTls,
      mutate(compliantCoderRelease(), (p) => delete p.values.coder.tls),
      WHO,
      /serves plain HTTP/,
    );
  });

  it("allows TLS termination elsewhere when the policy config says so", async () => {
    await expectPass(
      coderReleaseWithoutTls,
      mutate(compliantCoderRelease(), (p) => delete p.values.coder.tls),
      { config: { "coder-release-without-tls": { allowTlsTerminationElsewhere: true } } },
    );
  });

  // A string "false" would read as true and switch the check off.
  it("refuses an allowTlsTerminationElsewhere that is not a boolean before judging anything", () => {
    expectSettingsRefused(
      coderReleaseWithoutTls,
      { allowTlsTerminationElsewhere: "false" },
      /allowTlsTerminationElsewhere: Invalid type\. Expected: boolean/,
    );
  });

  it("judges the Coder chart deployed with helm.v4.Chart and an OCI reference", async () => {
    const chart = resource(
      K8S.helmChartV4,
      "coder-v4",
      { chart: "oci://ghcr.io/coder/chart/coder", values: { coder: {} } },
      { provider: null },
    );
    await expectViolation(coderReleaseWithoutTls, chart, 'Chart "coder-v4"', /serves plain HTTP/);
  });

  // The blueprint's air-gapped mode (coder-blueprint:coder.chart.path) passes a chart directory or archive on disk.
  const localChart = (chart: string) =>
    mutate(compliantCoderRelease(), (p) => {
      p.chart = chart;
      delete p.version;
      delete p.repositoryOpts;
    });

  for (const chart of [
    "/opt/charts/coder-2.36.3.tgz",
    "coder-2.36.3.tgz",
    "./charts/coder-2.37.0-rc.1.tgz",
    "./charts/coder",
    "/opt/charts/coder/",
    "charts\\coder-2.36.3.tgz",
    "https://github.com/coder/coder/releases/download/v2.36.3/coder_helm_2.36.3.tgz",
    "https://mirror.example/charts/coder_helm_2.36.3.tgz?token=abc",
    "oci://ghcr.io/coder/chart/coder:2.36.3",
    "oci://ghcr.io/coder/chart/coder@sha256:0123456789abcdef",
  ]) {
    it(`judges a release of the local chart ${chart}`, async () => {
      await expectPass(coderReleaseWithoutTls, localChart(chart));
      await expectViolation(
        coderReleaseWithoutTls,
        mutate(localChart(chart), (p) => delete p.values.coder.tls),
        WHO,
        /serves plain HTTP/,
      );
    });
  }

  it("does not apply to other charts, local or remote", async () => {
    for (const chart of [
      "ingress-nginx",
      "coder-provisioner",
      "./charts/coder-provisioner",
      "/opt/charts/coder-provisioner-2.36.3.tgz",
      "/opt/charts/coder-2.36.tgz",
      "/opt/charts/coder.tgz",
      "./charts/notcoder",
      "https://github.com/coder/coder/releases/download/v2.36.3/coder_helm.tgz",
      "oci://ghcr.io/coder/chart/coder-provisioner:2.36.3",
    ]) {
      await expectNotApplicable(coderReleaseWithoutTls, localChart(chart), /Coder Helm chart/);
    }
  });
});
