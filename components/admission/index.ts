import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
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
  const prefixes = new Set<string>();
  for (const prefix of approved) {
    prefixes.add(prefix);
    const hub = /^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/([a-z0-9._-]+\/.*)$/.exec(prefix);
    // Official images ("ubuntu") have no prefix that could be approved without approving everything.
    if (!hub || hub[1].startsWith("library/")) continue;
    for (const host of ["docker.io/", "index.docker.io/", ""]) prefixes.add(host + hub[1]);
  }
  return [...prefixes];
}

export interface WorkspaceAdmissionArgs {
  provider: k8s.Provider;
  /** The namespaces the rules bind to. */
  workspaces: Array<{ name: string; ref: pulumi.Input<string> }>;
  /** What creates them: bindings wait for these, while naming the namespaces literally. */
  namespaceResources: pulumi.Resource[];
  approvedRegistries: string[];
  allowedCapabilities: string[];
  /** Secrets workspace pods may mount or read into env; none by default. */
  allowedSecrets: string[];
  maxVolumeSize: string;
  actions: ValidationAction[];
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
  readonly policyNames: pulumi.Output<string>[] = [];

  constructor(name: string, args: WorkspaceAdmissionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:admission:WorkspaceAdmission", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
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
