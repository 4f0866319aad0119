import * as assert from "assert";
import { internetFacingLoadBalancer } from "../policies/kubernetes/internet-facing-load-balancer";
import { INTERNAL_HINT } from "../lib/exposure";
import { K8S } from "../lib/types";
import { expectPass, expectViolation } from "./expect";
import { compliantService } from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Service "coder/coder"';
const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";

describe("internet-facing-load-balancer", () => {
  it("passes an internal LoadBalancer, by either annotation, and ClusterIP services", async () => {
    await expectPass(internetFacingLoadBalancer, compliantService());
    await expectPass(
      internetFacingLoadBalancer,
      mutate(
        compliantService(),
        (p) => (p.metadata.annotations = { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }),
      ),
    );
    await expectPass(
      internetFacingLoadBalancer,
      mutate(compliantService(), (p) => (p.spec.type = "ClusterIP")),
    );
  });

  it("fails a LoadBalancer without a scheme annotation", async () => {
    await expectViolation(
      internetFacingLoadBalancer,
      mutate(compliantService(), (p) => delete p.metadata.annotations[SCHEME]),
      WHO,
      /LoadBalancer Service that AWS makes an internet-facing load balancer \(the AWS Load Balancer Controller gets no internal-scheme annotation\); annotate it service\.beta\.kubernetes\.io\/aws-load-balancer-type: external with .*-scheme: internal/,
    );
  });

  // nlb-ip is the controller's older form of external with IP targets; the in-tree controller ignores both.
  for (const type of ["external", "nlb-ip"]) {
    it(`passes a scheme-internal Service the AWS Load Balancer Controller takes by type ${type}`, async () => {
      await expectPass(
        internetFacingLoadBalancer,
        mutate(
          compliantService(),
          (p) => (p.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"] = type),
        ),
      );
    });
  }

  it("passes internal Services of the AWS Load Balancer Controller and EKS Auto Mode by loadBalancerClass", async () => {
    for (const cls of ["service.k8s.aws/nlb", "eks.amazonaws.com/nlb"]) {
      await expectPass(
        internetFacingLoadBalancer,
        mutate(compliantService(), (p) => {
          delete p.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"];
          p.spec.loadBalancerClass = cls;
        }),
      );
    }
  });

  // The in-tree controller reconciles Services without a controller class or external type, and reads only
  // aws-load-balancer-internal: the scheme annotation there is decoration.
  for (const type of ["nlb", undefined]) {
    it(`fails a scheme-internal Service the in-tree controller reconciles (type ${type ?? "unset"})`, async () => {
      await expectViolation(
        internetFacingLoadBalancer,
        mutate(compliantService(), (p) => {
          if (type) p.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"] = type;
          else delete p.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"];
        }),
        WHO,
        /the in-tree controller reconciles it and ignores service\.beta\.kubernetes\.io\/aws-load-balancer-scheme/,
      );
    });
  }

  it("fails an in-tree internal annotation set to false, and an unknown controller class", async () => {
    await expectViolation(
      internetFacingLoadBalancer,
      mutate(
        compliantService(),
        (p) => (p.metadata.annotations = { "service.beta.kubernetes.io/aws-load-balancer-internal": "false" }),
      ),
      WHO,
      /in-tree controller creates an internet-facing load balancer by default/,
    );
    await expectViolation(
      internetFacingLoadBalancer,
      mutate(compliantService(), (p) => (p.spec.loadBalancerClass = "example.com/lb")),
      WHO,
      /loadBalancerClass "example\.com\/lb" is a controller the pack cannot read/,
    );
  });

  it("fails an explicitly internet-facing scheme", async () => {
    await expectViolation(
      internetFacingLoadBalancer,
      mutate(compliantService(), (p) => (p.metadata.annotations[SCHEME] = "internet-facing")),
      WHO,
      /internet-facing load balancer/,
    );
  });

  it("fails a patch that turns a Service into a public LoadBalancer", async () => {
    const patch = resource(K8S.servicePatch, "p", {
      metadata: { name: "grafana", namespace: "monitoring" },
      spec: { type: "LoadBalancer" },
    });
    await expectViolation(internetFacingLoadBalancer, patch, 'ServicePatch "monitoring/grafana"', /internet-facing/);
  });

  it("fails a patch that only flips an existing load balancer's scheme annotations to internet-facing", async () => {
    for (const annotations of [
      { [SCHEME]: "internet-facing" },
      { "service.beta.kubernetes.io/aws-load-balancer-internal": "false" },
      { [SCHEME]: "" },
    ]) {
      await expectViolation(
        internetFacingLoadBalancer,
        resource(K8S.servicePatch, "flip", { metadata: { name: "coder", namespace: "coder", annotations } }),
        'ServicePatch "coder/coder"',
        /patches the load-balancer scheme annotations to an internet-facing value/,
      );
    }
  });

  it("passes patches that keep a load balancer internal or touch other annotations", async () => {
    for (const annotations of [{ [SCHEME]: "internal" }, { "prometheus.io/scrape": "true" }]) {
      await expectPass(
        internetFacingLoadBalancer,
        resource(K8S.servicePatch, "keep", { metadata: { name: "coder", namespace: "coder", annotations } }),
      );
    }
  });

  it("passes a Service that names no type (ClusterIP) whatever its scheme annotation, and one without a spec", async () => {
    await expectPass(
      internetFacingLoadBalancer,
      mutate(compliantService(), (p) => {
        delete p.spec.type;
        p.metadata.annotations = { [SCHEME]: "internet-facing" };
      }),
    );
    await expectPass(
      internetFacingLoadBalancer,
      mutate(compliantService(), (p) => delete p.spec),
    );
  });

  it("names the patched annotation and value, and both internal forms, in a scheme patch's message", async () => {
    const v = await expectViolation(
      internetFacingLoadBalancer,
      resource(K8S.servicePatch, "flip", {
        metadata: { name: "coder", namespace: "coder", annotations: { [SCHEME]: "internet-facing" } },
      }),
      'ServicePatch "coder/coder"',
      /patches the load-balancer scheme annotations/,
    );
    assert.strictEqual(
      v.detail,
      'ServicePatch "coder/coder": patches the load-balancer scheme annotations to an internet-facing value ' +
        `(its ${SCHEME} is "internet-facing"), so the Service it patches gets an internet-facing load balancer; ` +
        `annotate it ${INTERNAL_HINT}.`,
    );
  });
});
