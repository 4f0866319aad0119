// Every pod running as coderd's service account holds coderd's power to create pods in every workspace
// namespace. Only coderd itself (deployed by the Coder release) may run as it.
import { namespaceOf } from "../../lib/kubernetes";
import { validatePodSpec } from "../../lib/workloads";
import {
  DEFAULT_CODERD_NAMESPACE,
  DEFAULT_CODERD_SERVICE_ACCOUNT,
  WORKSPACE_SETTINGS_SCHEMA,
  WorkspaceSettings,
} from "../../lib/workspaces";
import { definePolicy } from "../../lib/metadata";

export const workloadAsCoderdServiceAccount = definePolicy(
  {
    responsibilities: ["coderd-service-account"],
    severity: "critical",
    forbids: "Workloads other than the Coder release running as coderd's service account",
    references: { cisEks: ["4.1.5 (context)"] },
  },
  {
    name: "workload-as-coderd-service-account",
    description:
      "No workload the stack defines (pods, pod templates, custom resources with one) may run as coderd's service " +
      "account; only the Coder release's coderd does.",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the workload its own ServiceAccount with only the permissions it needs.",
    configSchema: {
      properties: {
        coderdNamespace: WORKSPACE_SETTINGS_SCHEMA.coderdNamespace,
        coderdServiceAccount: WORKSPACE_SETTINGS_SCHEMA.coderdServiceAccount,
      },
    },
    validateResource: validatePodSpec(({ spec, subject, gaps, report, config, resource }) => {
      const settings = config as WorkspaceSettings;
      const ns = settings.coderdNamespace ?? DEFAULT_CODERD_NAMESPACE;
      const sa = settings.coderdServiceAccount ?? DEFAULT_CODERD_SERVICE_ACCOUNT;
      gaps.judge(() => {
        if (namespaceOf(resource) !== ns) return;
        const account = spec.serviceAccountName ?? spec.serviceAccount;
        if (account !== sa) return;
        report(
          `${subject}: runs as coderd's service account "${ns}/${sa}", so it can create pods in every workspace ` +
            "namespace; give it its own ServiceAccount.",
        );
      });
    }),
  },
);
