// The default provider follows the ambient kubeconfig and its current context, so the same program
// deploys into whichever cluster the operator's shell last pointed at — possibly a shared one. Every
// Kubernetes object must go through an explicit provider that names its kubeconfig. In the engine a
// default provider's URN name is "default" or "default_<version>" (e.g. default_4_34_2).
// An explicit provider is ambient too when its kubeconfig is unset or blank (the provider then reads
// KUBECONFIG or ~/.kube/config), or names a kubeconfig file without a context (it then follows that file's
// current context, which kubectl changes). Inline kubeconfig content is the cluster's own; a value unknown
// during preview is the generated kubeconfig of a cluster the stack creates.
// The engine sends provider information for every custom resource; only components (and provider
// resources) come without it, and their children are judged individually, so those are not applicable.
import { subjectOfArgs } from "../../lib/policy";
import { readKnown } from "../../lib/unknowns";
import { K8S_COMPONENT_TYPES } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

const DEFAULT_PROVIDER_NAME = /^default(_[0-9A-Za-z_]+)?$/;

const UNKNOWN = Symbol("unknown during preview");
const blank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && !value.trim());
/** Kubeconfig content (YAML or JSON) rather than the path of a file. */
const isContent = (text: string) => text.includes("\n") || /^\s*[{]/.test(text) || /\bapiVersion\s*:/.test(text);

/** Why a provider's settings leave the cluster to the environment, or undefined when they name it. */
export function ambientSetting(props: Record<string, unknown>): string | undefined {
  if (!("kubeconfig" in props)) return "sets no kubeconfig and so falls back to KUBECONFIG or ~/.kube/config";
  // readKnown, not readOr: a null kubeconfig or context is as unset as an absent one, not unknown.
  const kubeconfig = readKnown(() => props.kubeconfig, UNKNOWN);
  if (blank(kubeconfig)) return "sets an empty kubeconfig and so falls back to KUBECONFIG or ~/.kube/config";
  // An unknown kubeconfig (UNKNOWN is no string) is the generated one of a cluster the stack creates.
  if (typeof kubeconfig !== "string" || isContent(kubeconfig)) return undefined;
  if (blank(readKnown(() => props.context, UNKNOWN)))
    return (
      `reads the kubeconfig file ${kubeconfig} without a context and so follows whatever its current context ` +
      "is when it runs"
    );
  return undefined;
}

export const ambientKubernetesProvider = definePolicy(
  {
    responsibilities: ["dedicated-cluster"],
    severity: "critical",
    forbids:
      "Kubernetes resources on the default (ambient) provider, or a provider whose kubeconfig is unset or empty, " +
      "or a kubeconfig file without a context",
    references: {},
  },
  {
    name: "ambient-kubernetes-provider",
    description:
      "Kubernetes resources must be created through an explicit provider with its own kubeconfig, never the " +
      "default (ambient) provider.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Create a kubernetes.Provider with an explicit kubeconfig (and context) for Coder's dedicated cluster and " +
      "pass it as the `provider` option; set `disable-default-providers: [kubernetes]` in the stack config to make " +
      "this a program error too.",
    validateResource: (args, report) => {
      if (!args.type.startsWith("kubernetes:") || K8S_COMPONENT_TYPES.has(args.type)) {
        args.notApplicable("Policy only applies to Kubernetes resources sent to a cluster");
      }
      const provider = args.provider;
      if (!provider)
        return args.notApplicable(
          "The engine sent no provider: this is a component, whose children are judged individually",
        );
      const who = subjectOfArgs(args);
      if (DEFAULT_PROVIDER_NAME.test(provider.name)) {
        report(
          `${who}: is deployed through the default Kubernetes provider (${provider.urn}), which targets whatever ` +
            `cluster the ambient kubeconfig's current context points at; ` +
            "pass an explicit kubernetes.Provider for Coder's dedicated cluster as the provider option.",
        );
        return;
      }
      const ambient = ambientSetting(provider.props);
      if (ambient) {
        report(
          `${who}: uses provider "${provider.name}", which ${ambient}; ` +
            "set the provider's kubeconfig (and context) to Coder's dedicated cluster.",
        );
      }
    },
  },
);
