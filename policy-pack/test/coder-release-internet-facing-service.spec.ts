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
      /coder\.service\.type is LoadBalancer without an internal-scheme annotation, so AWS puts coderd on the internet; set values\.coder\.service\.annotations to service\.beta\.kubernetes\.io\/aws-load-balancer-scheme: internal/,
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
});
