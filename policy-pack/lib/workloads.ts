// Where the pod spec lives in each workload kind, so the pod-level policies judge a Deployment, a
// CronJob and a bare Pod alike.
import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { Props, subjectOfArgs } from "./policy";
import { isPatch, K8S, K8S_COMPONENT_TYPES } from "./types";
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

// Custom resources (Argo Rollouts, KEDA ScaledJobs, operators' own kinds) carry pod templates their
// controllers turn into pods just the same. Components, Helm releases (whose values are not a pod spec),
// ConfigMaps and Secrets are never searched.
const WORKLOAD_SET = new Set(WORKLOAD_TYPES);
const NOT_WORKLOADS = new Set<string>([...K8S_COMPONENT_TYPES, K8S.helmReleaseV3, K8S.configMap, K8S.secret]);
const MAX_DEPTH = 8;

function collectPodSpecs(value: unknown, depth: number, found: Props[]): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return;
  // A list's keys are its indices, so lists are walked like objects, one level per step.
  const obj = value as Props;
  if (Array.isArray(obj.containers) && obj.containers.some((c: unknown) => c && typeof c === "object")) {
    found.push(obj);
    return;
  }
  for (const key of Object.keys(obj)) {
    if (key === "metadata" || key === "status") continue;
    collectPodSpecs(obj[key], depth + 1, found);
  }
}

/**
 * The pod specs a resource carries: the one at its kind's place for the built-in workloads, and for any
 * other Kubernetes type (a custom resource) every object below spec with a containers list.
 */
export function podSpecsOf(type: string, props: Props): Props[] {
  if (WORKLOAD_SET.has(type)) {
    const spec = podSpecOf(type, props);
    return spec ? [spec] : [];
  }
  if (!type.startsWith("kubernetes:") || NOT_WORKLOADS.has(type)) return [];
  const found: Props[] = [];
  readOr(() => collectPodSpecs(props.spec, 0, found), undefined);
  return found;
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
  /** The resource itself (props and provider), e.g. for the namespace it lands in. */
  resource: Pick<ResourceValidationArgs, "props" | "provider">;
}

/** A validation over the pod spec of every workload kind; resources without a pod spec pass. */
export function validatePodSpec(check: (ctx: WorkloadContext) => void): ResourceValidation {
  return (args, report) => {
    const specs = podSpecsOf(args.type, args.props);
    if (!WORKLOAD_SET.has(args.type) && specs.length === 0)
      args.notApplicable(
        `Policy only applies to resources of type ${WORKLOAD_TYPES.join(", ")} or carrying a pod template`,
      );
    for (const spec of specs) {
      const gaps = new PreviewGaps();
      check({
        spec,
        type: args.type,
        patch: isPatch(args.type),
        subject: subjectOfArgs(args),
        gaps,
        report,
        config: args.getConfig(),
        resource: args,
      });
      gaps.settle();
    }
  };
}
