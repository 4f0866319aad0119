// The Kubernetes layer as each shipped stack registers it, read back from the engine's mocks.
import "./harness/mocks";
import * as assert from "assert";
import { clusterProvider } from "../blueprint";
import { multiplyQuantity } from "../config/quantity";
import {
  cidrContains,
  DEFAULT_CLASS_ANNOTATION,
  DEFAULT_DENY_POLICY,
  ENCRYPTED_AT_REST_ANNOTATION,
  ROLE_LABEL,
  WORKSPACE_VERBS,
} from "../policy-pack/contract";
import { capture, RecordedResource } from "./harness/mocks";
import { deployUnderMocks } from "./harness/deploy";
import { inNamespace, ofType, single } from "./harness/resources";
import { isSecret } from "./harness/secrets";
import { SHIPPED_STACKS, stackConfig, TEST_CLUSTER } from "./harness/stacks";

for (const stack of SHIPPED_STACKS) {
  describe(`Kubernetes layer of the ${stack} stack`, () => {
    const cfg = stackConfig(stack);
    const managed = [cfg.controlPlane.namespace, ...cfg.workspaces.namespaces];
    let resources: RecordedResource[];
    before(async () => {
      resources = await deployUnderMocks(cfg);
    });

    it("labels every managed namespace with its role and an enforcing Pod Security level", () => {
      const namespaces = ofType(resources, "kubernetes:core/v1:Namespace");
      assert.deepStrictEqual(namespaces.map((n) => n.inputs.metadata.name).sort(), [...managed].sort());
      for (const ns of namespaces) {
        const labels = ns.inputs.metadata.labels;
        assert.ok(labels[ROLE_LABEL], `${ns.inputs.metadata.name} has no role label`);
        assert.ok(
          ["baseline", "restricted"].includes(labels["pod-security.kubernetes.io/enforce"]),
          `${ns.inputs.metadata.name} enforce level`,
        );
        // `up` takes back a Pod Security label someone relaxed out of band (proved in the e2e suite).
        assert.strictEqual(ns.inputs.metadata.annotations["pulumi.com/patchForce"], "true");
      }
      const coder = namespaces.find((n) => n.inputs.metadata.name === cfg.controlPlane.namespace)!;
      assert.strictEqual(coder.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
      for (const ws of cfg.workspaces.namespaces) {
        const labels = namespaces.find((n) => n.inputs.metadata.name === ws)!.inputs.metadata.labels;
        assert.strictEqual(labels["pod-security.kubernetes.io/enforce"], cfg.workspaces.podSecurity.enforce);
        assert.strictEqual(labels["pod-security.kubernetes.io/warn"], cfg.workspaces.podSecurity.warn);
        assert.strictEqual(labels["pod-security.kubernetes.io/audit"], cfg.workspaces.podSecurity.audit);
      }
    });

    it("denies all ingress and egress by default in every managed namespace", () => {
      for (const ns of managed) {
        const denies = inNamespace(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", ns).filter(
          (p) => p.inputs.metadata.name === DEFAULT_DENY_POLICY,
        );
        const deny = single(denies, `default-deny policy in ${ns}`);
        assert.deepStrictEqual(deny.inputs.spec.podSelector, {});
        assert.deepStrictEqual([...deny.inputs.spec.policyTypes].sort(), ["Egress", "Ingress"]);
        assert.strictEqual(deny.inputs.spec.ingress, undefined);
        assert.strictEqual(deny.inputs.spec.egress, undefined);
      }
    });

    it("never lets a workspace reach cloud metadata, the cluster ranges, the API server, the database, or another workspace", () => {
      const forbidden = [
        "169.254.169.254/32",
        ...cfg.network.podCidrs,
        ...cfg.network.serviceCidrs,
        ...cfg.network.kubernetesApi.cidrs,
        ...(cfg.database?.egress ?? []).map((r) => r.cidr),
      ];
      assert.ok(forbidden.length > 3);
      for (const ns of cfg.workspaces.namespaces) {
        const policies = inNamespace(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", ns);
        for (const p of policies) {
          assert.strictEqual(p.inputs.spec.ingress, undefined, `${p.name} admits ingress into a workspace namespace`);
          for (const rule of p.inputs.spec.egress ?? []) {
            for (const peer of rule.to ?? []) {
              if (peer.podSelector && !peer.namespaceSelector)
                assert.fail(`${p.name} allows egress to pods of its own namespace`);
              if (!peer.ipBlock) continue;
              for (const range of forbidden) {
                assert.ok(
                  !cidrContains(range, peer.ipBlock.cidr),
                  `${p.name}: ${peer.ipBlock.cidr} lies inside ${range}`,
                );
                if (cidrContains(peer.ipBlock.cidr, range)) {
                  assert.ok(
                    (peer.ipBlock.except ?? []).includes(range),
                    `${p.name}: ${peer.ipBlock.cidr} does not except ${range}`,
                  );
                }
              }
            }
          }
        }
      }
    });

    it("makes an encrypted class the default and demotes the classes it replaces", () => {
      const defaults = ofType(resources, "kubernetes:storage.k8s.io/v1:StorageClass").filter(
        (sc) => sc.inputs.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true",
      );
      const sc = single(defaults, "default StorageClass");
      if (sc.inputs.provisioner === "ebs.csi.aws.com") {
        assert.strictEqual(sc.inputs.parameters.encrypted, "true");
        assert.strictEqual(sc.inputs.volumeBindingMode, "WaitForFirstConsumer");
        assert.strictEqual(sc.inputs.allowVolumeExpansion, true);
      } else {
        assert.strictEqual(sc.inputs.metadata.annotations[ENCRYPTED_AT_REST_ANNOTATION], "true");
      }
      assert.strictEqual(sc.inputs.reclaimPolicy, cfg.storage.workspaceClass.reclaimPolicy);
      const demoted = ofType(resources, "kubernetes:storage.k8s.io/v1:StorageClassPatch");
      assert.deepStrictEqual(
        demoted.map((p) => p.inputs.metadata.name).sort(),
        [...cfg.storage.demoteDefaultClasses].sort(),
      );
      for (const p of demoted) assert.strictEqual(p.inputs.metadata.annotations[DEFAULT_CLASS_ANNOTATION], "false");
    });

    it("gives every workspace namespace a quota and limit range with the configured figures", () => {
      const n = cfg.workspaces.maxWorkspaces;
      const size = cfg.workspaces.size;
      for (const ns of cfg.workspaces.namespaces) {
        const quota = single(inNamespace(resources, "kubernetes:core/v1:ResourceQuota", ns), `quota in ${ns}`);
        assert.deepStrictEqual(quota.inputs.spec.hard, {
          "requests.storage": multiplyQuantity(size.homeDisk, n),
          persistentvolumeclaims: String(n),
          "requests.ephemeral-storage": multiplyQuantity(size.ephemeralStorage, n),
          "limits.ephemeral-storage": multiplyQuantity(size.ephemeralStorage, n),
          pods: String(n),
          services: String(n * cfg.workspaces.servicesPerWorkspace),
          "services.loadbalancers": "0",
          "services.nodeports": "0",
          "requests.cpu": multiplyQuantity(size.cpu, n),
          "limits.cpu": multiplyQuantity(size.cpu, n),
          "requests.memory": multiplyQuantity(size.memory, n),
          "limits.memory": multiplyQuantity(size.memory, n),
        });
        const limits = single(inNamespace(resources, "kubernetes:core/v1:LimitRange", ns), `limit range in ${ns}`)
          .inputs.spec.limits;
        const container = limits.find((l: any) => l.type === "Container");
        assert.strictEqual(container.default["ephemeral-storage"], size.ephemeralStorage);
        assert.strictEqual(container.max["ephemeral-storage"], size.ephemeralStorage);
        assert.strictEqual(limits.find((l: any) => l.type === "PersistentVolumeClaim").max.storage, size.homeDisk);
      }
      assert.strictEqual(
        inNamespace(resources, "kubernetes:core/v1:ResourceQuota", cfg.controlPlane.namespace).length,
        0,
      );
    });

    it("grants coderd only namespaced Roles with the chart's exact rule set", () => {
      assert.strictEqual(ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").length, 0);
      assert.strictEqual(ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").length, 0);
      const verbs = [...WORKSPACE_VERBS];
      const expected = [
        { apiGroups: [""], resources: ["pods"], verbs },
        { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs },
        ...(cfg.workspaces.allowDeployments ? [{ apiGroups: ["apps"], resources: ["deployments"], verbs }] : []),
      ];
      const roles = ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:Role");
      assert.deepStrictEqual(
        roles.map((r) => r.inputs.metadata.namespace).sort(),
        [...cfg.workspaces.namespaces].sort(),
      );
      for (const role of roles) assert.deepStrictEqual(role.inputs.rules, expected);
      for (const binding of ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")) {
        assert.deepStrictEqual(binding.inputs.subjects, [
          { kind: "ServiceAccount", name: cfg.controlPlane.serviceAccountName, namespace: cfg.controlPlane.namespace },
        ]);
        assert.strictEqual(binding.inputs.roleRef.kind, "Role");
      }
    });

    it("keeps API tokens out of workspace pods and default service accounts", () => {
      for (const ns of cfg.workspaces.namespaces) {
        const sa = single(
          inNamespace(resources, "kubernetes:core/v1:ServiceAccount", ns),
          `workspace service account in ${ns}`,
        );
        assert.strictEqual(sa.inputs.automountServiceAccountToken, false);
      }
      const patched = ofType(resources, "kubernetes:core/v1:ServiceAccountPatch");
      assert.deepStrictEqual(patched.map((p) => p.inputs.metadata.namespace).sort(), [...managed].sort());
      for (const p of patched) assert.strictEqual(p.inputs.automountServiceAccountToken, false);
    });

    it("sends every Kubernetes resource through the stack's own cluster provider", () => {
      const k8sResources = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
      assert.ok(k8sResources.length > 10);
      for (const r of k8sResources) {
        assert.ok(r.provider, `${r.type} ${r.name} uses the default provider`);
        assert.match(r.provider, /::pulumi:providers:kubernetes::cluster::/, `${r.name} uses ${r.provider}`);
      }
    });
  });
}

describe("workspace egress modes", () => {
  const egressOf = async (overrides: Record<string, unknown>) => {
    const resources = await deployUnderMocks(stackConfig("local", overrides));
    return inNamespace(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "coder-workspaces").find(
      (p) => p.inputs.metadata.name === "workspace-egress",
    )!.inputs.spec.egress;
  };
  const network = stackConfig("local").network;

  it("in open mode allows everything but SSH, and still carves out metadata and cluster ranges", async () => {
    const egress = await egressOf({ network: { ...network, workspaceEgress: { mode: "open" } } });
    const open = egress.filter((r: any) => r.to?.[0]?.ipBlock?.cidr === "0.0.0.0/0");
    assert.strictEqual(open.length, 1);
    const covers22 = open[0].ports.some(
      (p: any) => p.protocol === "TCP" && p.port <= 22 && (p.endPort ?? p.port) >= 22,
    );
    assert.strictEqual(covers22, false, "open mode opens SSH to the internet");
    assert.ok(open[0].ports.some((p: any) => p.port === 23 && p.endPort === 65535));
    for (const range of ["169.254.169.254/32", ...network.podCidrs, ...network.serviceCidrs]) {
      assert.ok(open[0].to[0].ipBlock.except.includes(range), `open mode reaches ${range}`);
    }
  });

  it("in none mode allows only coderd, the ingress controller and the Git hosts", async () => {
    const egress = await egressOf({ network: { ...network, workspaceEgress: { mode: "none" } } });
    assert.ok(
      egress.every((r: any) => r.to?.length > 0 && r.ports?.length > 0),
      "a rule without destinations or ports",
    );
    assert.ok(!egress.some((r: any) => r.to.some((peer: any) => peer.ipBlock?.cidr === "0.0.0.0/0")));
  });

  it("lets agents reach an access URL served by the in-cluster ingress controller", async () => {
    const egress = await egressOf({});
    const toIngress = egress.find((r: any) =>
      r.to.some(
        (peer: any) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "ingress-nginx",
      ),
    );
    assert.ok(toIngress, "no egress to the ingress controller");
    assert.deepStrictEqual(toIngress.ports, [{ port: 443, protocol: "TCP" }]);
  });
});

describe("Coder-only registry account", () => {
  it("is attached to every ServiceAccount workspace pods may run as, and stored as a secret", async () => {
    const resources = await deployUnderMocks(
      stackConfig("local", {
        registry: { approved: ["registry.example.com/coder/"], pull: { mode: "docker-config", account: "coder-pull" } },
      }),
    );
    const pullSecrets = ofType(resources, "kubernetes:core/v1:Secret").filter(
      (s) => s.inputs.type === "kubernetes.io/dockerconfigjson",
    );
    assert.deepStrictEqual(pullSecrets.map((s) => s.inputs.metadata.namespace).sort(), ["coder", "coder-workspaces"]);
    for (const s of pullSecrets) assert.ok(isSecret(s.inputs.stringData), "pull credentials in plain text");
    const workspaceSa = single(
      inNamespace(resources, "kubernetes:core/v1:ServiceAccount", "coder-workspaces"),
      "workspace SA",
    );
    assert.deepStrictEqual(workspaceSa.inputs.imagePullSecrets, [{ name: "coder-registry-pull" }]);
    const defaultSa = inNamespace(resources, "kubernetes:core/v1:ServiceAccountPatch", "coder-workspaces")[0];
    assert.deepStrictEqual(defaultSa.inputs.imagePullSecrets, [{ name: "coder-registry-pull" }]);
  });
});

describe("dedicated cluster rule", () => {
  for (const stack of ["dev", "prod"]) {
    it(`refuses a provider for the ${stack} stack without its own EKS cluster`, () => {
      assert.throws(() => clusterProvider(stackConfig(stack)), /targets eks: build the AWS layer first/);
    });
  }

  it("targets only the explicitly named kubeconfig context", async () => {
    const resources = await capture(() => clusterProvider(stackConfig("local", { cluster: TEST_CLUSTER })));
    const provider = single(ofType(resources, "pulumi:providers:kubernetes"), "cluster provider");
    assert.strictEqual(provider.inputs.context, "test");
    assert.strictEqual(provider.inputs.kubeconfig, "/dev/null");
  });
});
