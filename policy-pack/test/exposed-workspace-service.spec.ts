import * as assert from "assert";
import { exposedWorkspaceService } from "../policies/kubernetes/exposed-workspace-service";
import { nodePortOrExternalIps } from "../policies/kubernetes/node-port-or-external-ips";
import { K8S } from "../lib/types";
import { expectStackPass, expectStackViolation } from "./expect";
import { PackConfigFile, ResourceUnderTest, runPack } from "./harness/analyzer";
import { compliantKubernetesStack, compliantRole, compliantRoleBinding, compliantService } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Service "coder-workspaces/dev-url"';
const isDevUrl = (r: { type: string; props: any }) => r.type === K8S.service && r.props.metadata.name === "dev-url";
const withDevUrl = (change: (p: any) => void) =>
  compliantKubernetesStack().map((r) => (isDevUrl(r) ? mutate(r, change) : r));

describe("exposed-workspace-service", () => {
  it("passes ClusterIP services in workspace namespaces and a LoadBalancer in the control plane", async () => {
    await expectStackPass(exposedWorkspaceService, compliantKubernetesStack());
  });

  // NodePorts are node-port-or-external-ips's while it is enforced (the default).
  const nodePortsHere = { "exposed-workspace-service": { nodePortPolicyEnforced: false } };
  for (const [type, config] of [
    ["LoadBalancer", {}],
    ["LoadBalancer", nodePortsHere],
    ["NodePort", nodePortsHere],
  ] as const) {
    it(`fails a ${type} service in a workspace namespace (settings ${JSON.stringify(config)})`, async () => {
      await expectStackViolation(
        exposedWorkspaceService,
        withDevUrl((p) => (p.spec.type = type)),
        WHO,
        new RegExp(
          `is of type ${type} in workspace namespace "coder-workspaces", which bypasses coderd's authentication; use type ClusterIP`,
        ),
        { config },
      );
    });
  }

  it("leaves a NodePort in a workspace namespace to node-port-or-external-ips while that policy is enforced", async () => {
    await expectStackPass(
      exposedWorkspaceService,
      withDevUrl((p) => (p.spec.type = "NodePort")),
    );
  });

  it("fails externalIPs in a workspace namespace", async () => {
    await expectStackViolation(
      exposedWorkspaceService,
      withDevUrl((p) => (p.spec.externalIPs = ["203.0.113.10"])),
      WHO,
      /sets externalIPs.*remove spec\.externalIPs/,
    );
  });

  it("judges a workspace namespace the role label no longer names: from the pack settings or coderd's reach", async () => {
    const stripLabel = (r: { type: string; props: any }) =>
      r.type === K8S.namespace && r.props.metadata.name === "coder-workspaces"
        ? mutate(r as any, (p) => delete p.metadata.labels["coder-blueprint/role"])
        : r;
    const unlabelled = withDevUrl((p) => (p.spec.type = "LoadBalancer")).map(stripLabel);
    await expectStackPass(exposedWorkspaceService, unlabelled);
    await expectStackViolation(exposedWorkspaceService, unlabelled, WHO, /in workspace namespace "coder-workspaces"/, {
      config: { "exposed-workspace-service": { workspaceNamespaces: ["coder-workspaces"] } },
    });
    await expectStackViolation(
      exposedWorkspaceService,
      [...unlabelled, compliantRole(), compliantRoleBinding()],
      WHO,
      /is of type LoadBalancer in workspace namespace "coder-workspaces"/,
    );
  });

  describe("with node-port-or-external-ips, over the same stack", () => {
    const PACK = [exposedWorkspaceService, nodePortOrExternalIps];
    /** Each violation as "policy: subject: message", for one comparison per case. */
    const reported = async (resources: ResourceUnderTest[], config?: PackConfigFile) =>
      (await runPack(PACK, resources, { config })).map((v) => `${v.policyName}: ${v.detail}`);
    /** The stack with its control-plane Service moved to the namespace and changed. */
    const withService = (change: (p: any) => void, namespace: string) =>
      compliantKubernetesStack().map((r) =>
        r.name === compliantService().name ? mutate(compliantService(namespace), change) : r,
      );

    it("passes the compliant stack", async () => {
      assert.deepStrictEqual(await reported(compliantKubernetesStack()), []);
    });

    it("reports a NodePort Service in a workspace namespace once, as node-port-or-external-ips", async () => {
      const violations = await reported(withDevUrl((p) => (p.spec.type = "NodePort")));
      assert.strictEqual(violations.length, 1, violations.join("\n"));
      assert.match(
        violations[0],
        /^node-port-or-external-ips: Service "coder-workspaces\/dev-url": is of type NodePort/,
      );
    });

    for (const level of ["disabled", "advisory"] as const) {
      it(`reports it as exposed-workspace-service when node-port-or-external-ips is ${level} and the stack says so`, async () => {
        const config: PackConfigFile = {
          "node-port-or-external-ips": level,
          "exposed-workspace-service": { nodePortPolicyEnforced: false },
        };
        const violations = await runPack(
          PACK,
          withDevUrl((p) => (p.spec.type = "NodePort")),
          { config },
        );
        const blocking = violations.filter((v) => v.enforcementLevel === "mandatory");
        assert.deepStrictEqual(
          blocking.map((v) => `${v.policyName}: ${v.detail}`),
          [
            'exposed-workspace-service: Service "coder-workspaces/dev-url": is of type NodePort in workspace namespace ' +
              '"coder-workspaces", which bypasses coderd\'s authentication; use type ClusterIP and reach the ' +
              "workspace through Coder.",
          ],
        );
      });
    }

    it("still reports externalIPs in a workspace namespace by both (each its own cause)", async () => {
      const violations = await reported(withDevUrl((p) => (p.spec.externalIPs = ["203.0.113.10"])));
      assert.deepStrictEqual(violations.map((v) => v.split(":")[0]).sort(), [
        "exposed-workspace-service",
        "node-port-or-external-ips",
      ]);
    });

    it("still reports a LoadBalancer in a workspace namespace, as exposed-workspace-service", async () => {
      const violations = await reported(withDevUrl((p) => (p.spec.type = "LoadBalancer")));
      assert.strictEqual(violations.length, 1, violations.join("\n"));
      assert.match(
        violations[0],
        /^exposed-workspace-service: Service "coder-workspaces\/dev-url": is of type LoadBalancer/,
      );
    });

    for (const ns of ["coder", "monitoring"]) {
      it(`still reports a NodePort Service in non-workspace namespace ${ns}, as node-port-or-external-ips`, async () => {
        const violations = await reported(withService((p) => (p.spec.type = "NodePort"), ns));
        assert.strictEqual(violations.length, 1, violations.join("\n"));
        assert.match(
          violations[0],
          new RegExp(`^node-port-or-external-ips: Service "${ns}/coder": is of type NodePort`),
        );
      });
    }
  });
});
