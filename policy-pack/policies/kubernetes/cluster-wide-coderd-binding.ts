// coderd's service account creates pods, and whoever holds coderd's token acts with it. Granted through a
// ClusterRoleBinding it can create pods — and read secrets, if the role allows — in every namespace,
// including the control plane's own, instead of only in workspace namespaces. Any account in coderd's
// namespace counts, as do the user and group names Kubernetes gives service accounts.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { eachSubject } from "../../lib/rbac";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";
import { coderdNamespaceSubject, WORKSPACE_SETTINGS_SCHEMA } from "../../lib/workspaces";

export interface ClusterWideCoderdBindingConfig {
  coderdNamespace: string;
  coderdServiceAccount: string;
}

export const clusterWideCoderdBinding = definePolicy(
  {
    responsibilities: ["coderd-service-account"],
    severity: "critical",
    forbids: "ClusterRoleBindings of accounts from coderd's namespace",
    references: {
      cisEks: ["4.1.1", "4.1.4"],
      other: ["coder/coder#19517 (the chart grants per-namespace Roles, not ClusterRoles)"],
    },
  },
  {
    name: "cluster-wide-coderd-binding",
    description:
      "No ClusterRoleBinding may have a subject from coderd's namespace (coderd's service account or its peers); " +
      "coderd gets namespaced RoleBindings in workspace namespaces only.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Replace the ClusterRoleBinding with a RoleBinding in each workspace namespace, bound to a Role with the " +
      "Coder chart's rules (pods, persistentvolumeclaims, deployments).",
    configSchema: {
      properties: {
        coderdNamespace: WORKSPACE_SETTINGS_SCHEMA.coderdNamespace,
        coderdServiceAccount: WORKSPACE_SETTINGS_SCHEMA.coderdServiceAccount,
      },
    },
    validateResource: forTypes([K8S.clusterRoleBinding, K8S.clusterRoleBindingPatch], (props, args, report) => {
      const settings = args.getConfig<ClusterWideCoderdBindingConfig>();
      const { coderdNamespace } = settings;
      const who = subjectOfArgs(args);
      const gaps = new PreviewGaps();
      eachSubject(props, gaps, (s) => {
        const found = coderdNamespaceSubject(s, settings);
        if (found === undefined) return;
        const whose =
          found.coderd && !found.group
            ? `coderd's service account "${coderdNamespace}/${found.account}"`
            : `"${found.account}" from coderd's namespace "${coderdNamespace}"`;
        report(
          `${who}: binds ${whose} cluster-wide, so it can act in every namespace; ` +
            "use a RoleBinding in each workspace namespace instead.",
        );
      });
      gaps.settle();
    }),
  },
);
