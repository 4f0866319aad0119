import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { approvedImagePattern } from "../../policy-pack/contract";
import { NamespaceRef } from "../types";
import {
  ALL_CONTAINERS,
  celStringList,
  ephemeralStorageValidation,
  POD_SPEC,
  podValidations,
  Validation,
  volumeSizeValidation,
} from "./cel";

export type ValidationAction = "Deny" | "Warn" | "Audit";

/**
 * The API server sees image references as written, while container runtimes read "codercom/x" as
 * "docker.io/codercom/x". Each approved prefix becomes one pattern that matches every spelling the runtime
 * resolves under it, cut at a path boundary, so the rule and the policy pack's unapproved-images agree on
 * what an approved image is.
 */
export function admissionImagePatterns(approved: string[]): string[] {
  return [...new Set(approved.map(approvedImagePattern))];
}

/** What the rules hold workspace objects to. */
export interface AdmissionRules {
  /** Patterns of approved image references (see admissionImagePatterns). */
  readonly imagePatterns: string[];
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

type ResourceRule = k8s.types.input.admissionregistration.v1.NamedRuleWithOperations;
type PolicySpec = k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicySpec;
type BindingSpec = k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec;

const WRITE = ["CREATE", "UPDATE"];
// UPDATE too: a running pod's images can be changed in place, and `kubectl debug` adds containers to a
// running pod through the pods/ephemeralcontainers subresource.
const POD_RULES: ResourceRule[] = [
  { apiGroups: [""], apiVersions: ["v1"], operations: WRITE, resources: ["pods", "pods/ephemeralcontainers"] },
  { apiGroups: [""], apiVersions: ["v1"], operations: WRITE, resources: ["replicationcontrollers"] },
  {
    apiGroups: ["apps"],
    apiVersions: ["v1"],
    operations: WRITE,
    resources: ["deployments", "statefulsets", "replicasets", "daemonsets"],
  },
  { apiGroups: ["batch"], apiVersions: ["v1"], operations: WRITE, resources: ["jobs", "cronjobs"] },
];

export interface AdmissionPolicy {
  /** The name of the ValidatingAdmissionPolicy and of its binding. */
  readonly name: string;
  readonly policy: PolicySpec;
  readonly binding: BindingSpec;
}

/**
 * The policies and their bindings as the API server receives them, a pure function so that tests can
 * evaluate them and the end-to-end suite can submit them to a real API server.
 */
export function admissionPolicies(rules: AdmissionRules, namespaces: string[]): AdmissionPolicy[] {
  const guard = (
    part: string,
    resourceRules: ResourceRule[],
    validations: Validation[],
    variables: k8s.types.input.admissionregistration.v1.Variable[] = [],
  ): AdmissionPolicy => {
    const name = `coder-workspace-${part}`;
    return {
      name,
      policy: {
        // A rule that cannot be evaluated must not become a way around it.
        failurePolicy: "Fail",
        matchConstraints: { resourceRules },
        variables,
        validations,
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
    };
  };
  return [
    guard("pods", POD_RULES, podValidations(), [
      { name: "podSpec", expression: POD_SPEC },
      { name: "containers", expression: ALL_CONTAINERS },
      { name: "imagePatterns", expression: celStringList(rules.imagePatterns) },
      { name: "allowedCapabilities", expression: celStringList(rules.allowedCapabilities) },
      { name: "allowedSecrets", expression: celStringList(rules.allowedSecrets) },
    ]),
    guard(
      "ephemeral-storage",
      [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
      [ephemeralStorageValidation()],
    ),
    guard(
      "volume-size",
      [{ apiGroups: [""], apiVersions: ["v1"], operations: WRITE, resources: ["persistentvolumeclaims"] }],
      [volumeSizeValidation(rules.maxVolumeSize)],
    ),
  ];
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
