// coderd needs its Role in the workspace namespaces and nowhere else (the chart's rules). A RoleBinding of
// coderd's service account in kube-system, default or its own namespace lets whoever holds coderd's token
// act there. Cluster-wide bindings are cluster-wide-coderd-binding's.
import { subjectOfResource } from "../../lib/policy";
import { eachBinding } from "../../lib/rbac-effects";
import { PreviewGaps } from "../../lib/unknowns";
import {
  configuredWorkspaceNamespaces,
  coderdNamespaceSubject,
  WORKSPACE_SETTINGS_SCHEMA,
  WorkspaceSettings,
} from "../../lib/workspaces";
import { definePolicy } from "../../lib/metadata";

export const coderdBindingOutsideWorkspaces = definePolicy(
  {
    responsibilities: ["coderd-service-account"],
    severity: "critical",
    forbids: "RoleBindings of coderd's service account outside the configured workspace namespaces",
    references: { cisEks: ["4.1.1"], other: ["Coder chart coder.serviceAccount.workspacePerms"] },
  },
  {
    name: "coderd-binding-outside-workspaces",
    description:
      "coderd's service account may be bound only in the workspace namespaces the pack settings or the role label " +
      "name, never in kube-system, default, its own namespace or any other.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove the RoleBinding, or add the namespace to workspaces.namespaces (and the pack settings) so it gets " +
      "every workspace guard.",
    configSchema: { properties: WORKSPACE_SETTINGS_SCHEMA },
    validateStack: (args, report) => {
      const settings = args.getConfig<WorkspaceSettings>();
      const gaps = new PreviewGaps();
      const workspaces = configuredWorkspaceNamespaces(args.resources, settings, gaps);
      eachBinding(args.resources, gaps, (b) => {
        if (b.cluster || workspaces.has(String(b.namespace))) return;
        if (!b.subjects.some((s) => coderdNamespaceSubject(s, settings, b.namespace)?.coderd)) return;
        report(
          `${subjectOfResource(b.resource)}: binds coderd's service account in namespace "${b.namespace}", which ` +
            `is not a workspace namespace (${[...workspaces].join(", ") || "none configured"}); remove the binding ` +
            "or make the namespace a configured workspace namespace.",
          b.resource.urn,
        );
      });
      gaps.settle();
    },
  },
);
