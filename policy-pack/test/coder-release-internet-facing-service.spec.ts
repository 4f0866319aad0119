import { coderReleaseInternetFacingService } from "../policies/coder/coder-release-internet-facing-service";
import { expectPass, expectViolation } from "./expect";
import { compliantCoderRelease } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';

describe("coder-release-internet-facing-service", () => {
  it("passes an internal load balancer, a ClusterIP service, or no service", async () => {
    await expectPass(coderReleaseInternetFacingService, compliantCoderRelease());
    await expectPass(
      coderReleaseInternetFacingService,
      mutate(compliantCoderRelease(), (p) => (p.values.coder.service = { type: "ClusterIP" })),
    );
    await expectPass(
      coderReleaseInternetFacingService,
      mutate(compliantCoderRelease(), (p) => (p.values.coder.service = { enable: false })),
    );
  });

  it("fails a LoadBalancer without the internal annotation", async () => {
    await expectViolation(
      coderReleaseInternetFacingService,
      mutate(compliantCoderRelease(), (p) => (p.values.coder.service.annotations = {})),
      WHO,
      /coder\.service\.type is LoadBalancer and the in-tree controller creates an internet-facing load balancer by default, so AWS puts coderd on the internet; set values\.coder\.service\.annotations to service\.beta\.kubernetes\.io\/aws-load-balancer-type: external with.* or use type ClusterIP behind an internal ingress\.$/,
    );
  });

  it("fails the chart default (service values omitted)", async () => {
    await expectViolation(
      coderReleaseInternetFacingService,
      mutate(compliantCoderRelease(), (p) => delete p.values.coder.service),
      WHO,
      /unset \(the chart defaults to LoadBalancer\)/,
    );
  });

  it("fails a scheme annotation the in-tree controller ignores, and an internet-facing scheme for the controller", async () => {
    await expectViolation(
      coderReleaseInternetFacingService,
      mutate(
        compliantCoderRelease(),
        (p) => delete p.values.coder.service.annotations["service.beta.kubernetes.io/aws-load-balancer-type"],
      ),
      WHO,
      /the in-tree controller reconciles it and ignores service\.beta\.kubernetes\.io\/aws-load-balancer-scheme/,
    );
    await expectViolation(
      coderReleaseInternetFacingService,
      mutate(
        compliantCoderRelease(),
        (p) =>
          (p.values.coder.service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] =
            "internet-facing"),
      ),
      WHO,
      /its scheme is "internet-facing"/,
    );
  });

  it("passes the in-tree internal annotation and the controller's loadBalancerClass", async () => {
    await expectPass(
      coderReleaseInternetFacingService,
      mutate(
        compliantCoderRelease(),
        (p) =>
          (p.values.coder.service.annotations = { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }),
      ),
    );
    await expectPass(
      coderReleaseInternetFacingService,
      mutate(compliantCoderRelease(), (p) => {
        p.values.coder.service.annotations = { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" };
        p.values.coder.service.loadBalancerClass = "service.k8s.aws/nlb";
      }),
    );
  });
});
