import * as assert from "assert";
import { namespaceWithoutPodSecurity } from "../policies/kubernetes/namespace-without-pod-security";
import { K8S } from "../lib/types";
import { runResourcePolicy, unknown } from "./harness/analyzer";
import { expectPass, expectViolation, show } from "./expect";
import { compliantNamespace } from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Namespace "coder-workspaces"';
const ENFORCE = "pod-security.kubernetes.io/enforce";
const WARN = "pod-security.kubernetes.io/warn";
const AUDIT = "pod-security.kubernetes.io/audit";
const REMEDIATE = { config: { "namespace-without-pod-security": "remediate" as const } };

describe("namespace-without-pod-security", () => {
  it("passes namespaces enforcing baseline or restricted", async () => {
    await expectPass(namespaceWithoutPodSecurity, compliantNamespace());
    await expectPass(
      namespaceWithoutPodSecurity,
      mutate(compliantNamespace(), (p) => (p.metadata.labels[ENFORCE] = "restricted")),
    );
  });

  it("fails a namespace without the enforce label", async () => {
    await expectViolation(
      namespaceWithoutPodSecurity,
      mutate(compliantNamespace(), (p) => delete p.metadata.labels[ENFORCE]),
      WHO,
      /no pod-security\.kubernetes\.io\/enforce label.*label it pod-security\.kubernetes\.io\/enforce: restricted/,
    );
  });

  it("fails a namespace enforcing privileged", async () => {
    await expectViolation(
      namespaceWithoutPodSecurity,
      mutate(compliantNamespace(), (p) => (p.metadata.labels[ENFORCE] = "privileged")),
      WHO,
      /enforce is "privileged".*set it to restricted/,
    );
  });

  it("fails a patch that lowers an existing namespace to privileged, but not one that leaves PSA alone", async () => {
    const lower = resource(K8S.namespacePatch, "lower", {
      metadata: { name: "coder", labels: { [ENFORCE]: "privileged" } },
    });
    await expectViolation(namespaceWithoutPodSecurity, lower, 'NamespacePatch "coder"', /admits privileged pods/);
    await expectPass(
      namespaceWithoutPodSecurity,
      resource(K8S.namespacePatch, "label", { metadata: { name: "coder", labels: { team: "platform" } } }),
    );
  });

  it("is not remediated by default", async () => {
    const o = await runResourcePolicy(
      namespaceWithoutPodSecurity,
      mutate(compliantNamespace(), (p) => delete p.metadata.labels["pod-security.kubernetes.io/warn"]),
    );
    assert.strictEqual(o.remediated, undefined);
    assert.strictEqual(o.enforcementLevel, "mandatory");
  });

  it("at the remediate level adds missing warn/audit labels from the enforce level, keeping unknown values intact", async () => {
    const ns = mutate(compliantNamespace(), (p) => {
      delete p.metadata.labels["pod-security.kubernetes.io/warn"];
      delete p.metadata.labels["pod-security.kubernetes.io/audit"];
      p.metadata.annotations = { owner: unknown.string };
    });
    const o = await runResourcePolicy(namespaceWithoutPodSecurity, ns, REMEDIATE);
    assert.deepStrictEqual(o.violations, [], show(o));
    const labels = (o.remediated as any).metadata.labels;
    assert.strictEqual(labels["pod-security.kubernetes.io/warn"], "baseline");
    assert.strictEqual(labels["pod-security.kubernetes.io/audit"], "baseline");
    assert.strictEqual((o.remediated as any).metadata.annotations.owner, unknown.string);
  });

  it("never invents an enforce level: a namespace without one stays a mandatory violation after remediation", async () => {
    const o = await runResourcePolicy(
      namespaceWithoutPodSecurity,
      mutate(compliantNamespace(), (p) => delete p.metadata.labels[ENFORCE]),
      REMEDIATE,
    );
    assert.strictEqual(o.remediated, undefined);
    assert.strictEqual(o.violations.length, 1, show(o));
    assert.strictEqual(o.violations[0].enforcementLevel, "mandatory");
  });

  it("names the level it found and both levels that enforce", async () => {
    const v = await expectViolation(
      namespaceWithoutPodSecurity,
      mutate(compliantNamespace(), (p) => (p.metadata.labels[ENFORCE] = "privileged")),
      WHO,
      /admits privileged pods/,
    );
    assert.strictEqual(
      v.detail,
      `${WHO}: ${ENFORCE} is "privileged", which admits privileged pods; set it to restricted (or baseline).`,
    );
  });

  it("at the remediate level adds only the missing label, keeping a stricter warn level", async () => {
    const ns = mutate(compliantNamespace(), (p) => {
      p.metadata.labels[WARN] = "restricted";
      delete p.metadata.labels[AUDIT];
    });
    const o = await runResourcePolicy(namespaceWithoutPodSecurity, ns, REMEDIATE);
    const labels = (o.remediated as any).metadata.labels;
    assert.strictEqual(labels[WARN], "restricted");
    assert.strictEqual(labels[AUDIT], "baseline");
  });

  it("at the remediate level leaves a fully labelled namespace unchanged", async () => {
    const o = await runResourcePolicy(namespaceWithoutPodSecurity, compliantNamespace(), REMEDIATE);
    assert.deepStrictEqual(o.violations, [], show(o));
    assert.strictEqual(o.remediated, undefined);
  });

  it("never copies privileged into warn/audit labels", async () => {
    const ns = mutate(compliantNamespace(), (p) => {
      p.metadata.labels[ENFORCE] = "privileged";
      delete p.metadata.labels[WARN];
      delete p.metadata.labels[AUDIT];
    });
    const o = await runResourcePolicy(namespaceWithoutPodSecurity, ns, REMEDIATE);
    assert.strictEqual(o.remediated, undefined);
    assert.strictEqual(o.violations.length, 1, show(o));
  });

  it("at the remediate level completes a NamespacePatch that sets the enforce level", async () => {
    const raise = resource(K8S.namespacePatch, "raise", {
      metadata: { name: "coder", labels: { [ENFORCE]: "restricted" } },
    });
    const o = await runResourcePolicy(namespaceWithoutPodSecurity, raise, REMEDIATE);
    const labels = (o.remediated as any).metadata.labels;
    assert.strictEqual(labels[WARN], "restricted");
    assert.strictEqual(labels[AUDIT], "restricted");
  });

  it("never remediates other kinds that carry PSA-looking labels", async () => {
    const cm = resource(K8S.configMap, "cm", {
      metadata: { name: "psa", namespace: "coder", labels: { [ENFORCE]: "baseline" } },
      data: {},
    });
    const o = await runResourcePolicy(namespaceWithoutPodSecurity, cm, REMEDIATE);
    assert.strictEqual(o.remediated, undefined);
    assert.match(o.notApplicable ?? "", /only applies to resources of type kubernetes:core\/v1:Namespace/);
  });
});
