// Where the pod spec lives in each workload kind, so the pod-level policies judge a Deployment, a
// CronJob and a bare Pod alike.
import { ReportViolation, ResourceValidation } from "@pulumi/policy";
import { forTypes, Props, subjectOfArgs } from "./policy";
import { isPatch } from "./types";
import { eachOf, PreviewGaps, readOr } from "./unknowns";

const WORKLOAD_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"];
const WORKLOAD_GROUPS: Record<string, string[]> = {
    core: ["v1"],
    apps: ["v1", "v1beta1", "v1beta2"],
    extensions: ["v1beta1"],
    batch: ["v1", "v1beta1"],
};

/** Every workload type token the Kubernetes provider registers, with their Patch variants. */
export const WORKLOAD_TYPES: string[] = Object.entries(WORKLOAD_GROUPS).flatMap(([group, versions]) =>
    versions.flatMap((version) => WORKLOAD_KINDS.flatMap((kind) => [`kubernetes:${group}/${version}:${kind}`, `kubernetes:${group}/${version}:${kind}Patch`])),
);

export function podSpecOf(type: string, props: Props): Props | undefined {
    const kind = type.slice(type.lastIndexOf(":") + 1).replace(/Patch$/, "");
    if (kind === "Pod") return props.spec;
    if (kind === "CronJob") return props.spec?.jobTemplate?.spec?.template?.spec;
    return props.spec?.template?.spec;
}

export interface ContainerRef {
    container: Props;
    /** `container "dev"`, `init container "setup"`. */
    label: string;
    init: boolean;
}

const CONTAINER_LISTS = [
    { key: "containers", label: "container", init: false },
    { key: "initContainers", label: "init container", init: true },
    { key: "ephemeralContainers", label: "ephemeral container", init: false },
] as const;

/** Calls fn for each container; `lists` narrows to e.g. containers and initContainers (which carry resources). */
export function eachContainer(
    spec: Props,
    gaps: PreviewGaps,
    fn: (ref: ContainerRef) => void,
    lists: readonly string[] = CONTAINER_LISTS.map((l) => l.key),
): void {
    for (const list of CONTAINER_LISTS) {
        if (!lists.includes(list.key)) continue;
        gaps.judge(() =>
            eachOf(
                spec[list.key] as Props[] | undefined,
                (container, i) => fn({ container, label: `${list.label} "${readOr(() => container.name, String(i))}"`, init: list.init }),
                gaps,
            ),
        );
    }
}

export interface WorkloadContext {
    spec: Props;
    type: string;
    /** A Patch changes only what it names, so absence-based checks skip it. */
    patch: boolean;
    /** `Deployment "coder/coderd"`. */
    subject: string;
    gaps: PreviewGaps;
    report: ReportViolation;
    config: Record<string, any>;
}

/** A validation over the pod spec of every workload kind; resources without a pod spec pass. */
export function validatePodSpec(check: (ctx: WorkloadContext) => void): ResourceValidation {
    return forTypes(WORKLOAD_TYPES, (props, args, report) => {
        const spec = podSpecOf(args.type, props);
        if (!spec) return;
        const gaps = new PreviewGaps();
        check({ spec, type: args.type, patch: isPatch(args.type), subject: subjectOfArgs(args), gaps, report, config: args.getConfig() });
        gaps.settle();
    });
}
