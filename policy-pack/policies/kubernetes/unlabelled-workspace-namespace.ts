// The workspace guards (default-deny, quota, admission rules, egress checks) find workspace namespaces by
// the role label. A namespace that holds workspaces without it — named in the pack settings, or one where
// coderd's service account can create pods — would slip past every one of them, so it must carry the label.
import { ROLE_LABEL, ROLE_WORKSPACES } from "../../contract";
import { HELM_CHART_TYPES } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { WORKSPACE_SETTINGS_SCHEMA, WorkspaceSettings, workspaceNamespaces } from "../../lib/workspaces";
import { definePolicy } from "../../lib/metadata";

export const unlabelledWorkspaceNamespace = definePolicy(
  {
    responsibilities: ["coderd-service-account", "network-boundaries"],
    severity: "critical",
    forbids:
      "Workspace namespaces (pack settings, coderd's pod-creating RBAC) not registered with " +
      `${ROLE_LABEL}: ${ROLE_WORKSPACES}`,
    references: { other: ["Coder chart coder.serviceAccount.workspacePerms"] },
  },
  {
    name: "unlabelled-workspace-namespace",
    description:
      "Every workspace namespace — named in the pack settings, or one where coderd's service account can create " +
      `pods — must be a Namespace of the stack labelled ${ROLE_LABEL}: ${ROLE_WORKSPACES}, so every workspace ` +
      "guard applies to it.",
    enforcementLevel: "mandatory",
    remediationSteps:
      `Create the namespace through workspaces.namespaces (which labels it ${ROLE_LABEL}: ${ROLE_WORKSPACES}), or ` +
      "remove coderd's permission to create pods there.",
    configSchema: { properties: WORKSPACE_SETTINGS_SCHEMA },
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      // A configured namespace the stack neither registers nor deploys into is another program's business.
      const used = new Set<string>();
      for (const r of args.resources) {
        if (!r.type.startsWith("kubernetes:")) continue;
        gaps.judge(() => {
          // A Helm release or chart names the namespace it installs into outside metadata.
          const ns = HELM_CHART_TYPES.includes(r.type) ? r.props.namespace : r.props.metadata?.namespace;
          if (typeof ns === "string") used.add(ns);
        });
      }
      for (const ns of workspaceNamespaces(args.resources, args.getConfig<WorkspaceSettings>(), gaps).values()) {
        gaps.judge(() => {
          if (ns.labelled) return;
          if (!ns.resource && !ns.binding && !used.has(ns.name)) return;
          report(
            `Namespace "${ns.name}": is a workspace namespace (${ns.reasons.join(", ")}) but is not registered ` +
              `with ${ROLE_LABEL}: ${ROLE_WORKSPACES}, so no workspace guard applies to it; create it through ` +
              "workspaces.namespaces, or remove coderd's permission to create pods there.",
            ns.resource?.urn ?? ns.binding?.urn,
          );
        });
      }
      gaps.settle();
    },
  },
);
