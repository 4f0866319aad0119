// The control-plane role label exempts a namespace from the workspace guards and marks it as coderd's. Only
// the namespace the pack settings name as coderd's may carry it; any other claiming it is hiding.
import { ROLE_CONTROL_PLANE, ROLE_LABEL } from "../../contract";
import { labelsOf } from "../../lib/kubernetes";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { DEFAULT_CODERD_NAMESPACE, WORKSPACE_SETTINGS_SCHEMA } from "../../lib/workspaces";
import { definePolicy } from "../../lib/metadata";

export const impostorControlPlaneNamespace = definePolicy(
  {
    responsibilities: ["coderd-service-account", "network-boundaries"],
    severity: "high",
    forbids: `Namespaces labelled ${ROLE_LABEL}: ${ROLE_CONTROL_PLANE} other than coderd's configured one`,
    references: { other: ["coder-blueprint role label"] },
  },
  {
    name: "impostor-control-plane-namespace",
    description: `Only coderd's configured namespace may be labelled ${ROLE_LABEL}: ${ROLE_CONTROL_PLANE}.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Remove the ${ROLE_LABEL} label, or set coderdNamespace in the pack settings ` + "to coderd's namespace.",
    configSchema: {
      properties: {
        coderdNamespace: WORKSPACE_SETTINGS_SCHEMA.coderdNamespace,
      },
    },
    validateResource: forTypes([K8S.namespace, K8S.namespacePatch], (props, args, report) => {
      if (labelsOf(props)[ROLE_LABEL] !== ROLE_CONTROL_PLANE) return;
      const { coderdNamespace = DEFAULT_CODERD_NAMESPACE } = args.getConfig<{ coderdNamespace?: string }>();
      // The label was found, so metadata is there.
      if (props.metadata.name === coderdNamespace) return;
      report(
        `${subjectOfArgs(args)}: claims to be the control plane (${ROLE_LABEL}: ${ROLE_CONTROL_PLANE}), but coderd's ` +
          `namespace is "${coderdNamespace}"; remove the label.`,
      );
    }),
  },
);
