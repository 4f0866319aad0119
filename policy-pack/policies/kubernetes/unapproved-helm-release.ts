// A helm.v3.Release installs its chart inside the Helm provider: the engine never sees the objects it
// creates, so every other policy is blind to them. Coder's own release is judged through its values; any
// other chart must be on the pack settings' allowlist (or deployed with helm.v4.Chart, whose objects the
// pack judges one by one).
import { isCoderChart } from "../../lib/coder";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

/** The settings as the policy receives them: the schema's default fills an unset list. */
export interface UnapprovedHelmReleaseConfig {
  approvedCharts: string[];
}

/** The chart reference as written, with the repository when given separately. */
export function chartReference(props: Record<string, any>): string {
  const chart = String(props.chart ?? "");
  const repo = props.repositoryOpts?.repo;
  return typeof repo === "string" && repo && !chart.includes("://") ? `${repo.replace(/\/+$/, "")}/${chart}` : chart;
}

export const unapprovedHelmRelease = definePolicy(
  {
    responsibilities: ["dedicated-cluster"],
    severity: "high",
    forbids: "helm.v3.Release of a chart other than Coder's and not on the allowlist",
    references: { other: ["Pulumi helm.v4.Chart (children visible to policies)"] },
  },
  {
    name: "unapproved-helm-release",
    description:
      "A helm.v3.Release hides every object it creates from the pack: only Coder's chart and charts on the " +
      "approvedCharts allowlist may be installed this way.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Deploy the chart with helm.v4.Chart (the pack judges each object it renders), or, after reviewing the " +
      "chart, add its reference to approvedCharts in the pack settings.",
    configSchema: {
      properties: {
        approvedCharts: {
          type: "array",
          items: { type: "string", minLength: 1 },
          default: [],
          description:
            'Chart references allowed as helm.v3.Release besides Coder\'s: "<repository URL>/<chart>" or an ' +
            "OCI/local reference, exactly as the release writes it.",
        },
      },
    },
    validateResource: forTypes([K8S.helmReleaseV3], (props, args, report) => {
      if (isCoderChart(props.chart)) return;
      const ref = chartReference(props);
      const { approvedCharts } = args.getConfig<UnapprovedHelmReleaseConfig>();
      if (approvedCharts.includes(ref)) return;
      report(
        `${subjectOfArgs(args)}: installs chart ${JSON.stringify(ref)}, whose objects no policy can see; deploy it ` +
          "with helm.v4.Chart, or add it to approvedCharts after review.",
      );
    }),
  },
);
