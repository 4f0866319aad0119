// Each e2e case is one insecure change that the policy pack must stop at `pulumi preview`. The program
// is deliberately separate from the blueprint: the pack judges resources, whoever deploys them.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const insecureCase = config.require("case");
const provider = new k8s.Provider("cluster", {
  kubeconfig: config.require("kubeconfig"),
  context: config.require("context"),
});
const opts = { provider };

const workspaceNamespace = (name: string) =>
  new k8s.core.v1.Namespace(
    name,
    {
      metadata: {
        name,
        labels: { "coder-blueprint/role": "workspaces", "pod-security.kubernetes.io/enforce": "baseline" },
      },
    },
    opts,
  );

const cases: Record<string, () => void> = {
  "unencrypted-default-storage-class": () =>
    new k8s.storage.v1.StorageClass(
      "plain-gp3",
      {
        metadata: { name: "plain-gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3" },
      },
      opts,
    ),
  "namespace-without-default-deny": () => workspaceNamespace("team-without-policies"),
  // A workspace namespace whose pods no admission rule would hold (the same namespace trips other
  // policies too; the test looks for this one by name).
  "namespace-without-admission": () => workspaceNamespace("team-without-admission"),
  "coderd-cluster-admin": () =>
    new k8s.rbac.v1.ClusterRoleBinding(
      "coderd-admin",
      {
        metadata: { name: "coderd-admin" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "ServiceAccount", name: "coder", namespace: "coder" }],
      },
      opts,
    ),
  "privileged-pod": () =>
    new k8s.core.v1.Pod(
      "debug",
      {
        metadata: { name: "debug", namespace: "coder", annotations: { "pulumi.com/skipAwait": "true" } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "debug",
              image: "ghcr.io/coder/coder:v2.36.3",
              securityContext: { privileged: true, runAsUser: 1000 },
              resources: { limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": "1Gi" } },
            },
          ],
        },
      },
      opts,
    ),
  "workspace-load-balancer": () => {
    const ns = workspaceNamespace("team-with-lb");
    new k8s.core.v1.Service(
      "dev-url",
      {
        metadata: { name: "dev-url", namespace: ns.metadata.name, annotations: { "pulumi.com/skipAwait": "true" } },
        spec: { type: "LoadBalancer", selector: { app: "workspace" }, ports: [{ port: 80, targetPort: 8080 }] },
      },
      opts,
    );
  },
  // Class 1: a patch of the blueprint's own admission policy (which the main stack has created).
  "patched-admission-policy": () =>
    new k8s.admissionregistration.v1.ValidatingAdmissionPolicyPatch(
      "gut-pods-rule",
      { metadata: { name: "coder-workspace-pods" }, spec: { validations: [{ expression: "true", message: "ok" }] } },
      opts,
    ),
  // Class 1: a patch that flips the scheme of coderd's Service without naming its type.
  "service-patch-internet-facing": () =>
    new k8s.core.v1.ServicePatch(
      "coderd-public",
      {
        metadata: {
          name: "coder",
          namespace: "coder",
          annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
        },
      },
      opts,
    ),
  // Class 2: the beta default-class annotation on a class that cannot be shown to encrypt.
  "beta-default-storage-class": () =>
    new k8s.storage.v1.StorageClass(
      "beta-default",
      {
        metadata: {
          name: "beta-default",
          annotations: { "storageclass.beta.kubernetes.io/is-default-class": "true" },
        },
        provisioner: "rancher.io/local-path",
      },
      opts,
    ),
  // Class 2: an explicit provider that reads a kubeconfig file but follows its current context.
  "provider-without-context": () =>
    new k8s.core.v1.ConfigMap(
      "current-context",
      { metadata: { name: "current-context", namespace: "default" }, data: { a: "b" } },
      { provider: new k8s.Provider("current-context", { kubeconfig: config.require("kubeconfig") }) },
    ),
  // Class 4: the internet, split in two halves, on every port from a workspace namespace.
  "split-allow-all-egress": () => {
    const ns = workspaceNamespace("team-split-egress");
    new k8s.networking.v1.NetworkPolicy(
      "split-egress",
      {
        metadata: { name: "split-egress", namespace: ns.metadata.name },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }] }],
        },
      },
      opts,
    );
  },
  // Class 11: a quota whose figures are absurd beside the stack's.
  "absurd-quota": () => {
    const ns = workspaceNamespace("team-absurd-quota");
    new k8s.core.v1.ResourceQuota(
      "absurd",
      {
        metadata: { name: "absurd", namespace: ns.metadata.name },
        spec: {
          hard: {
            "requests.storage": "1Pi",
            persistentvolumeclaims: "100000",
            "requests.ephemeral-storage": "1Pi",
            pods: "100000",
            services: "100000",
          },
        },
      },
      opts,
    );
  },
  "ambient-provider": () =>
    new k8s.core.v1.ConfigMap("ambient", { metadata: { name: "ambient", namespace: "default" }, data: { a: "b" } }),
};

const build = cases[insecureCase];
if (!build) throw new Error(`unknown case "${insecureCase}"; one of: ${Object.keys(cases).join(", ")}`);
build();
