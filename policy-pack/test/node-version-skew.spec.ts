import * as assert from "assert";
import { nodeVersionSkew } from "../policies/aws/node-version-skew";
import { AWS } from "../lib/types";
import { unknown, urnOf } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import { compliantEksCluster, compliantNodeGroup } from "./fixtures/aws";
import { mutate, resource } from "./fixtures/resources";

const NG = 'EKS node group "workspaces"';
const stack = (cluster: string, nodes?: string) => [
  mutate(compliantEksCluster(), (p) => (p.version = cluster)),
  mutate(compliantNodeGroup(), (p) => (nodes === undefined ? delete p.version : (p.version = nodes))),
];

describe("node-version-skew", () => {
  it("passes nodes within three minors of a 1.28+ control plane, and nodes that follow the cluster", async () => {
    await expectStackPass(nodeVersionSkew, stack("1.35", "1.32"));
    await expectStackPass(nodeVersionSkew, stack("1.35"));
    await expectStackPass(nodeVersionSkew, stack("1.35", "1.35"));
    await expectStackPass(nodeVersionSkew, stack("1.28", "1.25"));
  });

  it("allows three minors of skew on a major after 1, whatever its minor", async () => {
    await expectStackPass(nodeVersionSkew, stack("2.3", "2.0"));
    await expectStackViolation(
      nodeVersionSkew,
      stack("2.4", "2.0"),
      NG,
      /4 minor versions behind EKS cluster "coder" on 2\.4 \(at most 3 supported\)/,
    );
  });

  it("leaves a version of another major, and a node group naming no cluster, unjudged", async () => {
    await expectStackPass(nodeVersionSkew, stack("1.35", "2.0"));
    const [cluster, ng] = stack("1.35", "1.30");
    await expectStackPass(nodeVersionSkew, [
      mutate(cluster, (p) => delete p.name),
      mutate(ng, (p) => delete p.clusterName),
    ]);
  });

  it("judges only aws:eks:NodeGroup resources against only aws:eks:Cluster resources", async () => {
    // A component wrapping a node group carries the same inputs; the node group inside it is what is judged.
    const [cluster, ng] = stack("1.35", "1.30");
    await expectStackPass(nodeVersionSkew, [cluster, { ...ng, type: "eks:index:ManagedNodeGroup" }]);
    // A launch template named like the cluster must not stand in for it.
    await expectStackViolation(
      nodeVersionSkew,
      [cluster, resource(AWS.launchTemplate, "coder-lt", { name: "coder" }), ng],
      NG,
      /5 minor versions behind EKS cluster "coder" on 1\.35/,
    );
  });

  it("skips clusterName dependencies that are not clusters", async () => {
    const [cluster, ng] = stack("1.35", "1.30");
    const linked = mutate(ng, (p, r) => {
      p.clusterName = unknown.string;
      r.propertyDependencies = {
        clusterName: [urnOf("test", AWS.launchTemplate, "coder-lt"), urnOf("test", AWS.eksCluster, "coder-eks")],
      };
    });
    await expectStackViolation(
      nodeVersionSkew,
      [
        mutate(cluster, (p) => (p.name = unknown.string)),
        resource(AWS.launchTemplate, "coder-lt", { name: "lt" }),
        linked,
      ],
      NG,
      /5 minor versions behind/,
    );
  });

  it("reports a preview gap, not a pass, when a node group's version is unknown", async () => {
    const [cluster, ng] = stack("1.35", "1.30");
    await expectStackPreviewGap(nodeVersionSkew, [cluster, mutate(ng, (p) => (p.version = unknown.string))], /version/);
  });

  it("blocks nodes four minors behind (mandatory)", async () => {
    const v = await expectStackViolation(
      nodeVersionSkew,
      stack("1.35", "1.31"),
      NG,
      /runs 1\.31, 4 minor versions behind EKS cluster "coder" on 1\.35 \(at most 3 supported\); upgrade the node group's version/,
    );
    assert.strictEqual(v.enforcementLevel, "mandatory", "an unsupported skew must block the preview");
  });

  it("allows only two minors before 1.28", async () => {
    await expectStackViolation(
      nodeVersionSkew,
      stack("1.27", "1.24"),
      NG,
      /3 minor versions behind .*at most 2 supported/,
    );
  });

  it("reports nodes ahead of the control plane", async () => {
    await expectStackViolation(
      nodeVersionSkew,
      stack("1.34", "1.35"),
      NG,
      /ahead of EKS cluster "coder".*upgrade the cluster first/,
    );
  });

  it("matches the cluster through the clusterName dependency when the name is unknown during preview", async () => {
    const [cluster, ng] = stack("1.35", "1.30");
    const linked = mutate(ng, (p, r) => {
      p.clusterName = unknown.string;
      r.propertyDependencies = { clusterName: [urnOf("test", AWS.eksCluster, "coder-eks")] };
    });
    await expectStackViolation(
      nodeVersionSkew,
      [mutate(cluster, (p) => (p.name = unknown.string)), linked],
      NG,
      /5 minor versions behind/,
    );
  });
});
