// The local stack deployed by the real Pulumi CLI into a real kube-apiserver, with the policy pack
// enforcing, offline. What the API server holds is checked through its own API, not Pulumi's output.
// The tests run in order: each builds on the state the previous one left.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { quotaFor } from "../../components/quotas";
import { stackConfig } from "../harness/stacks";
import { startCluster, TestCluster } from "./harness/cluster";
import { KubeApi, serviceAccountUser } from "./harness/kube-api";
import { PulumiCli } from "./harness/pulumi-cli";
import { createLocalStack, KIND_DEFAULT_CLASS, policyArgs } from "../../scripts/sandbox/local-stack";
import { workspacePod } from "./workspace-pod";

const ROOT = path.resolve(__dirname, "..", "..");
const STACK = "e2e";
const POLICY_ARGS = policyArgs(ROOT);
const INSECURE_PROGRAM = path.join(ROOT, "test", "e2e", "programs", "insecure");
const local = stackConfig("local");
/** Where Pulumi would put stack files by default; the suite keeps its own in the work directory. */
const PROJECT_DIRS = [path.join(ROOT, "stacks"), INSECURE_PROGRAM];
const listProjectDirs = () => PROJECT_DIRS.flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f)));
const WORKSPACES = local.workspaces.namespaces[0];

describe("local stack against a real API server (e2e)", function () {
  let workDir: string;
  let cluster: TestCluster;
  let kube: KubeApi;
  let cli: PulumiCli;
  let tlsKey: string;
  /** `--stack` and `--config-file`: the stack file lives in the work directory, not in `stacks/`. */
  let stackArgs: string[];
  let projectFilesBefore: string[];
  const timings: Record<string, number> = {};
  const timed = <T>(label: string, fn: () => T): T => {
    const start = Date.now();
    try {
      return fn();
    } finally {
      timings[label] = (Date.now() - start) / 1000;
    }
  };

  before(function () {
    projectFilesBefore = listProjectDirs();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-blueprint-e2e-"));
    cluster = timed("cluster start", () => startCluster(path.join(workDir, "kube")));
    kube = new KubeApi(cluster);
    cli = new PulumiCli(workDir, "e2e-passphrase");
    // The ambient-provider case must find *a* cluster so that only the policy can stop it.
    cli.env.KUBECONFIG = cluster.kubeconfig;

    // What kind and EKS ship: a default class the blueprint must demote.
    return kube
      .post("/apis/storage.k8s.io/v1/storageclasses", KIND_DEFAULT_CLASS)
      .then((r) => assert.strictEqual(r.status, 201, JSON.stringify(r.body)))
      .then(() => {
        const stack = createLocalStack(cli, ROOT, STACK, cluster, workDir);
        tlsKey = stack.tlsPrivateKey;
        stackArgs = stack.args;
        assert.match(fs.readFileSync(stack.stackFile, "utf8"), /secure:/, "the secret did not reach the stack file");
      });
  });

  after(function () {
    if (cluster) cluster.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    console.log(`    e2e timings (s): ${JSON.stringify(timings)}`);
  });

  it("previews the local stack with the policy pack and no mandatory violation", () => {
    const output = timed("preview", () => cli.ok(ROOT, ["preview", ...stackArgs, ...POLICY_ARGS]));
    assert.match(output, /coder-blueprint-policies@v[\d.]+/, "the policy pack did not run");
    assert.doesNotMatch(output, /\[mandatory\]/);
  });

  it("deploys it with `pulumi up`, and the API server holds every object", async () => {
    timed("up", () => cli.ok(ROOT, ["up", "--yes", ...stackArgs, ...POLICY_ARGS]));
    for (const ns of [local.controlPlane.namespace, WORKSPACES]) {
      const namespace = await kube.get(`/api/v1/namespaces/${ns}`);
      assert.strictEqual(namespace.status, 200, ns);
      assert.ok(namespace.body.metadata.labels["pod-security.kubernetes.io/enforce"]);
      const deny = await kube.get(`/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/default-deny-all`);
      assert.strictEqual(deny.status, 200, `no default-deny in ${ns}`);
      assert.deepStrictEqual([...deny.body.spec.policyTypes].sort(), ["Egress", "Ingress"]);
      const defaultSa = await kube.get(`/api/v1/namespaces/${ns}/serviceaccounts/default`);
      assert.strictEqual(defaultSa.body.automountServiceAccountToken, false, `default SA in ${ns} still mounts tokens`);
    }
    const cls = await kube.get(`/apis/storage.k8s.io/v1/storageclasses/${local.storage.workspaceClass.name}`);
    assert.strictEqual(cls.body.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
    const standard = await kube.get("/apis/storage.k8s.io/v1/storageclasses/standard");
    assert.strictEqual(standard.body.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "false");
    const tls = await kube.get(`/api/v1/namespaces/${local.controlPlane.namespace}/secrets/coder-tls`);
    assert.strictEqual(tls.body.type, "kubernetes.io/tls");
    const policies = await kube.get("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies");
    assert.deepStrictEqual(policies.body.items.map((p: any) => p.metadata.name).sort(), [
      "coder-workspace-ephemeral-storage",
      "coder-workspace-pods",
      "coder-workspace-volume-size",
    ]);
  });

  it("holds the configured quota figures", async () => {
    const quota = await kube.get(`/api/v1/namespaces/${WORKSPACES}/resourcequotas/workspace-quota`);
    assert.deepStrictEqual(quota.body.spec.hard, quotaFor(local.workspaces));
    const limits = await kube.get(`/api/v1/namespaces/${WORKSPACES}/limitranges/workspace-limits`);
    const container = limits.body.spec.limits.find((l: any) => l.type === "Container");
    assert.strictEqual(container.max["ephemeral-storage"], local.workspaces.size.ephemeralStorage);
  });

  it("reports no changes on a second `up`, and no drift on refresh", () => {
    timed("second up", () => cli.ok(ROOT, ["up", "--yes", "--expect-no-changes", ...stackArgs, ...POLICY_ARGS]));
    timed("refresh", () => cli.ok(ROOT, ["refresh", "--yes", "--expect-no-changes", ...stackArgs]));
  });

  it("scopes coderd's service account exactly, as the API server's RBAC decides", async () => {
    const coderd = serviceAccountUser(local.controlPlane.namespace, local.controlPlane.serviceAccountName);
    assert.strictEqual(await kube.can(coderd, "create", "pods", WORKSPACES), true);
    assert.strictEqual(await kube.can(coderd, "create", "persistentvolumeclaims", WORKSPACES), true);
    assert.strictEqual(await kube.can(coderd, "create", "deployments", WORKSPACES, "apps"), true);
    assert.strictEqual(await kube.can(coderd, "create", "pods", "kube-system"), false);
    assert.strictEqual(await kube.can(coderd, "create", "pods", local.controlPlane.namespace), false);
    assert.strictEqual(await kube.can(coderd, "list", "secrets"), false);
    assert.strictEqual(await kube.can(coderd, "get", "secrets", WORKSPACES), false);
    assert.strictEqual(
      await kube.can(coderd, "create", "clusterrolebindings", undefined, "rbac.authorization.k8s.io"),
      false,
    );
    const workspace = serviceAccountUser(WORKSPACES, local.workspaces.serviceAccountName);
    assert.strictEqual(await kube.can(workspace, "list", "pods", WORKSPACES), false);
  });

  describe("admission rules for what coderd creates at run time", () => {
    const create = (pod: any) => kube.post(`/api/v1/namespaces/${WORKSPACES}/pods`, pod);
    const rejected = async (pod: any, reason: RegExp) => {
      const response = await create(pod);
      assert.ok(response.status >= 400, `${pod.metadata.name} was admitted`);
      assert.match(response.body.message, reason);
    };

    it("admits a compliant workspace pod", async () => {
      const response = await create(workspacePod("compliant"));
      assert.strictEqual(response.status, 201, JSON.stringify(response.body.message));
      await kube.delete(`/api/v1/namespaces/${WORKSPACES}/pods/compliant`);
    });

    it("rejects a privileged pod", async () => {
      const pod = workspacePod("privileged");
      // The API server itself refuses privileged together with allowPrivilegeEscalation: false.
      pod.spec.containers[0].securityContext = { privileged: true };
      await rejected(pod, /PodSecurity.*privileged|coder-workspace-pods.*privileged/);
    });

    it("rejects a hostPath pod", async () => {
      const pod = workspacePod("hostpath");
      pod.spec.volumes = [{ name: "host", hostPath: { path: "/var/run" } }];
      await rejected(pod, /hostPath/);
    });

    it("rejects a pod with an image outside the approved registries", async () => {
      const pod = workspacePod("unapproved");
      pod.spec.containers[0].image = "docker.io/library/ubuntu:24.04";
      await rejected(pod, /coder-workspace-pods.*approved registry/);
    });

    it("rejects a pod that mounts a service account token", async () => {
      const pod = workspacePod("token");
      pod.spec.automountServiceAccountToken = true;
      await rejected(pod, /coder-workspace-pods.*automountServiceAccountToken/);
    });

    it("rejects a Deployment whose pods would break the rules", async () => {
      const pod = workspacePod("deploy");
      pod.spec.containers[0].image = "evil.example/miner:1";
      const response = await kube.post(`/apis/apps/v1/namespaces/${WORKSPACES}/deployments`, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "miner" },
        spec: {
          selector: { matchLabels: { app: "miner" } },
          template: { metadata: { labels: { app: "miner" } }, spec: pod.spec },
        },
      });
      assert.ok(response.status >= 400);
      assert.match(response.body.message, /approved registry/);
    });

    it("rejects a pod that mounts a token through a projected volume, or a Secret", async () => {
      const projected = workspacePod("projected");
      projected.spec.volumes = [
        { name: "t", projected: { sources: [{ serviceAccountToken: { path: "t", expirationSeconds: 3600 } }] } },
      ];
      await rejected(projected, /coder-workspace-pods.*projected volumes/);
      const secret = workspacePod("secret");
      secret.spec.volumes = [{ name: "s", secret: { secretName: "coder-tls" } }];
      await rejected(secret, /coder-workspace-pods.*allowedSecrets/);
    });

    it("still holds when someone relaxes Pod Security and deletes the LimitRange, and `up` repairs the drift", async () => {
      // The admission policies are the layer under Pod Security and the LimitRange: take those away
      // out of band, and the policies alone must still reject each object.
      const namespacePath = `/api/v1/namespaces/${WORKSPACES}`;
      const relaxed = await kube.mergePatch(namespacePath, {
        metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } },
      });
      assert.strictEqual(relaxed.status, 200, JSON.stringify(relaxed.body));
      const removed = await kube.delete(`${namespacePath}/limitranges/workspace-limits`);
      assert.strictEqual(removed.status, 200);

      const privileged = workspacePod("privileged-2");
      privileged.spec.containers[0].securityContext = { privileged: true };
      await rejected(privileged, /coder-workspace-pods.*privileged/);
      const hostPath = workspacePod("hostpath-2");
      hostPath.spec.volumes = [{ name: "host", hostPath: { path: "/" } }];
      await rejected(hostPath, /coder-workspace-pods.*hostPath/);
      const hostNetwork = workspacePod("hostnetwork");
      hostNetwork.spec.hostNetwork = true;
      await rejected(hostNetwork, /coder-workspace-pods.*hostNetwork/);
      const noEphemeral = workspacePod("no-ephemeral");
      delete noEphemeral.spec.containers[0].resources.limits["ephemeral-storage"];
      await rejected(noEphemeral, /coder-workspace-ephemeral-storage/);
      const huge = await kube.post(`${namespacePath}/persistentvolumeclaims`, {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "huge" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Ti" } } },
      });
      assert.ok(huge.status >= 400, "a 1Ti workspace volume was admitted");
      assert.match(huge.body.message, /coder-workspace-volume-size/);

      timed("repair up", () => cli.ok(ROOT, ["up", "--yes", "--refresh", ...stackArgs, ...POLICY_ARGS]));
      const namespace = await kube.get(namespacePath);
      assert.strictEqual(
        namespace.body.metadata.labels["pod-security.kubernetes.io/enforce"],
        local.workspaces.podSecurity.enforce,
        "up did not restore Pod Security",
      );
      const restored = await kube.get(`${namespacePath}/limitranges/workspace-limits`);
      assert.strictEqual(restored.status, 200, "up did not restore the LimitRange");
    });

    it("rejects a workspace volume over the configured size (the LimitRange caps it first)", async () => {
      const response = await kube.post(`/api/v1/namespaces/${WORKSPACES}/persistentvolumeclaims`, {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "huge" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Ti" } } },
      });
      assert.ok(response.status >= 400, "a 1Ti workspace volume was admitted");
    });
  });

  describe("insecure changes are blocked at preview", () => {
    // [case, policy, and where the same policy fires for other reasons too, what it must say about this case]
    const cases: Array<[string, string, RegExp?]> = [
      ["unencrypted-default-storage-class", "unencrypted-storage-class"],
      ["namespace-without-default-deny", "missing-default-deny-network-policy"],
      ["namespace-without-admission", "missing-workspace-admission"],
      ["coderd-cluster-admin", "cluster-admin-binding"],
      ["privileged-pod", "privileged-containers"],
      ["workspace-load-balancer", "exposed-workspace-service"],
      ["ambient-provider", "ambient-kubernetes-provider"],
      ["patched-admission-policy", "patched-blueprint-security-object", /patches a workspace admission policy/],
      ["service-patch-internet-facing", "internet-facing-load-balancer", /patches the load-balancer scheme/],
      ["beta-default-storage-class", "unencrypted-storage-class"],
      ["provider-without-context", "ambient-kubernetes-provider", /without a context/],
      ["split-allow-all-egress", "open-network-policy-rule", /opens ipBlock 0\.0\.0\.0\/1 on TCP 1-442/],
      ["absurd-quota", "workspace-namespace-without-quota", /quota on requests\.storage 1Pi, above the stack's/],
      // --- Judged by effect.
      ["coderd-pods-in-unlabelled-namespace", "unlabelled-workspace-namespace"],
      ["binding-to-built-in-edit", "dangerous-rbac-grant"],
      ["host-port-pod", "pod-security-standards"],
      ["in-tree-scheme-load-balancer", "internet-facing-load-balancer"],
      ["unencrypted-auto-mode-class", "unencrypted-storage-class"],
      ["unapproved-mutating-webhook", "unapproved-mutating-webhook"],
      // --- End of the effect-judged cases.
      // --- Coder's switches and secrets, on a stand-in for Coder's chart (programs/insecure/charts/coder).
      [
        "coder-oidc-email-unverified",
        "coder-release-oidc-email-unverified",
        /CODER_OIDC_IGNORE_EMAIL_VERIFIED is "TRUE"/,
      ],
      [
        "coder-owner-access-by-flag",
        "coder-release-owner-workspace-access",
        /CODER_DISABLE_OWNER_WORKSPACE_ACCESS is "false" \(coder\.commandArgs flag --disable-owner-workspace-access\)/,
      ],
      [
        "coder-plaintext-secret",
        "coder-release-plaintext-secrets",
        /sets CODER_PROVISIONER_DAEMON_PSK with a literal value/,
      ],
    ];
    for (const [insecureCase, policy, detail] of cases) {
      it(`${insecureCase} is stopped by ${policy}`, () => {
        const caseArgs = ["--stack", insecureCase, "--config-file", cli.initStack(INSECURE_PROGRAM, insecureCase)];
        for (const [key, value] of [
          ["case", insecureCase],
          ["kubeconfig", cluster.kubeconfig],
          ["context", cluster.context],
        ]) {
          cli.ok(INSECURE_PROGRAM, ["config", "set", key, value, ...caseArgs]);
        }
        const result = timed(`blocked ${insecureCase}`, () =>
          cli.run(INSECURE_PROGRAM, ["preview", ...caseArgs, ...POLICY_ARGS]),
        );
        assert.notStrictEqual(result.code, 0, `preview of ${insecureCase} succeeded:\n${result.output.slice(-3000)}`);
        assert.match(result.output, new RegExp(`\\[mandatory\\][^\\n]*\\b${policy}\\b`), result.output.slice(-3000));
        if (detail) assert.match(result.output, detail, result.output.slice(-3000));
      });
    }
  });

  // Mocha runs a suite's own tests before its nested suites, so the end of the story is a suite too.
  describe("state and teardown", () => {
    it("keeps every secret encrypted in the exported state", () => {
      const state = cli.ok(ROOT, ["stack", "export", "--stack", STACK]);
      const keyLines = tlsKey.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"));
      assert.ok(keyLines.length > 0);
      for (const line of keyLines) {
        assert.ok(!state.includes(line), "the TLS private key is in the state in plain text");
      }
      assert.doesNotMatch(state, /BEGIN (EC |RSA )?PRIVATE KEY/);
      assert.match(state, /"ciphertext"/, "no secret was recorded as a Pulumi secret");
    });

    it("destroys everything it created", async () => {
      timed("destroy", () => cli.ok(ROOT, ["destroy", "--yes", ...stackArgs]));
      const gone = async (apiPath: string) => {
        for (let i = 0; i < 120; i++) {
          if ((await kube.get(apiPath)).status === 404) return;
          await new Promise((r) => setTimeout(r, 500));
        }
        assert.fail(`${apiPath} still exists after destroy`);
      };
      await gone(`/api/v1/namespaces/${local.controlPlane.namespace}`);
      await gone(`/api/v1/namespaces/${WORKSPACES}`);
      await gone(`/apis/storage.k8s.io/v1/storageclasses/${local.storage.workspaceClass.name}`);
      await gone("/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/coder-workspace-pods");
      const standard = await kube.get("/apis/storage.k8s.io/v1/storageclasses/standard");
      assert.strictEqual(standard.status, 200, "destroy removed a class the stack only patched");
    });

    it("wrote no stack file into the repository", () => {
      assert.deepStrictEqual(listProjectDirs(), projectFilesBefore);
    });
  });
});
