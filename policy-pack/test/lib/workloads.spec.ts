// Where the pod-level policies find pod specs: called directly for the lookups, and through a policy on the
// analyzer server for what validatePodSpec reports to the engine.
import * as assert from "assert";
import { Props } from "../../lib/policy";
import { PreviewGaps } from "../../lib/unknowns";
import { K8S } from "../../lib/types";
import { eachContainer, podSpecOf, podSpecsOf } from "../../lib/workloads";
import { privilegedContainers } from "../../policies/kubernetes/privileged-containers";
import { expectNotApplicable, expectPreviewGap } from "../expect";
import {
  compliantDeployment,
  compliantPodSpec,
  mainContainer,
  PARTIAL_WORKLOAD_PATCHES,
  SDK_COMPONENT_TYPES,
} from "../fixtures/kubernetes";
import { mutate, resource } from "../fixtures/resources";
import { unknown } from "../harness/analyzer";

const CUSTOM = "kubernetes:example.com/v1:Sandbox";

/** `value` `levels` levels below a custom resource's spec (spec itself is level 0), through objects or lists. */
function nested(levels: number, value: unknown, through: "objects" | "lists"): unknown {
  let v = value;
  for (let i = 0; i < levels; i++) v = through === "objects" ? { [`level${i}`]: v } : [v];
  return v;
}

describe("lib/workloads", () => {
  describe("podSpecOf", () => {
    it("reads a PodPatch's spec like a Pod's", () => {
      const spec = compliantPodSpec();
      assert.strictEqual(podSpecOf("kubernetes:core/v1:PodPatch", { spec }), spec);
    });

    it("reads a custom kind that merely starts with Patch at its template, not as a Pod", () => {
      const spec = compliantPodSpec();
      const props = { spec: { template: { spec } } };
      assert.strictEqual(podSpecOf("kubernetes:example.com/v1:PatchPod", props), spec);
    });

    for (const [type, props] of PARTIAL_WORKLOAD_PATCHES) {
      it(`finds no pod spec in a ${type} with ${JSON.stringify(props)}`, () => {
        assert.strictEqual(podSpecOf(type, props), undefined);
      });
    }
  });

  describe("podSpecsOf", () => {
    it("returns a workload Patch's pod spec even when it names no containers", () => {
      const spec = { hostNetwork: true };
      assert.deepStrictEqual(podSpecsOf("kubernetes:apps/v1:DeploymentPatch", { spec: { template: { spec } } }), [
        spec,
      ]);
    });

    it("searches only Kubernetes types", () => {
      const props = { spec: { template: { spec: compliantPodSpec() } } };
      assert.deepStrictEqual(podSpecsOf(CUSTOM, props), [props.spec.template.spec]);
      assert.deepStrictEqual(podSpecsOf("example:index:Sandbox", props), []);
    });

    it("walks past null fields of a custom resource", () => {
      const spec = compliantPodSpec();
      assert.deepStrictEqual(podSpecsOf(CUSTOM, { spec: { paused: null, template: { spec } } }), [spec]);
    });

    for (const through of ["objects", "lists"] as const) {
      it(`finds a pod spec eight levels down through ${through}, not nine`, () => {
        const spec = compliantPodSpec();
        assert.deepStrictEqual(podSpecsOf(CUSTOM, { spec: nested(8, spec, through) }), [spec]);
        assert.deepStrictEqual(podSpecsOf(CUSTOM, { spec: nested(9, spec, through) }), []);
      });
    }

    // Types that never become pods, whatever their inputs hold: a manifest read from YAML reaches the pack as
    // written, so a ConfigMap or Secret may carry a stray spec the API server drops; a component's children and
    // a Helm release's objects are judged on their own (the release by unapproved-helm-release).
    const neverPods = [K8S.configMap, K8S.secret, K8S.helmReleaseV3, ...SDK_COMPONENT_TYPES];
    for (const type of neverPods) {
      it(`never searches a ${type} for pod templates, even one with a spec`, async () => {
        const spec = compliantPodSpec();
        spec.containers[0].securityContext.privileged = true;
        await expectNotApplicable(
          privilegedContainers,
          resource(type, "x", { metadata: { name: "x" }, spec: { template: { spec } } }),
          /or carrying a pod template/,
        );
      });
    }

    const notPodSpecs: [string, Props][] = [
      ["an empty containers list", { runtime: { containers: [] } }],
      ["a containers list of names", { runtime: { containers: ["dev", "sidecar"] } }],
      ["a containers list under metadata", { template: { metadata: { containers: [{ name: "dev" }] } } }],
      ["a containers list under status", { template: { status: { containers: [{ name: "dev", ready: true }] } } }],
    ];
    for (const [what, spec] of notPodSpecs) {
      it(`does not take ${what} for a pod spec`, () => {
        assert.deepStrictEqual(podSpecsOf(CUSTOM, { spec }), []);
      });
    }
  });

  describe("eachContainer", () => {
    it("visits only the lists asked for", () => {
      const spec = { ...compliantPodSpec(), ephemeralContainers: [{ name: "debug" }] };
      const labels = (lists?: string[]) => {
        const seen: string[] = [];
        const gaps = new PreviewGaps();
        eachContainer(spec, gaps, ({ label }) => seen.push(label), lists);
        gaps.settle();
        return seen;
      };
      assert.deepStrictEqual(labels(), [
        'container "dev"',
        'init container "init-home"',
        'ephemeral container "debug"',
      ]);
      assert.deepStrictEqual(labels(["containers", "initContainers"]), [
        'container "dev"',
        'init container "init-home"',
      ]);
    });
  });

  describe("validatePodSpec", () => {
    it("names every workload type it applies to when a resource has no pod spec", async () => {
      await expectNotApplicable(
        privilegedContainers,
        resource("kubernetes:core/v1:Service", "svc", { metadata: { name: "s" } }),
        /of type kubernetes:core\/v1:Pod, kubernetes:core\/v1:PodPatch, kubernetes:core\/v1:ReplicationController,/,
      );
    });

    it("reports a value unknown during preview as a gap, not a pass", async () => {
      await expectPreviewGap(
        privilegedContainers,
        mutate(compliantDeployment(), (p) => (mainContainer(p).securityContext.privileged = unknown.boolean)),
        /\.containers\.0\.securityContext\.privileged can't be known/,
      );
    });
  });
});
