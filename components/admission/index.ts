import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { workspaceAdmissionRules } from "../../policy-pack/contract/admission-rules";
import { NamespaceRef } from "../types";

export { admissionImagePatterns } from "../../policy-pack/contract/admission-rules";

export type ValidationAction = "Deny" | "Warn" | "Audit";

/** What the rules hold workspace objects to. */
export interface AdmissionRules {
  /** Approved registry prefixes; the rules admit every spelling the runtime resolves under them. */
  readonly approvedRegistries: string[];
  /** Capabilities workspace containers may add. */
  readonly allowedCapabilities: string[];
  /** Secrets workspace pods may mount or read into env; none by default. */
  readonly allowedSecrets: string[];
  /** The largest volume a workspace may request. */
  readonly maxVolumeSize: string;
  /** What the API server does with a violation. */
  readonly actions: ValidationAction[];
}

export interface WorkspaceAdmissionArgs extends AdmissionRules {
  /** The namespaces the rules bind to. */
  readonly workspaces: NamespaceRef[];
  /** What creates them: bindings wait for these, while naming the namespaces literally. */
  readonly namespaceResources: pulumi.Resource[];
}

type PolicySpec = k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicySpec;
type BindingSpec = k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec;

export interface AdmissionPolicy {
  /** The name of the ValidatingAdmissionPolicy and of its binding. */
  readonly name: string;
  readonly policy: PolicySpec;
  readonly binding: BindingSpec;
}

/**
 * The policies and their bindings as the API server receives them, built from the canonical rules the
 * policy pack compares them with (policy-pack/contract/admission-rules.ts); a pure function so that tests
 * can evaluate them and the end-to-end suite can submit them to a real API server.
 */
export function admissionPolicies(rules: AdmissionRules, namespaces: string[]): AdmissionPolicy[] {
  return Object.entries(workspaceAdmissionRules(rules)).map(([name, rule]) => ({
    name,
    policy: {
      // A rule that cannot be evaluated must not become a way around it.
      failurePolicy: "Fail",
      matchConstraints: { resourceRules: rule.resourceRules },
      variables: rule.variables,
      validations: rule.validations,
    },
    binding: {
      policyName: name,
      validationActions: rules.actions,
      matchResources: {
        namespaceSelector: {
          matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: namespaces }],
        },
      },
    },
  }));
}

/**
 * ValidatingAdmissionPolicies (GA in Kubernetes 1.30, no controller to run) that hold what coderd creates
 * in workspace namespaces to the blueprint's rules, whatever a template author writes.
 */
export class WorkspaceAdmission extends pulumi.ComponentResource {
  /** Names of the ValidatingAdmissionPolicies, resolved once each exists. */
  readonly policyNames: pulumi.Output<string>[] = [];

  constructor(name: string, args: WorkspaceAdmissionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:admission:WorkspaceAdmission", name, {}, opts);
    const childOpts = { parent: this };
    // Literal names (with explicit dependencies) rather than outputs, so a preview already knows what
    // each binding selects and the policy pack can judge it before anything is created.
    const namespaces = args.workspaces.map((ws) => ws.name);

    for (const { name: policyName, policy: spec, binding } of admissionPolicies(args, namespaces)) {
      const part = policyName.slice("coder-workspace-".length);
      const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
        `${name}-${part}`,
        { metadata: { name: policyName }, spec },
        childOpts,
      );
      new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
        `${name}-${part}-binding`,
        { metadata: { name: policyName }, spec: binding },
        { ...childOpts, dependsOn: [policy, ...args.namespaceResources] },
      );
      this.policyNames.push(policy.metadata.name);
    }

    this.registerOutputs({ policyNames: this.policyNames });
  }
}
