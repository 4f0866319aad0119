// The Coder Helm chart as the policies see it: a Release (or Chart) whose chart is Coder's, with
// `values.coder` holding coderd's settings and `values.coder.env` its server environment.
import { ReportViolation, ResourceValidation } from "@pulumi/policy";
import { forTypes, Props, subjectOfArgs } from "./policy";
import { K8S } from "./types";
import { eachOf, PreviewGaps } from "./unknowns";

export const CODER_CHART_TYPES: readonly string[] = [K8S.helmReleaseV3, K8S.helmChartV3, K8S.helmChartV4];

/** "coder", "coder-v2/coder", "oci://ghcr.io/coder/chart/coder", "./charts/coder". */
export function isCoderChart(chart: unknown): boolean {
    return typeof chart === "string" && (chart === "coder" || chart.endsWith("/coder"));
}

export interface EnvEntry {
    name: string;
    /** Set when the value is written into the values (plain text in the Helm release). */
    hasValue: boolean;
    hasValueFrom: boolean;
    /** The literal value; reading it may throw during preview if it derives from an output. */
    entry: Props;
}

/**
 * coderd's environment by variable name. Presence is tested with `in`, which does not read the value,
 * so a value unknown during preview does not stop the plain-text-secret check.
 */
export function envOf(coder: Props | undefined, gaps: PreviewGaps): Map<string, EnvEntry> {
    const env = new Map<string, EnvEntry>();
    eachOf(
        coder?.env as Props[] | undefined,
        (entry) => {
            const name = entry?.name;
            if (typeof name !== "string") return;
            env.set(name, { name, hasValue: "value" in entry, hasValueFrom: "valueFrom" in entry, entry });
        },
        gaps,
    );
    return env;
}

/** The literal value of a variable, or undefined when it is absent or comes from a Secret/ConfigMap. */
export function literal(env: Map<string, EnvEntry>, name: string): unknown {
    const e = env.get(name);
    return e && e.hasValue ? e.entry.value : undefined;
}

export interface CoderContext {
    values: Props;
    coder: Props;
    subject: string;
    gaps: PreviewGaps;
    report: ReportViolation;
    config: Record<string, any>;
}

/** A validation for Coder chart deployments; other charts are reported as not applicable. */
export function validateCoderChart(check: (ctx: CoderContext) => void): ResourceValidation {
    return forTypes(CODER_CHART_TYPES, (props, args, report) => {
        if (!isCoderChart(props.chart)) args.notApplicable("Policy only applies to the Coder Helm chart");
        const values: Props = props.values ?? {};
        const gaps = new PreviewGaps();
        check({ values, coder: values.coder ?? {}, subject: subjectOfArgs(args), gaps, report, config: args.getConfig() });
        gaps.settle();
    });
}
