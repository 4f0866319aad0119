import { internetFacingIngress } from "../policies/kubernetes/internet-facing-ingress";
import { expectPass, expectViolation } from "./expect";
import { mutate, resource } from "./fixtures/resources";

const ingress = (annotations: Record<string, string>, type = "kubernetes:networking.k8s.io/v1:Ingress") =>
  resource(type, "ing", {
    metadata: { name: "coder", namespace: "coder", annotations },
    spec: { ingressClassName: "alb", rules: [{ host: "coder.example.com" }] },
  });
const params = (scheme: string | undefined, type = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams") =>
  resource(type, "params", { metadata: { name: "alb-params" }, spec: scheme ? { scheme } : {} });

describe("internet-facing-ingress", () => {
  it("passes internal and unannotated ALB ingresses and internal class parameters", async () => {
    await expectPass(internetFacingIngress, ingress({}));
    await expectPass(internetFacingIngress, ingress({ "alb.ingress.kubernetes.io/scheme": "internal" }));
    await expectPass(internetFacingIngress, params("internal"));
    await expectPass(internetFacingIngress, params(undefined, "kubernetes:eks.amazonaws.com/v1:IngressClassParams"));
  });

  it("fails an internet-facing scheme on an Ingress, an IngressPatch, and a legacy Ingress", async () => {
    const open = { "alb.ingress.kubernetes.io/scheme": "internet-facing" };
    for (const [type, who] of [
      ["kubernetes:networking.k8s.io/v1:Ingress", 'Ingress "coder/coder"'],
      ["kubernetes:networking.k8s.io/v1:IngressPatch", 'IngressPatch "coder/coder"'],
      ["kubernetes:extensions/v1beta1:Ingress", 'Ingress "coder/coder"'],
      ["kubernetes:networking.k8s.io/v1beta1:Ingress", 'Ingress "coder/coder"'],
      ["kubernetes:networking.k8s.io/v1beta1:IngressPatch", 'IngressPatch "coder/coder"'],
    ]) {
      await expectViolation(internetFacingIngress, ingress(open, type), who, /asks for an internet-facing ALB/);
    }
  });

  it("fails IngressClassParams that make every Ingress of the class internet-facing (LBC and EKS Auto Mode)", async () => {
    for (const type of [
      "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
      "kubernetes:eks.amazonaws.com/v1:IngressClassParams",
    ]) {
      await expectViolation(
        internetFacingIngress,
        params("internet-facing", type),
        'IngressClassParams "alb-params"',
        /set the scheme to internal/,
      );
    }
  });

  it("passes an Ingress without annotations or metadata, and IngressClassParams without a spec", async () => {
    await expectPass(
      internetFacingIngress,
      mutate(ingress({}), (p) => delete p.metadata.annotations),
    );
    await expectPass(
      internetFacingIngress,
      mutate(ingress({}), (p) => delete p.metadata),
    );
    await expectPass(
      internetFacingIngress,
      mutate(params(undefined), (p) => delete p.spec),
    );
  });
});
