// What a policy guards and where else its rule is catalogued, kept as data beside the policy so the pack's
// README table and the responsibility table's Guard column can be generated and checked, not retyped.
import { ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";
import { Responsibility } from "./responsibilities";

/** The same rule in other catalogues, so a reviewer can compare this pack with tools they already use. */
export interface References {
  /** CIS Amazon EKS Benchmark 1.8.0 recommendations, e.g. "4.2.1"; a note in parentheses qualifies one. */
  readonly cisEks?: readonly string[];
  /** Kyverno policy names. */
  readonly kyverno?: readonly string[];
  /** Checkov check IDs (`CKV_*`). */
  readonly checkov?: readonly string[];
  /** Anything else: Polaris checks, kube-score tests, EKS Best Practices sections, Coder settings and issues. */
  readonly other?: readonly string[];
}

export interface PolicyMetadata {
  /** Keys of the docs/responsibility.md rows this policy guards; each row names the policy in its Guard cell. */
  readonly responsibilities: readonly [Responsibility, ...Responsibility[]];
  /** Becomes the policy's `severity`, which the engine attaches to every violation. */
  readonly severity: Severity;
  /** What the policy forbids, as one line of Markdown for the pack README's policy table. */
  readonly forbids: string;
  readonly references: References;
}

export type DescribedPolicy = (ResourceValidationPolicy | StackValidationPolicy) & {
  readonly metadata: PolicyMetadata;
};

type Unrated<P> = Omit<P, "severity">;

/**
 * Attaches the metadata to the policy and sets the policy's severity from it. The engine reads only the
 * fields it knows, so the extra `metadata` property never reaches it.
 */
export function definePolicy<P extends Unrated<ResourceValidationPolicy> | Unrated<StackValidationPolicy>>(
  metadata: PolicyMetadata,
  policy: P,
): P & { readonly severity: Severity; readonly metadata: PolicyMetadata } {
  return { ...policy, severity: metadata.severity, metadata };
}
