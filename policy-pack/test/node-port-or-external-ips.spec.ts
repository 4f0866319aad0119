import * as assert from "assert";
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

  it("passes an empty externalIPs list", async () => {
    await expectPass(
      nodePortOrExternalIps,
      mutate(compliantService(), (p) => (p.spec.externalIPs = [])),
    );
  });

  it("names the fix for a NodePort, and every external IP with its fix", async () => {
    const nodePort = await expectViolation(
      nodePortOrExternalIps,
      mutate(compliantService(), (p) => (p.spec.type = "NodePort")),
      'Service "coder/coder"',
      /NodePort/,
    );
    assert.strictEqual(
      nodePort.detail,
      'Service "coder/coder": is of type NodePort, opening a port on every node; use ClusterIP behind the ingress ' +
        "or an internal LoadBalancer.",
    );
    const ips = await expectViolation(
      nodePortOrExternalIps,
      mutate(compliantService(), (p) => (p.spec.externalIPs = ["203.0.113.7", "2001:db8::7"])),
      'Service "coder/coder"',
      /externalIPs/,
    );
    assert.strictEqual(
      ips.detail,
      'Service "coder/coder": sets externalIPs 203.0.113.7, 2001:db8::7, which kube-proxy answers on every node; ' +
        "remove spec.externalIPs.",
    );
  });
});
