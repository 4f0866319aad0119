// The workspace admission rules: which objects each ValidatingAdmissionPolicy matches, its variables and its
// CEL validations. coderd creates workspace pods, deployments and volumes at run time, where no Pulumi policy
// sees them; these expressions are what the API server itself enforces. The program builds its policies
// from workspaceAdmissionRules and the pack compares the policies in a stack with the same rules, so a
// policy whose validations were gutted or loosened is caught.
import { approvedImagePattern } from "./images";

/** A CEL list literal of strings. Inputs are validated config (registry prefixes, capability names). */
export function celStringList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
}

/** The pod spec of a Pod, of a workload's pod template, or of a CronJob's job template. */
export const POD_SPEC =
  "has(object.spec.jobTemplate) ? object.spec.jobTemplate.spec.template.spec" +
  " : has(object.spec.template) ? object.spec.template.spec : object.spec";

/** Every container list, so no rule over containers can be dodged by moving a container to another list. */
export const ALL_CONTAINERS =
  "variables.podSpec.containers" +
  " + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : [])" +
  " + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])";

const flag = (field: string) => `(has(variables.podSpec.${field}) && variables.podSpec.${field})`;

export interface Validation {
  expression: string;
  message: string;
  reason: "Forbidden" | "Invalid";
}

export function podValidations(): Validation[] {
  return [
    {
      // Patterns from approvedImagePattern (policy-pack/contract): a reference matches only under an approved
      // prefix at a path boundary, however the runtime would spell the same image.
      expression: "variables.containers.all(c, variables.imagePatterns.exists(p, c.image.matches(p)))",
      message: "every container image must come from an approved registry (coder-blueprint:registry.approved)",
      reason: "Forbidden",
    },
    {
      expression:
        "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged)" +
        " || c.securityContext.privileged == false)",
      message: "privileged containers are not allowed in workspace namespaces",
      reason: "Forbidden",
    },
    {
      expression: `!${flag("hostNetwork")} && !${flag("hostPID")} && !${flag("hostIPC")}`,
      message: "hostNetwork, hostPID and hostIPC are not allowed in workspace namespaces",
      reason: "Forbidden",
    },
    {
      expression: "!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath))",
      message: "hostPath volumes are not allowed in workspace namespaces",
      reason: "Forbidden",
    },
    {
      expression:
        "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.capabilities)" +
        " || !has(c.securityContext.capabilities.add)" +
        " || c.securityContext.capabilities.add.all(cap, cap in variables.allowedCapabilities))",
      message: "containers may only add capabilities from coder-blueprint:admission.allowedCapabilities",
      reason: "Forbidden",
    },
    {
      // A pod can read any Secret of its namespace by mounting it, whatever RBAC says about the user.
      expression:
        "(!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v," +
        " (!has(v.secret) || v.secret.secretName in variables.allowedSecrets) &&" +
        " (!has(v.projected) || !has(v.projected.sources)" +
        " || v.projected.sources.all(s, !has(s.secret) || s.secret.name in variables.allowedSecrets))))" +
        " && variables.containers.all(c," +
        " (!has(c.env) || c.env.all(e, !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef)" +
        " || e.valueFrom.secretKeyRef.name in variables.allowedSecrets)) &&" +
        " (!has(c.envFrom) || c.envFrom.all(e, !has(e.secretRef) || e.secretRef.name in variables.allowedSecrets)))",
      message: "workspace pods may only read Secrets listed in coder-blueprint:admission.allowedSecrets",
      reason: "Forbidden",
    },
    {
      expression:
        "has(variables.podSpec.automountServiceAccountToken)" +
        " && variables.podSpec.automountServiceAccountToken == false",
      message:
        "workspace pods must set automountServiceAccountToken: false; a workspace holds no Kubernetes credentials",
      reason: "Forbidden",
    },
    {
      expression:
        "!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.projected)" +
        " || !has(v.projected.sources) || v.projected.sources.all(s, !has(s.serviceAccountToken)))",
      message: "workspace pods may not mount service account tokens through projected volumes",
      reason: "Forbidden",
    },
  ];
}

/**
 * Only pods, and only containers and initContainers: ephemeral containers may not set resources (the API
 * server rejects them), and they never exist at CREATE. The LimitRanger admission plugin fills default
 * limits into pods before validating admission runs, so a pod relying on the namespace's LimitRange
 * passes, while a Deployment template never does.
 */
export function ephemeralStorageValidation(): Validation {
  return {
    expression:
      "object.spec.containers.all(c, has(c.resources) && has(c.resources.limits)" +
      " && 'ephemeral-storage' in c.resources.limits)" +
      " && (!has(object.spec.initContainers) || object.spec.initContainers.all(c, has(c.resources)" +
      " && has(c.resources.limits) && 'ephemeral-storage' in c.resources.limits))",
    message: "every container needs an ephemeral-storage limit (set one, or rely on the namespace LimitRange)",
    reason: "Forbidden",
  };
}

export function volumeSizeValidation(maxSize: string): Validation {
  return {
    expression:
      "has(object.spec.resources) && has(object.spec.resources.requests)" +
      " && 'storage' in object.spec.resources.requests" +
      ` && quantity(object.spec.resources.requests.storage).compareTo(quantity(${JSON.stringify(maxSize)})) <= 0`,
    message: `workspace volumes may request at most ${maxSize}`,
    reason: "Invalid",
  };
}

/**
 * The API server sees image references as written, while container runtimes read "codercom/x" as
 * "docker.io/codercom/x". Each approved prefix becomes one anchored pattern that matches every spelling the
 * runtime resolves under it, cut at a path boundary, so the rule and the pack's unapproved-images agree on
 * what an approved image is.
 */
export function admissionImagePatterns(approved: readonly string[]): string[] {
  return [...new Set(approved.map(approvedImagePattern))];
}

/** The stack settings the rules are built from. */
export interface AdmissionSettings {
  /** Approved registry prefixes (coder-blueprint:registry.approved); the rule holds their patterns. */
  readonly approvedRegistries: readonly string[];
  /** Capabilities workspace containers may add. */
  readonly allowedCapabilities: readonly string[];
  /** Secrets workspace pods may mount or read into env. */
  readonly allowedSecrets: readonly string[];
  /** The largest volume a workspace may request. */
  readonly maxVolumeSize: string;
}

export interface ResourceRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
}

export interface AdmissionRule {
  resourceRules: ResourceRule[];
  variables: Array<{ name: string; expression: string }>;
  validations: Validation[];
}

const WRITE = ["CREATE", "UPDATE"];
// UPDATE too: a running pod's images can be changed in place, and `kubectl debug` adds containers to a
// running pod through the pods/ephemeralcontainers subresource. Every kind that carries a pod template.
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

/** The three ValidatingAdmissionPolicies by name (see WORKSPACE_ADMISSION_POLICIES). */
export function workspaceAdmissionRules(settings: AdmissionSettings): Record<string, AdmissionRule> {
  return {
    "coder-workspace-pods": {
      resourceRules: POD_RULES,
      variables: [
        { name: "podSpec", expression: POD_SPEC },
        { name: "containers", expression: ALL_CONTAINERS },
        { name: "imagePatterns", expression: celStringList(admissionImagePatterns(settings.approvedRegistries)) },
        { name: "allowedCapabilities", expression: celStringList([...settings.allowedCapabilities]) },
        { name: "allowedSecrets", expression: celStringList([...settings.allowedSecrets]) },
      ],
      validations: podValidations(),
    },
    "coder-workspace-ephemeral-storage": {
      resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
      variables: [],
      validations: [ephemeralStorageValidation()],
    },
    "coder-workspace-volume-size": {
      resourceRules: [
        { apiGroups: [""], apiVersions: ["v1"], operations: WRITE, resources: ["persistentvolumeclaims"] },
      ],
      variables: [],
      validations: [volumeSizeValidation(settings.maxVolumeSize)],
    },
  };
}
