import { workloadAsCoderdServiceAccount } from "../policies/kubernetes/workload-as-coderd-service-account";
import { expectPass, expectViolation } from "./expect";
import { compliantCronJob, compliantDeployment, compliantPod, CONTROL_PLANE_NS, podSpec } from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";

const asCoderd = <T extends { props: any }>(r: T, field = "serviceAccountName") =>
  mutate(r as any, (p) => (podSpec(p)[field] = "coder")) as T;

describe("workload-as-coderd-service-account", () => {
  it("passes workloads with their own service account, and coder elsewhere than coderd's namespace", async () => {
    await expectPass(workloadAsCoderdServiceAccount, compliantDeployment(CONTROL_PLANE_NS));
    await expectPass(workloadAsCoderdServiceAccount, asCoderd(compliantDeployment("coder-workspaces")));
  });

  it("fails a Deployment, a CronJob and a Pod running as coderd's service account", async () => {
    for (const [r, who] of [
      [asCoderd(compliantDeployment(CONTROL_PLANE_NS)), 'Deployment "coder/coder-workspace"'],
      [asCoderd(compliantCronJob(CONTROL_PLANE_NS)), 'CronJob "coder/cleanup"'],
      [asCoderd(compliantPod(CONTROL_PLANE_NS), "serviceAccount"), 'Pod "coder/coder-pod"'],
    ] as const) {
      await expectViolation(workloadAsCoderdServiceAccount, r, who, /runs as coderd's service account "coder\/coder"/);
    }
  });

  it("fails a custom resource whose pod template runs as coderd's service account", async () => {
    const workflow = resource("kubernetes:argoproj.io/v1alpha1:CronWorkflow", "wf", {
      metadata: { name: "nightly", namespace: CONTROL_PLANE_NS },
      spec: {
        workflowSpec: { podSpecPatch: "", templates: [{ name: "main", ...podSpec(asCoderd(compliantPod()).props) }] },
      },
    });
    await expectViolation(workloadAsCoderdServiceAccount, workflow, 'CronWorkflow "coder/nightly"', /runs as coderd's/);
  });

  it("follows the configured coderd namespace and service account", async () => {
    const settings = {
      config: { "workload-as-coderd-service-account": { coderdNamespace: "ctl", coderdServiceAccount: "cd" } },
    };
    const inCtl = mutate(compliantDeployment("ctl"), (p) => (podSpec(p).serviceAccountName = "cd"));
    await expectViolation(
      workloadAsCoderdServiceAccount,
      inCtl,
      'Deployment "ctl/coder-workspace"',
      /: runs as coderd's service account "ctl\/cd", so it can create pods in every workspace namespace; give it its own ServiceAccount\.$/,
      settings,
    );
    await expectPass(workloadAsCoderdServiceAccount, asCoderd(compliantDeployment(CONTROL_PLANE_NS)), settings);
  });
});
