// Where the pod spec lives in each workload kind, so the pod-level policies judge a Deployment, a
// CronJob and a bare Pod alike.
import { ReportViolation, ResourceValidation } from "@pulumi/policy";
import { forTypes, Props, subjectOfArgs } from "./policy";
import { isPatch } from "./types";
import { eachOf, PreviewGaps, readOr } from "./unknowns";

// Group/version -> the workload kinds the Kubernetes provider registers under it (beta versions included:
// the SDK still ships them, and a policy must not miss a resource because it uses an old apiVersion).
const WORKLOAD_KINDS: Record<string, string[]> = {
  "core/v1": ["Pod", "ReplicationController"],
  "apps/v1": ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
  "apps/v1beta1": ["Deployment", "StatefulSet"],
  "apps/v1beta2": ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
  "extensions/v1beta1": ["Deployment", "DaemonSet", "ReplicaSet"],
  "batch/v1": ["Job", "CronJob"],
  "batch/v1beta1": ["CronJob"],
  "batch/v2alpha1": ["CronJob"],
};

/** Every workload type token, with its Patch variant. */
export const WORKLOAD_TYPES: string[] = Object.entries(WORKLOAD_KINDS).flatMap(([groupVersion, kinds]) =>
  kinds.flatMap((kind) => [`kubernetes:${groupVersion}:${kind}`, `kubernetes:${groupVersion}:${kind}Patch`]),
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
        (container, i) =>
          fn({ container, label: `${list.label} "${readOr(() => container.name, String(i))}"`, init: list.init }),
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
    check({
      spec,
      type: args.type,
      patch: isPatch(args.type),
      subject: subjectOfArgs(args),
      gaps,
      report,
      config: args.getConfig(),
    });
    gaps.settle();
  });
}
