// A MutatingWebhookConfiguration can rewrite every object the API server admits, after the stack's
// policies and before Pod Security: a pod judged safe here can arrive privileged. Only webhooks the pack
// settings name may be registered.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { definePolicy } from "../../lib/metadata";

/** The settings as the policy receives them: the schema's default fills an unset list. */
export interface UnapprovedMutatingWebhookConfig {
  approvedMutatingWebhooks: string[];
}

const TYPES = ["v1", "v1beta1"].flatMap((v) => [
  `kubernetes:admissionregistration.k8s.io/${v}:MutatingWebhookConfiguration`,
  `kubernetes:admissionregistration.k8s.io/${v}:MutatingWebhookConfigurationPatch`,
]);

export const unapprovedMutatingWebhook = definePolicy(
  {
    responsibilities: ["dedicated-cluster"],
    severity: "high",
    forbids: "MutatingWebhookConfigurations not on the allowlist",
    references: { other: ["Kubernetes admission webhook good practices"] },
  },
  {
    name: "unapproved-mutating-webhook",
    description:
      "MutatingWebhookConfigurations may rewrite any admitted object; only those named in " +
      "approvedMutatingWebhooks may be registered.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove the webhook, or add its name to approvedMutatingWebhooks after reviewing what it mutates.",
    configSchema: {
      properties: {
        approvedMutatingWebhooks: {
          type: "array",
          items: { type: "string", minLength: 1 },
          default: [],
          description: "Names of the MutatingWebhookConfigurations the stack may register.",
        },
      },
    },
    validateResource: forTypes(TYPES, (props, args, report) => {
      const name = props.metadata?.name;
      const { approvedMutatingWebhooks } = args.getConfig<UnapprovedMutatingWebhookConfig>();
      // A name that is absent or not a string matches no entry of the list.
      if (approvedMutatingWebhooks.includes(name)) return;
      report(
        `${subjectOfArgs(args)}: can rewrite every object it matches after the pack has judged it; remove it, or ` +
          "add its name to approvedMutatingWebhooks after review.",
      );
    }),
  },
);
