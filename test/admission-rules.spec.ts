// The admission rules as rendered for the local stack, evaluated against the objects coderd would create.
import "./harness/mocks";
import * as assert from "assert";
import { denials, PolicySpec } from "./harness/admission";
import { deployUnderMocks } from "./harness/deploy";
import { ofType } from "./harness/resources";
import { stackConfig } from "./harness/stacks";

/** A workspace pod as a hardened Coder Kubernetes template creates it. */
function compliantPod(): any {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "coder-ws-1", namespace: "coder-workspaces" },
    spec: {
      automountServiceAccountToken: false,
      serviceAccountName: "coder-workspace",
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        fsGroup: 1000,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: "dev",
          image: "ghcr.io/coder/enterprise-base:ubuntu-2026",
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          resources: { limits: { cpu: "2", memory: "4Gi", "ephemeral-storage": "5Gi" } },
          volumeMounts: [{ name: "home", mountPath: "/home/coder" }],
        },
      ],
      volumes: [{ name: "home", persistentVolumeClaim: { claimName: "coder-ws-1-home" } }],
    },
  };
}

function asDeployment(pod: any): any {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: pod.metadata,
    spec: { replicas: 1, template: { metadata: {}, spec: pod.spec } },
  };
}

describe("workspace admission rules (CEL)", () => {
  const cfg = stackConfig("local");
  let policies: Record<string, PolicySpec>;
  before(async () => {
    const resources = await deployUnderMocks(cfg);
    policies = Object.fromEntries(
      ofType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").map((p) => [
        p.inputs.metadata.name,
        p.inputs.spec,
      ]),
    );
  });
  const podRules = () => policies["coder-workspace-pods"];

  it("admits a compliant workspace pod, and the same pod as a Deployment", () => {
    assert.deepStrictEqual(denials(podRules(), compliantPod()), []);
    assert.deepStrictEqual(denials(podRules(), asDeployment(compliantPod())), []);
    assert.deepStrictEqual(denials(policies["coder-workspace-ephemeral-storage"], compliantPod()), []);
  });

  const violations: Array<[string, (pod: any) => void, RegExp]> = [
    ["a privileged container", (p) => (p.spec.containers[0].securityContext = { privileged: true }), /privileged/],
    [
      "a hostPath volume",
      (p) => p.spec.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } }),
      /hostPath/,
    ],
    ["hostNetwork", (p) => (p.spec.hostNetwork = true), /hostNetwork/],
    ["hostPID", (p) => (p.spec.hostPID = true), /hostPID/],
    [
      "an image from an unapproved registry",
      (p) => (p.spec.containers[0].image = "docker.io/library/ubuntu:24.04"),
      /approved registry/,
    ],
    [
      "an unapproved init container image",
      (p) => (p.spec.initContainers = [{ ...p.spec.containers[0], name: "init", image: "evil.example/x:1" }]),
      /approved registry/,
    ],
    [
      "an added capability",
      (p) => (p.spec.containers[0].securityContext.capabilities.add = ["SYS_ADMIN"]),
      /capabilities/,
    ],
    [
      "a mounted service account token",
      (p) => (p.spec.automountServiceAccountToken = true),
      /automountServiceAccountToken/,
    ],
    ["no automount setting at all", (p) => delete p.spec.automountServiceAccountToken, /automountServiceAccountToken/],
    [
      "a projected service account token",
      (p) =>
        p.spec.volumes.push({
          name: "token",
          projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }] },
        }),
      /projected volumes/,
    ],
    [
      "a mounted Secret",
      (p) => p.spec.volumes.push({ name: "creds", secret: { secretName: "coder-registry-pull" } }),
      /allowedSecrets/,
    ],
    [
      "a Secret read into the environment",
      (p) =>
        (p.spec.containers[0].env = [
          { name: "T", valueFrom: { secretKeyRef: { name: "coder-credentials", key: "x" } } },
        ]),
      /allowedSecrets/,
    ],
    [
      "a Secret read through envFrom",
      (p) => (p.spec.containers[0].envFrom = [{ secretRef: { name: "anything" } }]),
      /allowedSecrets/,
    ],
  ];
  for (const [what, mutate, message] of violations) {
    it(`denies a workspace pod with ${what}, directly and through a Deployment`, () => {
      const pod = compliantPod();
      mutate(pod);
      const direct = denials(podRules(), pod);
      assert.strictEqual(direct.length, 1, `expected one denial, got ${JSON.stringify(direct)}`);
      assert.match(direct[0], message);
      assert.deepStrictEqual(denials(podRules(), asDeployment(pod)), direct);
    });
  }

  it("denies a container without an ephemeral-storage limit", () => {
    const pod = compliantPod();
    delete pod.spec.containers[0].resources.limits["ephemeral-storage"];
    assert.match(denials(policies["coder-workspace-ephemeral-storage"], pod).join(), /ephemeral-storage/);
    pod.spec.containers[0].resources = {};
    assert.strictEqual(denials(policies["coder-workspace-ephemeral-storage"], pod).length, 1);
  });

  it("caps workspace volumes at the configured home disk size", () => {
    const pvc = (size: string) => ({
      kind: "PersistentVolumeClaim",
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } },
    });
    const rules = policies["coder-workspace-volume-size"];
    assert.deepStrictEqual(denials(rules, pvc(cfg.workspaces.size.homeDisk)), []);
    assert.deepStrictEqual(denials(rules, pvc("1Gi")), []);
    assert.match(denials(rules, pvc("11Gi")).join(), new RegExp(`at most ${cfg.workspaces.size.homeDisk}`));
    assert.strictEqual(denials(rules, pvc("1Ti")).length, 1);
  });

  it("allows the Secrets the stack lists, and only those", async () => {
    const resources = await deployUnderMocks(
      stackConfig("local", { admission: { allowedSecrets: ["dotfiles-deploy-key"] } }),
    );
    const rules = ofType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").find(
      (p) => p.inputs.metadata.name === "coder-workspace-pods",
    )!.inputs.spec;
    const pod = compliantPod();
    pod.spec.volumes.push({ name: "key", secret: { secretName: "dotfiles-deploy-key" } });
    assert.deepStrictEqual(denials(rules, pod), []);
    pod.spec.containers[0].envFrom = [{ secretRef: { name: "coder-registry-pull" } }];
    assert.strictEqual(denials(rules, pod).length, 1);
  });

  it("allows only the capabilities the stack lists", async () => {
    const resources = await deployUnderMocks(
      stackConfig("local", { admission: { allowedCapabilities: ["NET_BIND_SERVICE"] } }),
    );
    const rules = ofType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").find(
      (p) => p.inputs.metadata.name === "coder-workspace-pods",
    )!.inputs.spec;
    const pod = compliantPod();
    pod.spec.containers[0].securityContext.capabilities.add = ["NET_BIND_SERVICE"];
    assert.deepStrictEqual(denials(rules, pod), []);
    pod.spec.containers[0].securityContext.capabilities.add.push("NET_RAW");
    assert.strictEqual(denials(rules, pod).length, 1);
  });
});
