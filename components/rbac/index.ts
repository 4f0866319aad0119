import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PATCH_FORCE_ANNOTATION, WORKSPACE_VERBS } from "../../policy-pack/contract";
import { NamespaceRef } from "../types";

export interface ScopedServiceAccountsArgs {
  /** coderd's namespace. */
  readonly controlPlane: NamespaceRef;
  /** The workspace namespaces coderd may create workspaces in. */
  readonly workspaces: NamespaceRef[];
  /** Name of coderd's ServiceAccount; the Coder chart is told to use it rather than create its own. */
  readonly coderdServiceAccount: string;
  /** Name of the token-less ServiceAccount workspace pods run as. */
  readonly workspaceServiceAccount: string;
  /** Coder's Kubernetes template creates Deployments; templates that create bare pods can turn this off. */
  readonly allowDeployments: boolean;
  /** Pull secret for the Coder-only registry account, attached to the workspace ServiceAccount. */
  readonly imagePullSecret?: string;
  /** Annotations for coderd's ServiceAccount (on EKS: the IRSA role that pulls images). */
  readonly coderdAnnotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The rule set the official chart grants coderd, restated here so the blueprint owns and tests it. */
export function workspaceRules(allowDeployments: boolean): k8s.types.input.rbac.v1.PolicyRule[] {
  const verbs = [...WORKSPACE_VERBS];
  const rules: k8s.types.input.rbac.v1.PolicyRule[] = [
    { apiGroups: [""], resources: ["pods"], verbs },
    { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs },
  ];
  if (allowDeployments) rules.push({ apiGroups: ["apps"], resources: ["deployments"], verbs });
  return rules;
}

/**
 * coderd's identity and what it may do: namespaced Roles in the workspace namespaces only, no ClusterRole,
 * no wildcard. Workspace pods get an identity with no API token, and the namespaces' default
 * ServiceAccounts stop mounting theirs, so a workspace user holds no Kubernetes credential.
 */
export class ScopedServiceAccounts extends pulumi.ComponentResource {
  /** coderd's ServiceAccount. */
  readonly coderd: k8s.core.v1.ServiceAccount;
  /** Its name, resolved once it exists. */
  readonly coderdName: pulumi.Output<string>;

  constructor(name: string, args: ScopedServiceAccountsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:rbac:ScopedServiceAccounts", name, {}, opts);
    const childOpts = { parent: this };

    this.coderd = new k8s.core.v1.ServiceAccount(
      `${name}-coderd`,
      {
        metadata: {
          name: args.coderdServiceAccount,
          namespace: args.controlPlane.ref,
          annotations: args.coderdAnnotations,
        },
      },
      childOpts,
    );
    this.coderdName = this.coderd.metadata.name;

    for (const ns of [args.controlPlane, ...args.workspaces]) {
      const isWorkspace = ns !== args.controlPlane;
      new k8s.core.v1.ServiceAccountPatch(
        `${name}-${ns.name}-default-sa`,
        {
          // The ServiceAccount belongs to the controller-manager; the blueprint owns only these fields.
          metadata: { name: "default", namespace: ns.ref, annotations: { [PATCH_FORCE_ANNOTATION]: "true" } },
          automountServiceAccountToken: false,
          // Coder's Kubernetes template runs workspaces as "default", so it pulls with the Coder-only account too.
          ...(isWorkspace && args.imagePullSecret ? { imagePullSecrets: [{ name: args.imagePullSecret }] } : {}),
        },
        childOpts,
      );
    }

    for (const ws of args.workspaces) {
      const role = new k8s.rbac.v1.Role(
        `${name}-${ws.name}-coderd-role`,
        {
          metadata: { name: "coder-workspace-perms", namespace: ws.ref },
          rules: workspaceRules(args.allowDeployments),
        },
        childOpts,
      );
      new k8s.rbac.v1.RoleBinding(
        `${name}-${ws.name}-coderd-binding`,
        {
          metadata: { name: "coder-workspace-perms", namespace: ws.ref },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
          subjects: [{ kind: "ServiceAccount", name: this.coderdName, namespace: args.controlPlane.ref }],
        },
        childOpts,
      );
      new k8s.core.v1.ServiceAccount(
        `${name}-${ws.name}-workspace-sa`,
        {
          metadata: { name: args.workspaceServiceAccount, namespace: ws.ref },
          automountServiceAccountToken: false,
          ...(args.imagePullSecret ? { imagePullSecrets: [{ name: args.imagePullSecret }] } : {}),
        },
        childOpts,
      );
    }

    this.registerOutputs({ coderd: this.coderd, coderdName: this.coderdName });
  }
}
