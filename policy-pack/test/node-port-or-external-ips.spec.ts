import { nodePortOrExternalIps } from "../policies/kubernetes/node-port-or-external-ips";
import { K8S } from "../lib/types";
import { expectPass, expectViolation } from "./expect";
import { compliantService } from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

describe("node-port-or-external-ips", () => {
  it("passes ClusterIP and internal LoadBalancer Services", async () => {
    await expectPass(nodePortOrExternalIps, compliantService());
    await expectPass(
      nodePortOrExternalIps,
      mutate(compliantService(), (p) => (p.spec.type = "ClusterIP")),
    );
  });

  for (const ns of ["coder", "kube-system", "monitoring"]) {
    it(`fails a NodePort and externalIPs in ${ns}`, async () => {
      await expectViolation(
        nodePortOrExternalIps,
        mutate(compliantService(ns), (p) => (p.spec.type = "NodePort")),
        `Service "${ns}/coder"`,
        /is of type NodePort, opening a port on every node/,
      );
      await expectViolation(
        nodePortOrExternalIps,
        mutate(compliantService(ns), (p) => (p.spec.externalIPs = ["203.0.113.7"])),
        `Service "${ns}/coder"`,
        /sets externalIPs 203\.0\.113\.7/,
      );
    });
  }

  it("fails a ServicePatch that turns a Service into a NodePort", async () => {
    const patch = resource(K8S.servicePatch, "p", {
      metadata: { name: "grafana", namespace: "monitoring" },
      spec: { type: "NodePort" },
    });
    await expectViolation(nodePortOrExternalIps, patch, 'ServicePatch "monitoring/grafana"', /NodePort/);
  });
});
