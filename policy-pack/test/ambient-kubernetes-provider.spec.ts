import { ambientKubernetesProvider } from "../policies/kubernetes/ambient-kubernetes-provider";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectNotApplicable, expectPass, expectViolation } from "./expect";
import { compliantNamespace, defaultProvider, SDK_COMPONENT_TYPES } from "./fixtures/kubernetes";
import { compliantCoderRelease } from "./fixtures/coder";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Namespace "coder-workspaces"';

describe("ambient-kubernetes-provider", () => {
  it("passes resources created through an explicit provider with its own kubeconfig", async () => {
    await expectPass(ambientKubernetesProvider, compliantNamespace());
    await expectPass(ambientKubernetesProvider, compliantCoderRelease());
  });

  it("accepts a kubeconfig that is unknown during preview (generated from the new EKS cluster)", async () => {
    await expectPass(ambientKubernetesProvider, {
      ...compliantNamespace(),
      provider: { name: "eks", props: { kubeconfig: unknown.string } },
    });
  });

  it("fails a resource on the engine's default provider", async () => {
    await expectViolation(
      ambientKubernetesProvider,
      { ...compliantNamespace(), provider: defaultProvider() },
      WHO,
      new RegExp(
        "deployed through the default Kubernetes provider " +
          "\\(urn:pulumi:test::coder-blueprint::pulumi:providers:kubernetes::default_4_34_2\\), which targets " +
          "whatever cluster the ambient kubeconfig's current context points at; pass an explicit " +
          "kubernetes\\.Provider for Coder's dedicated cluster",
      ),
    );
  });

  it("fails the unversioned default provider name too", async () => {
    await expectViolation(
      ambientKubernetesProvider,
      { ...compliantNamespace(), provider: { name: "default", props: {} } },
      WHO,
      /default Kubernetes provider/,
    );
  });

  it("fails an explicit provider that falls back to the ambient kubeconfig", async () => {
    await expectViolation(
      ambientKubernetesProvider,
      { ...compliantNamespace(), provider: { name: "cluster", props: { context: "prod" } } },
      WHO,
      /provider "cluster", which sets no kubeconfig and so falls back to KUBECONFIG or ~\/\.kube\/config; set the provider's kubeconfig/,
    );
  });

  it("fails a provider whose kubeconfig is empty, or a kubeconfig file without a context", async () => {
    for (const [props, why] of [
      [{ kubeconfig: "" }, /sets an empty kubeconfig and so falls back to KUBECONFIG/],
      [{ kubeconfig: "  ", context: "prod" }, /sets an empty kubeconfig/],
      [
        { kubeconfig: "/home/me/.kube/config" },
        /reads the kubeconfig file \/home\/me\/\.kube\/config without a context/,
      ],
      [
        { kubeconfig: "~/.kube/config", context: "" },
        /without a context and so follows whatever its current context is when it runs; set the provider's/,
      ],
      // null is as unset as absent: the provider then reads the ambient kubeconfig or its current context.
      [{ kubeconfig: null }, /sets an empty kubeconfig and so falls back to KUBECONFIG/],
      [{ kubeconfig: "/home/me/.kube/config", context: null }, /reads the kubeconfig file .* without a context/],
      // A path is told from content by its shape only: braces inside a path or a colon-less mention do not count.
      [{ kubeconfig: "/tmp/kube-{1}/config" }, /reads the kubeconfig file \/tmp\/kube-\{1\}\/config without/],
      [{ kubeconfig: "/etc/apiVersion/config" }, /reads the kubeconfig file \/etc\/apiVersion\/config without/],
    ] as const) {
      await expectViolation(
        ambientKubernetesProvider,
        { ...compliantNamespace(), provider: { name: "cluster", props } },
        WHO,
        why,
      );
    }
  });

  it("passes a kubeconfig file with an explicit context and inline kubeconfig content", async () => {
    for (const props of [
      { kubeconfig: "/home/me/.kube/config", context: "kind-coder" },
      { kubeconfig: "apiVersion: v1\nkind: Config\nclusters: []\n" },
      { kubeconfig: '{"apiVersion":"v1","kind":"Config"}' },
      { kubeconfig: '  {"kind":"Config"}' },
      // One-line YAML content, with and without blanks before the key's colon.
      { kubeconfig: "apiVersion: v1" },
      { kubeconfig: "apiVersion : v1" },
      { kubeconfig: "apiVersion:v1" },
      { kubeconfig: "/home/me/.kube/config", context: unknown.string },
    ]) {
      await expectPass(ambientKubernetesProvider, { ...compliantNamespace(), provider: { name: "cluster", props } });
    }
  });

  it("judges explicit providers whose names only contain or start with default by their kubeconfig", async () => {
    const props = { kubeconfig: "/home/me/.kube/config", context: "kind-coder" };
    for (const name of ["nodefault", "eks_default", "default-eks", "defaults", "default_4_34_2-copy"]) {
      await expectPass(ambientKubernetesProvider, { ...compliantNamespace(), provider: { name, props } });
    }
  });

  // A remote component (Helm v4 Chart, YAML v2, Kustomize v2) may reach the pack with the provider its children
  // use; the children are judged on their own, so the component is not judged twice.
  for (const type of SDK_COMPONENT_TYPES) {
    it(`does not judge the component ${type}, even on the default provider`, async () => {
      await expectNotApplicable(
        ambientKubernetesProvider,
        resource(type, "manifests", {}, { provider: defaultProvider() }),
        /Policy only applies to Kubernetes resources sent to a cluster/,
      );
    });
  }

  it("does not judge components (no provider) or non-Kubernetes resources", async () => {
    await expectNotApplicable(
      ambientKubernetesProvider,
      resource(K8S.helmChartV4, "chart", { chart: "x" }, { provider: null }),
      /Kubernetes resources sent to a cluster/,
    );
    await expectNotApplicable(
      ambientKubernetesProvider,
      mutate(compliantNamespace(), (_p, r) => (r.provider = null)),
      /no provider/,
    );
    await expectNotApplicable(ambientKubernetesProvider, resource("aws:kms/key:Key", "k", {}), /Kubernetes/);
  });
});
