// Pod Security Admission is the only guard for pods coderd creates at run time, which no Pulumi policy
// ever sees, so every namespace the program creates must enforce baseline or restricted.
// The optional remediation only copies the enforce level into missing warn/audit labels: it never
// weakens or invents an enforce level, so it cannot break workloads or lose data.
import { PSA_PREFIX } from "../../contract";
import { updateIn } from "../../lib/copy";
import { labelsOf } from "../../lib/kubernetes";
import { forTypes, onlyTypes, subjectOfArgs } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

const ENFORCE = `${PSA_PREFIX}/enforce`;
const ENFORCING_LEVELS = ["baseline", "restricted"];
const COMPANION_MODES = ["warn", "audit"] as const;

const NAMESPACE_TYPES: readonly string[] = [K8S.namespace, K8S.namespacePatch];

export const namespaceWithoutPodSecurity = definePolicy(
  {
    responsibilities: ["node-user-accounts"],
    severity: "high",
    forbids: "Namespaces without PSA `enforce`, or enforcing `privileged`",
    references: {
      cisEks: ["4.2.1–4.2.5 (through Pod Security Admission)"],
      kyverno: ["add-psa-labels", "deny-privileged-profile"],
    },
  },
  {
    name: "namespace-without-pod-security",
    description:
      `Namespaces must enforce Pod Security Admission at baseline or restricted (label ${ENFORCE}); ` +
      `privileged is forbidden.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Label the namespace ${ENFORCE}: restricted (or baseline), plus matching warn and audit ` +
      `labels. At the remediate level the pack adds missing warn/audit labels itself.`,
    validateResource: forTypes(NAMESPACE_TYPES, (props, args, report) => {
      const labels = labelsOf(props);
      const who = subjectOfArgs(args);
      const patch = args.type === K8S.namespacePatch;
      if (!(ENFORCE in labels)) {
        if (!patch)
          report(
            `${who}: has no ${ENFORCE} label, so the API server admits privileged pods into it; label it ` +
              `${ENFORCE}: restricted (or baseline).`,
          );
        return;
      }
      const level = labels[ENFORCE];
      if (!ENFORCING_LEVELS.includes(level as string)) {
        report(
          `${who}: ${ENFORCE} is ${JSON.stringify(level)}, which admits privileged pods; set it to restricted (or ` +
            `baseline).`,
        );
      }
    }),
    remediateResource: (args) => {
      onlyTypes(args, NAMESPACE_TYPES);
      const labels = labelsOf(args.props);
      const level = labels[ENFORCE];
      if (typeof level !== "string" || !ENFORCING_LEVELS.includes(level)) return undefined;
      const missing = COMPANION_MODES.filter((mode) => !(`${PSA_PREFIX}/${mode}` in labels));
      if (missing.length === 0) return undefined;
      return updateIn(args.props, ["metadata", "labels"], (current) => {
        for (const mode of missing) current[`${PSA_PREFIX}/${mode}`] = level;
        return current;
      });
    },
  },
);
