// The upgrade planner and the live-version reader: what one `up` may change on an EKS cluster.
import "./harness/mocks";
import * as assert from "assert";
import { currentVersions } from "../components/aws/cluster/current";
import {
  LiveVersions,
  maxNodeSkew,
  planUpgrade,
  UpgradeSequenceError,
  upgradeReport,
} from "../components/aws/cluster/upgrades";
import { withInvokes } from "./harness/invokes";

const steady: LiveVersions = {
  controlPlane: "1.34",
  nodeGroups: { system: "1.34", workspaces: "1.34" },
  addons: { "vpc-cni": "v1.20.0-eksbuild.1" },
};
const groups = ["system", "workspaces"];

function refusal(fn: () => unknown): UpgradeSequenceError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UpgradeSequenceError, `expected an UpgradeSequenceError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected the plan to be refused");
}

describe("upgrade planner", () => {
  it("creates everything at the target on the first deploy", () => {
    const plan = planUpgrade("absent", { version: "1.36", nodeGroups: groups });
    assert.strictEqual(plan.kind, "create");
    assert.deepStrictEqual(plan.controlPlane, { current: "absent", target: "1.36" });
    assert.deepStrictEqual(plan.nodeGroups.system, { current: "absent", target: "1.36" });
  });

  it("changes nothing when every part already runs the target", () => {
    const plan = planUpgrade(steady, { version: "1.34", nodeGroups: groups });
    assert.strictEqual(plan.kind, "unchanged");
    const report = upgradeReport(plan, { "vpc-cni": { current: "v1.20.0-eksbuild.1", target: "v1.20.0-eksbuild.1" } });
    assert.deepStrictEqual(report.order, []);
  });

  it("moves the control plane one minor when node groups match it, then add-ons, then node groups", () => {
    const plan = planUpgrade(steady, { version: "1.35", nodeGroups: groups });
    assert.strictEqual(plan.kind, "upgrade");
    assert.deepStrictEqual(plan.controlPlane, { current: "1.34", target: "1.35" });
    assert.deepStrictEqual(plan.nodeGroups.workspaces, { current: "1.34", target: "1.35" });
    const report = upgradeReport(plan, {
      "vpc-cni": { current: "v1.20.0-eksbuild.1", target: "v1.20.4-eksbuild.2" },
      coredns: { current: "v1.12.1-eksbuild.2", target: "v1.12.1-eksbuild.2" },
      "kube-proxy": { current: "absent", target: "v1.35.0-eksbuild.1" },
    });
    assert.deepStrictEqual(report.order, [
      "control plane: Kubernetes 1.34→1.35",
      "add-ons: vpc-cni v1.20.0-eksbuild.1→v1.20.4-eksbuild.2, kube-proxy (new) at v1.35.0-eksbuild.1",
      "node groups: system 1.34→1.35, workspaces 1.34→1.35",
    ]);
  });

  it("reads a live patch version as its minor", () => {
    const live = { ...steady, controlPlane: "1.34.2", nodeGroups: { system: "1.34.2-eks-abc", workspaces: "1.34" } };
    assert.strictEqual(planUpgrade(live, { version: "1.35", nodeGroups: groups }).controlPlane.current, "1.34");
  });

  it("refuses a jump of two minors and lists one up per minor", () => {
    const e = refusal(() => planUpgrade(steady, { version: "1.36", nodeGroups: groups }));
    assert.deepStrictEqual(e.steps, [
      "set version 1.35 and run up (control plane 1.34→1.35, then add-ons, then node groups)",
      "set version 1.36 and run up (control plane 1.35→1.36, then add-ons, then node groups)",
    ]);
    assert.match(e.message, /1\. set version 1\.35 and run up/);
    assert.match(e.message, /2\. set version 1\.36 and run up/);
  });

  it("spells a refusal with steps as the reason, then one numbered step per line", () => {
    const e = refusal(() => planUpgrade(steady, { version: "1.36", nodeGroups: groups }));
    assert.strictEqual(e.name, "UpgradeSequenceError");
    assert.strictEqual(
      e.message,
      "the stack asks for 1.36 while the control plane runs 1.34; EKS upgrades one minor at a time. " +
        "Run these instead, one `up` each:\n" +
        "  1. set version 1.35 and run up (control plane 1.34→1.35, then add-ons, then node groups)\n" +
        "  2. set version 1.36 and run up (control plane 1.35→1.36, then add-ons, then node groups)",
    );
  });

  it("refuses to move the control plane while a node group lags, catching it up first", () => {
    const live = { ...steady, nodeGroups: { system: "1.34", workspaces: "1.32" } };
    const e = refusal(() => planUpgrade(live, { version: "1.35", nodeGroups: groups }));
    assert.deepStrictEqual(e.steps, [
      "keep version 1.34 (remove node group pins) and run up (node groups workspaces 1.32→1.34)",
      "set version 1.35 and run up (control plane 1.34→1.35, then add-ons, then node groups)",
    ]);
    assert.match(e.message, /workspaces runs 1\.32/);
  });

  it("names every lagging node group, in the reason and in the catch-up step", () => {
    const live = { ...steady, nodeGroups: { system: "1.33", workspaces: "1.32" } };
    const e = refusal(() => planUpgrade(live, { version: "1.35", nodeGroups: groups }));
    assert.strictEqual(
      e.message,
      "the control plane can move 1.34→1.35 only once every managed node group runs 1.34; " +
        "system runs 1.33, workspaces runs 1.32. Run these instead, one `up` each:\n" +
        "  1. keep version 1.34 (remove node group pins) and run up (node groups system 1.33→1.34, workspaces 1.32→1.34)\n" +
        "  2. set version 1.35 and run up (control plane 1.34→1.35, then add-ons, then node groups)",
    );
  });

  it("catches lagging node groups up to the control plane when it stays", () => {
    const live = { ...steady, nodeGroups: { system: "1.34", workspaces: "1.32" } };
    const plan = planUpgrade(live, { version: "1.34", nodeGroups: groups });
    assert.strictEqual(plan.kind, "upgrade");
    assert.deepStrictEqual(plan.nodeGroups.workspaces, { current: "1.32", target: "1.34" });
    assert.deepStrictEqual(upgradeReport(plan, {}).order, ["node groups: workspaces 1.32→1.34"]);
  });

  it("creates a node group added to a running cluster at the control plane's version", () => {
    const plan = planUpgrade(steady, { version: "1.35", nodeGroups: [...groups, "gpu"] });
    assert.deepStrictEqual(plan.nodeGroups.gpu, { current: "absent", target: "1.35" });
    assert.match(upgradeReport(plan, {}).order[1], /gpu \(new\) at 1\.35/);
  });

  it("counts a node group added while every version stays as an upgrade", () => {
    const plan = planUpgrade(steady, { version: "1.34", nodeGroups: [...groups, "gpu"] });
    assert.strictEqual(plan.kind, "upgrade");
    assert.deepStrictEqual(upgradeReport(plan, {}).order, ["node groups: gpu (new) at 1.34"]);
  });

  it("counts a control plane move as an upgrade when every node group is held at its minor", () => {
    const pins = { system: "1.34", workspaces: "1.34" };
    const plan = planUpgrade(steady, { version: "1.35", nodeGroups: groups, nodeGroupPins: pins });
    assert.strictEqual(plan.kind, "upgrade");
    assert.deepStrictEqual(upgradeReport(plan, {}).order, ["control plane: Kubernetes 1.34→1.35"]);
  });

  it("refuses a downgrade of the control plane", () => {
    const e = refusal(() => planUpgrade(steady, { version: "1.33", nodeGroups: groups }));
    assert.match(e.message, /cannot downgrade a cluster/);
  });

  it("spells a refusal no sequence of ups fixes as the reason alone, with no steps", () => {
    const e = refusal(() => planUpgrade(steady, { version: "1.33", nodeGroups: groups }));
    assert.strictEqual(e.name, "UpgradeSequenceError");
    assert.deepStrictEqual(e.steps, []);
    assert.strictEqual(
      e.message,
      "the control plane runs 1.34 and the stack asks for 1.33; EKS cannot downgrade a cluster",
    );
  });

  it("refuses a live node group ahead of the control plane", () => {
    const live = { ...steady, nodeGroups: { system: "1.35", workspaces: "1.34" } };
    const e = refusal(() => planUpgrade(live, { version: "1.34", nodeGroups: groups }));
    assert.deepStrictEqual(e.steps, []);
    assert.strictEqual(e.message, "node group system runs 1.35, ahead of the control plane's 1.34");
  });

  it("holds a pinned node group within the skew EKS supports", () => {
    const plan = planUpgrade(steady, { version: "1.35", nodeGroups: groups, nodeGroupPins: { workspaces: "1.34" } });
    assert.deepStrictEqual(plan.nodeGroups.workspaces, { current: "1.34", target: "1.34" });
    assert.deepStrictEqual(plan.nodeGroups.system, { current: "1.34", target: "1.35" });
  });

  it("refuses a pin more than three minors behind, or ahead of, the control plane", () => {
    const fresh = (pin: string) => () =>
      planUpgrade("absent", { version: "1.36", nodeGroups: groups, nodeGroupPins: { workspaces: pin } });
    assert.match(refusal(fresh("1.32")).message, /4 minors behind/);
    assert.doesNotThrow(fresh("1.33"));
    assert.match(refusal(fresh("1.37")).message, /ahead of the control plane/);
  });

  it("holds a pin at the control plane's own minor", () => {
    const plan = planUpgrade("absent", { version: "1.36", nodeGroups: groups, nodeGroupPins: { workspaces: "1.36" } });
    assert.deepStrictEqual(plan.nodeGroups.workspaces, { current: "absent", target: "1.36" });
  });

  it("refuses a bad pin with the reason alone: no sequence of ups fixes it", () => {
    const fresh = (pin: string) => () =>
      planUpgrade("absent", { version: "1.36", nodeGroups: groups, nodeGroupPins: { workspaces: pin } });
    const ahead = refusal(fresh("1.37"));
    assert.deepStrictEqual(ahead.steps, []);
    assert.strictEqual(
      ahead.message,
      "node group workspaces is pinned to 1.37, ahead of the control plane's 1.36; EKS refuses that",
    );
    const behind = refusal(fresh("1.32"));
    assert.deepStrictEqual(behind.steps, []);
    assert.strictEqual(
      behind.message,
      "node group workspaces is pinned to 1.32, 4 minors behind the control plane's 1.36 " +
        "(EKS supports at most 3); raise the pin",
    );
    const downgrade = refusal(() =>
      planUpgrade(steady, { version: "1.34", nodeGroups: groups, nodeGroupPins: { workspaces: "1.33" } }),
    );
    assert.deepStrictEqual(downgrade.steps, []);
    assert.strictEqual(
      downgrade.message,
      "node group workspaces runs 1.34 and is pinned to 1.33; EKS cannot downgrade a node group",
    );
  });

  it("refuses a pin that would downgrade a node group", () => {
    const e = refusal(() =>
      planUpgrade(steady, { version: "1.34", nodeGroups: groups, nodeGroupPins: { workspaces: "1.33" } }),
    );
    assert.match(e.message, /cannot downgrade a node group/);
  });

  it("allows two minors of skew before 1.28 and three from 1.28 on", () => {
    assert.strictEqual(maxNodeSkew("1.27"), 2);
    assert.strictEqual(maxNodeSkew("1.28"), 3);
  });

  it("allows three minors of skew on a major after 1, whatever its minor", () => {
    assert.strictEqual(maxNodeSkew("2.0"), 3);
  });
});

describe("live version reader", () => {
  const live = (clusters: string[]) => (token: string, inputs: any) => {
    switch (token) {
      case "aws:eks/getClusters:getClusters":
        return { names: clusters };
      case "aws:eks/getCluster:getCluster":
        return { name: inputs.name, version: "1.34" };
      case "aws:eks/getNodeGroups:getNodeGroups":
        return { names: ["system"] };
      case "aws:eks/getNodeGroup:getNodeGroup":
        return { version: inputs.nodeGroupName === "system" ? "1.33" : "9.99" };
      case "aws:eks/getAddon:getAddon":
        if (inputs.addonName !== "vpc-cni") throw new Error("ResourceNotFoundException: no such add-on");
        return { addonVersion: "v1.20.0-eksbuild.1" };
      default:
        return undefined;
    }
  };

  it("reads absent when no cluster of that name exists", async () => {
    assert.strictEqual(await withInvokes(live(["other"]), () => currentVersions("coder", ["system"])), "absent");
    // The shared mocks answer as an empty account does.
    assert.strictEqual(await currentVersions("coder", ["system"]), "absent");
  });

  it("reads the control plane, each declared node group and each add-on of a live cluster", async () => {
    const current = await withInvokes(live(["other", "coder"]), () =>
      currentVersions("coder", ["system", "workspaces"], { addons: ["vpc-cni", "coredns"] }),
    );
    assert.deepStrictEqual(current, {
      controlPlane: "1.34",
      nodeGroups: { system: "1.33", workspaces: "absent" },
      addons: { "vpc-cni": "v1.20.0-eksbuild.1", coredns: "absent" },
    });
  });

  it("reads every node group absent when EKS lists none", async () => {
    const noGroups = (token: string, inputs: any) =>
      token === "aws:eks/getNodeGroups:getNodeGroups"
        ? { clusterName: inputs.clusterName }
        : live(["coder"])(token, inputs);
    const current = await withInvokes(noGroups, () => currentVersions("coder", ["system"], { addons: [] }));
    assert.deepStrictEqual(current, { controlPlane: "1.34", nodeGroups: { system: "absent" }, addons: {} });
  });

  it("feeds the planner, which refuses the control plane move while a node group lags", async () => {
    const current = await withInvokes(live(["coder"]), () => currentVersions("coder", ["system"]));
    assert.throws(() => planUpgrade(current, { version: "1.35", nodeGroups: ["system"] }), UpgradeSequenceError);
  });
});
