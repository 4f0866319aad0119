// A Secret of type kubernetes.io/service-account-token holds a token that never expires and survives the
// pod that used it; anyone who can read Secrets in its namespace becomes that account. Pods get
// short-lived projected tokens instead.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

const TOKEN_TYPE = "kubernetes.io/service-account-token";

export const serviceAccountTokenSecret = definePolicy(
  {
    responsibilities: ["coderd-service-account", "control-plane-access"],
    severity: "high",
    forbids: "Secrets of type `kubernetes.io/service-account-token` (long-lived tokens)",
    references: { cisEks: ["4.1.6 (context)"], other: ["Kubernetes docs: manually create a long-lived API token"] },
  },
  {
    name: "service-account-token-secret",
    description: `No Secret may be of type ${TOKEN_TYPE}: such tokens never expire.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      "Use projected service account tokens (the default for pods) or the TokenRequest API for short-lived tokens.",
    validateResource: forTypes([K8S.secret, `${K8S.secret}Patch`], (props, args, report) => {
      if (props.type !== TOKEN_TYPE) return;
      const account = props.metadata?.annotations?.["kubernetes.io/service-account.name"];
      report(
        `${subjectOfArgs(args)}: is a long-lived token for service account ${JSON.stringify(account ?? "?")}, ` +
          "valid until the Secret is deleted; use projected or TokenRequest tokens instead.",
      );
    }),
  },
);
