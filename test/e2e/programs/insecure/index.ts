// Each e2e case is one insecure change that the policy pack must stop at `pulumi preview`. The program
// is deliberately separate from the blueprint: the pack judges resources, whoever deploys them.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";

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

/**
 * A Coder release from the stand-in chart in charts/coder (a local directory named "coder", which the pack
 * takes for Coder's chart), so that the coder-release-* policies judge its values offline.
 */
const coderRelease = (name: string, coder: Record<string, unknown>) =>
  new k8s.helm.v3.Release(
    name,
    { name, namespace: "default", chart: path.join(__dirname, "charts", "coder"), values: { coder } },
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
  // --- Judged by effect (classes 3, 5, 6, 7, 8, 10 of issue 10): the same insecure outcome by another route.
  // A namespace without the workspace label where coderd can create pods: no workspace guard would apply.
  "coderd-pods-in-unlabelled-namespace": () => {
    const ns = new k8s.core.v1.Namespace(
      "team-hidden",
      { metadata: { name: "team-hidden", labels: { "pod-security.kubernetes.io/enforce": "baseline" } } },
      opts,
    );
    const role = new k8s.rbac.v1.Role(
      "pod-maker",
      {
        metadata: { name: "pod-maker", namespace: ns.metadata.name },
        rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["create", "get", "list"] }],
      },
      opts,
    );
    new k8s.rbac.v1.RoleBinding(
      "coderd-pod-maker",
      {
        metadata: { name: "coderd-pod-maker", namespace: ns.metadata.name },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: "coder", namespace: "coder" }],
      },
      opts,
    );
  },
  // The built-in edit role reads Secrets and execs into pods, whatever its name suggests.
  "binding-to-built-in-edit": () =>
    new k8s.rbac.v1.RoleBinding(
      "ci-edit",
      {
        metadata: { name: "ci-edit", namespace: "default" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
        subjects: [{ kind: "ServiceAccount", name: "ci", namespace: "default" }],
      },
      opts,
    ),
  // Not privileged, no host namespace: a host port and an Unconfined seccomp profile are enough.
  "host-port-pod": () =>
    new k8s.core.v1.Pod(
      "sidecar",
      {
        metadata: { name: "sidecar", namespace: "coder", annotations: { "pulumi.com/skipAwait": "true" } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "Unconfined" } },
          containers: [
            {
              name: "sidecar",
              image: "ghcr.io/coder/coder:v2.36.3",
              ports: [{ containerPort: 8080, hostPort: 8080 }],
              securityContext: { runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              resources: { limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": "1Gi" } },
            },
          ],
        },
      },
      opts,
    ),
  // The scheme annotation is read only by the AWS Load Balancer Controller; the in-tree one ignores it.
  "in-tree-scheme-load-balancer": () =>
    new k8s.core.v1.Service(
      "metrics",
      {
        metadata: {
          name: "metrics",
          namespace: "coder",
          annotations: {
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
            "pulumi.com/skipAwait": "true",
          },
        },
        spec: { type: "LoadBalancer", selector: { app: "metrics" }, ports: [{ port: 9090 }] },
      },
      opts,
    ),
  // Not the default class, on EKS Auto Mode's EBS provisioner: one storageClassName away from use.
  "unencrypted-auto-mode-class": () =>
    new k8s.storage.v1.StorageClass(
      "auto-gp3",
      { metadata: { name: "auto-gp3" }, provisioner: "ebs.csi.eks.amazonaws.com", parameters: { type: "gp3" } },
      opts,
    ),
  // A mutating webhook can rewrite every pod after the pack has judged it.
  "unapproved-mutating-webhook": () =>
    new k8s.admissionregistration.v1.MutatingWebhookConfiguration(
      "pod-injector",
      {
        metadata: { name: "pod-injector" },
        webhooks: [
          {
            name: "inject.example.com",
            admissionReviewVersions: ["v1"],
            sideEffects: "None",
            clientConfig: { url: "https://injector.example.com/mutate" },
            rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
          },
        ],
      },
      opts,
    ),
  // --- End of the effect-judged cases.
  // --- Coder's own switches and secrets (classes 2 and 9), on the stand-in chart.
  // Ignoring the IdP's email verification, spelled as Go's ParseBool reads true.
  "coder-oidc-email-unverified": () =>
    coderRelease("coder-unverified", {
      env: [
        { name: "CODER_OIDC_ISSUER_URL", value: "https://idp.example.com" },
        { name: "CODER_OIDC_IGNORE_EMAIL_VERIFIED", value: "TRUE" },
      ],
    }),
  // Owners' workspace access switched off in the environment and back on by a flag, which coderd reads first.
  "coder-owner-access-by-flag": () =>
    coderRelease("coder-owner-access", {
      commandArgs: ["server", "--disable-owner-workspace-access=false"],
      env: [{ name: "CODER_DISABLE_OWNER_WORKSPACE_ACCESS", value: "true" }],
    }),
  // A secret-bearing option written into the values, so Helm and Pulumi state hold it in plain text.
  "coder-plaintext-secret": () =>
    coderRelease("coder-plaintext", {
      env: [{ name: "CODER_PROVISIONER_DAEMON_PSK", value: "not-a-real-psk-but-plain-text" }],
    }),
};

const build = cases[insecureCase];
if (!build) throw new Error(`unknown case "${insecureCase}"; one of: ${Object.keys(cases).join(", ")}`);
build();
