import * as assert from "assert";
import { missingSeccompProfile } from "../policies/kubernetes/missing-seccomp-profile";
import { runResourcePolicy, unknown } from "./harness/analyzer";
import { expectPass, expectViolation, show } from "./expect";
import {
  compliantCronJob,
  compliantDeployment,
  compliantPod,
  compliantPodSpec,
  K8S_WORKLOADS,
  mainContainer,
  podSpec,
  SDK_WORKLOAD_KINDS,
  workloadOf,
} from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace" container "dev"';
const REMEDIATE = { config: { "missing-seccomp-profile": "remediate" as const } };

describe("missing-seccomp-profile (advisory, optional remediation)", () => {
  it("passes RuntimeDefault at pod level, or Localhost on the container", async () => {
    await expectPass(missingSeccompProfile, compliantDeployment());
    const local = mutate(compliantDeployment(), (p) => {
      delete podSpec(p).securityContext.seccompProfile;
      for (const c of [...podSpec(p).containers, ...podSpec(p).initContainers])
        c.securityContext.seccompProfile = { type: "Localhost", localhostProfile: "coder.json" };
    });
    await expectPass(missingSeccompProfile, local);
  });

  it("reports a pod without a profile (Unconfined)", async () => {
    await expectViolation(
      missingSeccompProfile,
      mutate(compliantDeployment(), (p) => delete podSpec(p).securityContext.seccompProfile),
      WHO,
      /without a seccomp profile \(Unconfined\); set securityContext\.seccompProfile\.type: RuntimeDefault/,
    );
  });

  it("reports a container that opts out with Unconfined", async () => {
    await expectViolation(
      missingSeccompProfile,
      mutate(compliantDeployment(), (p) => (mainContainer(p).securityContext.seccompProfile = { type: "Unconfined" })),
      WHO,
      /with seccomp profile Unconfined/,
    );
  });

  it("at the remediate level adds RuntimeDefault to the pod template, and nothing else", async () => {
    const bare = mutate(compliantCronJob(), (p) => delete podSpec(p).securityContext.seccompProfile);
    const o = await runResourcePolicy(missingSeccompProfile, bare, REMEDIATE);
    assert.deepStrictEqual(o.violations, [], show(o));
    const expected = structuredClone(bare.props) as any;
    podSpec(expected).securityContext.seccompProfile = { type: "RuntimeDefault" };
    assert.deepStrictEqual(o.remediated, expected);
  });

  it("does not override a profile a container chose", async () => {
    const chosen = mutate(compliantDeployment(), (p) => {
      delete podSpec(p).securityContext.seccompProfile;
      mainContainer(p).securityContext.seccompProfile = { type: "Unconfined" };
    });
    const o = await runResourcePolicy(missingSeccompProfile, chosen, REMEDIATE);
    assert.strictEqual(o.remediated, undefined);
    assert.ok(
      o.violations.some((v) => v.enforcementLevel === "mandatory" && /Unconfined/.test(v.detail)),
      show(o),
    );
  });

  it("passes a pod spec or a container without a securityContext when the other sets the profile", async () => {
    const podUnset = mutate(compliantDeployment(), (p) => {
      delete podSpec(p).securityContext;
      for (const c of [...podSpec(p).containers, ...podSpec(p).initContainers])
        c.securityContext.seccompProfile = { type: "RuntimeDefault" };
    });
    await expectPass(missingSeccompProfile, podUnset);
    await expectPass(
      missingSeccompProfile,
      mutate(compliantDeployment(), (p) => delete mainContainer(p).securityContext),
    );
  });

  it("does not report a Patch that leaves the profile unset, but reports one that sets Unconfined", async () => {
    const asPatch = (change: (p: any) => void) =>
      mutate(compliantDeployment(), (p, r) => {
        r.type = K8S_WORKLOADS.deploymentPatch;
        change(p);
      });
    await expectPass(
      missingSeccompProfile,
      asPatch((p) => delete podSpec(p).securityContext.seccompProfile),
    );
    await expectViolation(
      missingSeccompProfile,
      asPatch((p) => (mainContainer(p).securityContext.seccompProfile = { type: "Unconfined" })),
      'DeploymentPatch "coder-workspaces/coder-workspace" container "dev"',
      /with seccomp profile Unconfined/,
    );
  });

  it("at the remediate level adds RuntimeDefault where a Pod and a Deployment keep their pod spec", async () => {
    for (const workload of [compliantPod(), compliantDeployment()]) {
      const bare = mutate(workload, (p) => delete podSpec(p).securityContext.seccompProfile);
      const o = await runResourcePolicy(missingSeccompProfile, bare, REMEDIATE);
      assert.deepStrictEqual(o.violations, [], show(o));
      const expected = structuredClone(bare.props) as any;
      podSpec(expected).securityContext.seccompProfile = { type: "RuntimeDefault" };
      assert.deepStrictEqual(o.remediated, expected, workload.type);
    }
  });

  for (const [groupVersion, kind] of SDK_WORKLOAD_KINDS) {
    it(`at the remediate level adds RuntimeDefault to a ${kind} of ${groupVersion}, where it keeps its pod spec`, async () => {
      const bare = workloadOf(groupVersion, kind, compliantPodSpec());
      delete podSpec(bare.props).securityContext.seccompProfile;
      const o = await runResourcePolicy(missingSeccompProfile, bare, REMEDIATE);
      assert.deepStrictEqual(o.violations, [], show(o));
      const expected = structuredClone(bare.props) as any;
      podSpec(expected).securityContext.seccompProfile = { type: "RuntimeDefault" };
      assert.deepStrictEqual(o.remediated, expected);
    });
  }

  it("at the remediate level adds a pod securityContext where neither the pod nor a container has one", async () => {
    const bare = mutate(compliantDeployment(), (p) => {
      delete podSpec(p).securityContext;
      delete mainContainer(p).securityContext;
    });
    const o = await runResourcePolicy(missingSeccompProfile, bare, REMEDIATE);
    assert.deepStrictEqual(o.violations, [], show(o));
    const expected = structuredClone(bare.props) as any;
    podSpec(expected).securityContext = { seccompProfile: { type: "RuntimeDefault" } };
    assert.deepStrictEqual(o.remediated, expected);
  });

  it("at the remediate level leaves a Patch alone, as it may not carry the whole pod spec", async () => {
    const patch = mutate(compliantDeployment(), (p, r) => {
      r.type = K8S_WORKLOADS.deploymentPatch;
      delete podSpec(p).securityContext.seccompProfile;
    });
    const o = await runResourcePolicy(missingSeccompProfile, patch, REMEDIATE);
    assert.strictEqual(o.remediated, undefined);
    assert.strictEqual(o.notApplicable, "Policy only remediates complete workload resources");
  });

  it("at the remediate level does not add a profile while a container is unknown during preview", async () => {
    const computed = mutate(compliantDeployment(), (p) => {
      delete podSpec(p).securityContext.seccompProfile;
      podSpec(p).containers.push(unknown.object);
    });
    const o = await runResourcePolicy(missingSeccompProfile, computed, REMEDIATE);
    assert.strictEqual(o.remediated, undefined, show(o));
    assert.match(o.remediationDiagnostic ?? "", /can't be known during preview/);
  });
});
