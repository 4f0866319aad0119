// Building blocks shared by the policies: type filtering that mirrors validateResourceOfType (without
// needing the provider SDKs) and the "<kind> "<name>"" subject every message starts with.
import { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { kindOf } from "./types";
import { readOr } from "./unknowns";

export type Props = Record<string, any>;

/** A field that providers accept as one value or a list, as a list; absent (or null) is empty. */
export function asList<T>(value: T | readonly T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}
export type ResourceCheck = (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void;

/** A validation that applies to the given type tokens only, and says so to the engine otherwise. */
export function forTypes(types: readonly string[], check: ResourceCheck): ResourceValidation {
  const validation: ResourceValidation = (args, report) => {
    onlyTypes(args, types);
    check(args.props, args, report);
  };
  // With one type, the analyzer server turns every other resource away before it decodes the resource's
  // properties for this policy (validateResourceOfType's fast path), instead of once per policy and resource.
  if (types.length === 1) Object.assign(validation, { __pulumiType: types[0] });
  return validation;
}

/** Turns away a resource of any other type, as not applicable (also for a remediation, which forTypes cannot wrap). */
export function onlyTypes(
  args: { type: string; notApplicable: (reason: string) => never },
  types: readonly string[],
): void {
  if (!types.includes(args.type)) args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
}

function displayName(type: string, props: Props, fallback: string): string {
  if (type.startsWith("kubernetes:")) {
    const name = readOr<string>(() => props.metadata?.name, fallback);
    const namespace = readOr<string | undefined>(() => props.metadata?.namespace, undefined);
    return typeof namespace === "string" && namespace ? `${namespace}/${name}` : String(name);
  }
  return String(
    readOr<string>(() => props.name ?? props.nodeGroupName ?? props.identifier ?? props.clusterIdentifier, fallback),
  );
}

/** `StorageClass "gp3"`, `Deployment "coder/coderd"`, `EKS cluster "prod"`. */
export function subject(type: string, props: Props, fallbackName: string): string {
  return `${kindOf(type)} "${displayName(type, props, fallbackName)}"`;
}

export function subjectOfArgs(args: ResourceValidationArgs): string {
  return subject(args.type, args.props, args.name);
}

export function subjectOfResource(resource: PolicyResource): string {
  return subject(resource.type, resource.props, resource.name);
}

/** Accepts a boolean, or the string forms Kubernetes annotations and EC2 block devices use. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
