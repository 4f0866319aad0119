// The workspace admission rules alone, in a real kube-apiserver: the policies and bindings the local
// stack renders are submitted to the API server, the workspace namespace's Pod Security is relaxed to
// privileged and there is no LimitRange, so each rejection below is the admission rule's own. Every
// bypass form is sent as coderd (or anyone with its rights) would send it: a Pod, a workload's template,
// an in-place UPDATE, and an ephemeral container added through the pods/ephemeralcontainers subresource.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { admissionSettings } from "../../blueprint";
import { admissionPolicies } from "../../components/admission";
import { stackConfig } from "../harness/stacks";
import { startCluster, TestCluster } from "./harness/cluster";
import { ApiResponse, KubeApi } from "./harness/kube-api";
import { workspacePod } from "./workspace-pod";

const local = stackConfig("local");
const NS = local.workspaces.namespaces[0];
const POLICIES = admissionPolicies(admissionSettings(local), local.workspaces.namespaces);

const WORKLOADS: Array<[string, string, (name: string, spec: any) => any]> = [
  [
    "Deployment",
    "/apis/apps/v1",
    (name, spec) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
    }),
  ],
  [
    "Job",
    "/apis/batch/v1",
    (name, spec) => ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name },
      spec: { template: { spec: { ...spec, restartPolicy: "Never" } } },
    }),
  ],
  [
    "CronJob",
    "/apis/batch/v1",
    (name, spec) => ({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name },
      spec: {
        schedule: "0 0 * * *",
        jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: "Never" } } } },
      },
    }),
  ],
];

const plural = (kind: string) => `${kind.toLowerCase()}s`;

describe("workspace admission rules alone, in a real API server (e2e)", function () {
  let workDir: string;
  let cluster: TestCluster;
  let kube: KubeApi;
  const podsPath = `/api/v1/namespaces/${NS}/pods`;

  const denied = (response: ApiResponse, policy: string, reason: RegExp, what: string) => {
    assert.ok(response.status >= 400, `${what} was admitted`);
    const message = String(response.body?.message ?? "");
    assert.match(message, new RegExp(policy), `${what}: ${message}`);
    assert.match(message, reason, `${what}: ${message}`);
    assert.doesNotMatch(message, /PodSecurity/, `${what} was stopped by Pod Security, not the admission rule`);
  };

  before(async function () {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-blueprint-admission-e2e-"));
    cluster = startCluster(path.join(workDir, "kube"));
    kube = new KubeApi(cluster);
    const namespace = await kube.post("/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: NS, labels: { "pod-security.kubernetes.io/enforce": "privileged" } },
    });
    assert.strictEqual(namespace.status, 201, JSON.stringify(namespace.body));
    // Pods name the default ServiceAccount; the controller may not have created it yet.
    const sa = await kube.post(`/api/v1/namespaces/${NS}/serviceaccounts`, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "default" },
    });
    assert.ok([201, 409].includes(sa.status), JSON.stringify(sa.body));
    for (const { name, policy, binding } of POLICIES) {
      const created = await kube.post("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name },
        spec: policy,
      });
      assert.strictEqual(created.status, 201, JSON.stringify(created.body));
      const bound = await kube.post("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings", {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name },
        spec: binding,
      });
      assert.strictEqual(bound.status, 201, JSON.stringify(bound.body));
    }
    // The API server picks new policies up asynchronously: wait until a known breach is refused.
    const probe = workspacePod("probe");
    probe.spec.hostIPC = true;
    for (let attempt = 0; ; attempt++) {
      const response = await kube.post(podsPath, probe);
      if (response.status >= 400 && /coder-workspace-pods/.test(response.body?.message)) break;
      if (response.status === 201) await kube.delete(`${podsPath}/probe`);
      assert.ok(attempt < 60, `the admission policies never took effect: ${JSON.stringify(response.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });

  after(function () {
    if (cluster) cluster.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("admits the compliant pod, with an init container and as a workload of every kind", async () => {
    const pod = workspacePod("compliant");
    pod.spec.initContainers = [{ ...pod.spec.containers[0], name: "init" }];
    const response = await kube.post(podsPath, pod);
    assert.strictEqual(response.status, 201, JSON.stringify(response.body));
    for (const [kind, api, wrap] of WORKLOADS) {
      const created = await kube.post(`${api}/namespaces/${NS}/${plural(kind)}`, wrap(`ok-${plural(kind)}`, pod.spec));
      assert.strictEqual(created.status, 201, `${kind}: ${JSON.stringify(created.body)}`);
    }
  });

  const podBreaches: Array<[string, (pod: any) => void, RegExp]> = [
    ["hostNetwork", (p) => (p.spec.hostNetwork = true), /hostNetwork/],
    ["hostPID", (p) => (p.spec.hostPID = true), /hostPID/],
    ["hostIPC", (p) => (p.spec.hostIPC = true), /hostIPC/],
    ["a privileged init container", (p) => (p.spec.initContainers = [privileged("init")]), /privileged/],
    [
      "a Secret through a projected volume",
      (p) => (p.spec.volumes = [{ name: "s", projected: { sources: [{ secret: { name: "coder-credentials" } }] } }]),
      /allowedSecrets/,
    ],
    [
      "an image from a look-alike namespace",
      (p) => (p.spec.containers[0].image = "ghcr.io/coder-evil/x:1"),
      /approved/,
    ],
    [
      "an approved prefix under another host",
      (p) => (p.spec.containers[0].image = "evil.io/ghcr.io/coder/x"),
      /approved/,
    ],
    [
      "an unapproved init image",
      (p) => (p.spec.initContainers = [{ ...limited("i"), image: "evil.io/x:1" }]),
      /approved/,
    ],
  ];
  // Init containers carry their own ephemeral-storage limit (there is no LimitRange here), so that the breach
  // under test is the only rule a pod breaks: the API server reports one denying policy, in no fixed order.
  function limited(name: string) {
    return {
      name,
      image: "ghcr.io/coder/enterprise-base:ubuntu",
      resources: { limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": "1Gi" } },
    };
  }
  function privileged(name: string) {
    return { ...limited(name), securityContext: { privileged: true } };
  }

  for (const [what, mutate, reason] of podBreaches) {
    it(`rejects ${what}, as a Pod and in every workload kind`, async () => {
      const pod = workspacePod(`breach-${what.replace(/[^a-z]+/gi, "-").toLowerCase()}`.slice(0, 50));
      mutate(pod);
      denied(await kube.post(podsPath, pod), "coder-workspace-pods", reason, `Pod with ${what}`);
      for (const [kind, api, wrap] of WORKLOADS) {
        const response = await kube.post(`${api}/namespaces/${NS}/${plural(kind)}`, wrap("breach", pod.spec));
        denied(response, "coder-workspace-pods", reason, `${kind} with ${what}`);
      }
    });
  }

  it("rejects an UPDATE that swaps a running pod's image for an unapproved one", async () => {
    const current = await kube.get(`${podsPath}/compliant`);
    assert.strictEqual(current.status, 200);
    const pod = current.body;
    pod.spec.containers[0].image = "ghcr.io/coder-evil/enterprise-base:ubuntu";
    denied(await kube.request("PUT", `${podsPath}/compliant`, pod), "coder-workspace-pods", /approved/, "image swap");
    pod.spec.containers[0].image = "ghcr.io/coder/enterprise-base:ubuntu-2";
    const allowed = await kube.request("PUT", `${podsPath}/compliant`, pod);
    assert.strictEqual(allowed.status, 200, `an approved image update was refused: ${JSON.stringify(allowed.body)}`);
  });

  it("rejects ephemeral containers added through pods/ephemeralcontainers that break the rules", async () => {
    const debug = async (container: any) => {
      const pod = (await kube.get(`${podsPath}/compliant`)).body;
      pod.spec.ephemeralContainers = [...(pod.spec.ephemeralContainers ?? []), container];
      return kube.request("PUT", `${podsPath}/compliant/ephemeralcontainers`, pod);
    };
    denied(
      await debug({ name: "debug-evil", image: "evil.io/toolbox:1" }),
      "coder-workspace-pods",
      /approved/,
      "an unapproved debug image",
    );
    denied(
      await debug({ name: "debug-root", image: "ghcr.io/coder/toolbox:1", securityContext: { privileged: true } }),
      "coder-workspace-pods",
      /privileged/,
      "a privileged debug container",
    );
    denied(
      await debug({
        name: "debug-secret",
        image: "ghcr.io/coder/toolbox:1",
        envFrom: [{ secretRef: { name: "coder-credentials" } }],
      }),
      "coder-workspace-pods",
      /allowedSecrets/,
      "a debug container reading a Secret",
    );
    const ok = await debug({ name: "debug-ok", image: "ghcr.io/coder/toolbox:1" });
    assert.strictEqual(ok.status, 200, `a compliant debug container was refused: ${JSON.stringify(ok.body)}`);
  });
});
