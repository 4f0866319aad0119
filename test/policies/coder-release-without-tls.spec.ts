import { coderReleaseWithoutTls } from "../../policy-pack/policies/coder/coder-release-without-tls";
import { K8S } from "../../policy-pack/lib/types";
import { expectNotApplicable, expectPass, expectViolation } from "./expect";
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
            /coder\.tls\.secretNames is empty, so coderd serves plain HTTP.*list a kubernetes\.io\/tls Secret in values\.coder\.tls\.secretNames/,
        );
    });

    it("fails a release without any tls values", async () => {
        await expectViolation(coderReleaseWithoutTls, mutate(compliantCoderRelease(), (p) => delete p.values.coder.tls), WHO, /serves plain HTTP/);
    });

    it("allows TLS termination elsewhere when the policy config says so", async () => {
        await expectPass(coderReleaseWithoutTls, mutate(compliantCoderRelease(), (p) => delete p.values.coder.tls), { config: { "coder-release-without-tls": { allowTlsTerminationElsewhere: true } } });
    });

    it("judges the Coder chart deployed with helm.v4.Chart and an OCI reference", async () => {
        const chart = resource(K8S.helmChartV4, "coder-v4", { chart: "oci://ghcr.io/coder/chart/coder", values: { coder: {} } }, { provider: null });
        await expectViolation(coderReleaseWithoutTls, chart, 'Chart "coder-v4"', /serves plain HTTP/);
    });

    it("does not apply to other charts", async () => {
        await expectNotApplicable(coderReleaseWithoutTls, mutate(compliantCoderRelease(), (p) => (p.chart = "ingress-nginx")), /Coder Helm chart/);
    });
});
