import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dockerHubSpellings } from "../../policy-pack/contract";
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
 * "docker.io/codercom/x". Each approved Docker Hub prefix is therefore also allowed in its short forms, so
 * the rule and the runtime agree on what an approved image is.
 */
export function admissionImagePrefixes(approved: string[]): string[] {
  return [...new Set(approved.flatMap((prefix) => [prefix, ...(dockerHubSpellings(prefix) ?? [])]))];
}

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

type ResourceRule = k8s.types.input.admissionregistration.v1.NamedRuleWithOperations;

const WRITE = ["CREATE", "UPDATE"];
const POD_RULES: ResourceRule[] = [
  { apiGroups: [""], apiVersions: ["v1"], operations: WRITE, resources: ["pods", "pods/ephemeralcontainers"] },
  {
    apiGroups: ["apps"],
    apiVersions: ["v1"],
    operations: WRITE,
    resources: ["deployments", "statefulsets", "replicasets", "daemonsets"],
  },
];

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

    const guard = (
      part: string,
      resourceRules: ResourceRule[],
      validations: Validation[],
      variables: k8s.types.input.admissionregistration.v1.Variable[] = [],
    ) => {
      const policyName = `coder-workspace-${part}`;
      const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
        `${name}-${part}`,
        {
          metadata: { name: policyName },
          spec: {
            // A rule that cannot be evaluated must not become a way around it.
            failurePolicy: "Fail",
            matchConstraints: { resourceRules },
            variables,
            validations,
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

    guard("pods", POD_RULES, podValidations(), [
      { name: "podSpec", expression: POD_SPEC },
      { name: "containers", expression: ALL_CONTAINERS },
      { name: "registries", expression: celStringList(args.approvedRegistries) },
      { name: "allowedCapabilities", expression: celStringList(args.allowedCapabilities) },
      { name: "allowedSecrets", expression: celStringList(args.allowedSecrets) },
    ]);
    guard(
      "ephemeral-storage",
      [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
      [ephemeralStorageValidation()],
    );
    guard(
      "volume-size",
      [{ apiGroups: [""], apiVersions: ["v1"], operations: WRITE, resources: ["persistentvolumeclaims"] }],
      [volumeSizeValidation(args.maxVolumeSize)],
    );

    this.registerOutputs({ policyNames: this.policyNames });
  }
}
