// CEL for the workspace admission rules. coderd creates workspace pods, deployments and volumes at run
// time, where no Pulumi policy sees them; these expressions are what the API server itself enforces.

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
