import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NamespaceRef } from "../types";
import { AdmissionRule, workspaceAdmissionRules } from "../../policy-pack/contract/admission-rules";

export { admissionImagePrefixes } from "../../policy-pack/contract/admission-rules";

export type ValidationAction = "Deny" | "Warn" | "Audit";

export interface WorkspaceAdmissionArgs {
  /** The namespaces the rules bind to. */
  readonly workspaces: NamespaceRef[];
  /** What creates them: bindings wait for these, while naming the namespaces literally. */
  readonly namespaceResources: pulumi.Resource[];
  /** Image prefixes as the API server compares them (see admissionImagePrefixes). */
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

    const guard = (policyName: string, rule: AdmissionRule) => {
      const part = policyName.replace(/^coder-workspace-/, "");
      const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
        `${name}-${part}`,
        {
          metadata: { name: policyName },
          spec: {
            // A rule that cannot be evaluated must not become a way around it.
            failurePolicy: "Fail",
            matchConstraints: { resourceRules: rule.resourceRules },
            variables: rule.variables,
            validations: rule.validations,
          },
        },
        childOpts,
      );
      new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
        `${name}-${part}-binding`,
        {
          metadata: { name: policyName },
          spec: {
            policyName,
            validationActions: args.actions,
            matchResources: {
              namespaceSelector: {
                matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: namespaces }],
              },
            },
          },
        },
        { ...childOpts, dependsOn: [policy, ...args.namespaceResources] },
      );
      this.policyNames.push(policy.metadata.name);
    };

    const rules = workspaceAdmissionRules(args);
    for (const [policyName, rule] of Object.entries(rules)) guard(policyName, rule);

    this.registerOutputs({ policyNames: this.policyNames });
  }
}
