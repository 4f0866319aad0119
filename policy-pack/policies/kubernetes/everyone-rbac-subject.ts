// Some subjects are not one identity but everyone: every request without credentials, every
// authenticated user (on EKS, every IAM principal the access entries admit), every service account in the
// cluster. Binding any role to them grants it to every workspace pod that finds a token.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { eachSubject } from "../../lib/rbac";
import { RBAC_BINDINGS } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

export const EVERYONE: Record<string, string> = {
  "system:anonymous": "every request without credentials",
  "system:unauthenticated": "every request without credentials",
  "system:authenticated": "every authenticated user",
  "system:serviceaccounts": "every service account in the cluster",
};

export const everyoneRbacSubject = definePolicy(
  {
    responsibilities: ["cluster-admins"],
    severity: "critical",
    forbids: "Bindings to system:anonymous, system:unauthenticated, system:authenticated, system:serviceaccounts",
    references: { cisEks: ["4.1.1"], kyverno: ["restrict-binding-system-groups"] },
  },
  {
    name: "everyone-rbac-subject",
    description:
      "No RoleBinding or ClusterRoleBinding may name a subject that means everyone: system:anonymous, " +
      "system:unauthenticated, system:authenticated or system:serviceaccounts.",
    enforcementLevel: "mandatory",
    remediationSteps: "Bind the specific ServiceAccount, user or group that needs the role.",
    validateResource: forTypes(RBAC_BINDINGS, (props, args, report) => {
      const gaps = new PreviewGaps();
      eachSubject(props, gaps, (s) => {
        if ((s.kind !== "Group" && s.kind !== "User") || !(s.name in EVERYONE)) return;
        report(
          `${subjectOfArgs(args)}: binds ${s.kind} ${s.name}, i.e. ${EVERYONE[s.name]}; bind the specific ` +
            "ServiceAccount, user or group that needs the role instead.",
        );
      });
      gaps.settle();
    }),
  },
);
