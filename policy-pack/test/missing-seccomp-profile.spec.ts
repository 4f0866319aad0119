import * as assert from "assert";
import { missingSeccompProfile } from "../policies/kubernetes/missing-seccomp-profile";
import { runResourcePolicy } from "./harness/analyzer";
import { expectPass, expectViolation, show } from "./expect";
import { compliantCronJob, compliantDeployment, mainContainer, podSpec } from "./fixtures/kubernetes";
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
});
