import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  PATCH_FORCE_ANNOTATION,
  PSA_PREFIX,
  ROLE_CONTROL_PLANE,
  ROLE_LABEL,
  ROLE_WORKSPACES,
} from "../../policy-pack/contract";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface PodSecurityModes {
  /** Pods below this level are rejected. */
  readonly enforce: PodSecurityLevel;
  /** Pods below this level are recorded in the audit log. */
  readonly audit: PodSecurityLevel;
  /** Pods below this level draw a warning for whoever creates them. */
  readonly warn: PodSecurityLevel;
}

/**
 * The Pod Security labels are the namespace's security boundary: when someone relaxes one out of band
 * (`kubectl label --overwrite`), the next `pulumi up` must take it back rather than stop at the
 * server-side-apply conflict.
 */
const RECLAIM_ON_APPLY = { [PATCH_FORCE_ANNOTATION]: "true" };

export interface NamespacesArgs {
  /** The namespace coderd runs in; always held to the restricted level. */
  readonly controlPlaneNamespace: string;
  /** One namespace per workspace group. */
  readonly workspaceNamespaces: string[];
  /** The Pod Security levels of the workspace namespaces. */
  readonly workspacePodSecurity: PodSecurityModes;
  /** The Pod Security Standards version both kinds of namespace are held to. */
  readonly podSecurityVersion: string;
}

export function podSecurityLabels(modes: PodSecurityModes, version: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"] as const) {
    labels[`${PSA_PREFIX}/${mode}`] = modes[mode];
    labels[`${PSA_PREFIX}/${mode}-version`] = version;
  }
  return labels;
}

/**
 * The control-plane namespace for coderd and one namespace per workspace group, each labelled for Pod
 * Security Admission so the API server itself rejects pods weaker than the namespace's level — including
 * the pods coderd creates at run time, which no Pulumi policy ever sees.
 */
export class Namespaces extends pulumi.ComponentResource {
  /** coderd's namespace. */
  readonly controlPlane: k8s.core.v1.Namespace;
  /** The workspace namespaces, in the order configured. */
  readonly workspaces: k8s.core.v1.Namespace[];
  /** Name of coderd's namespace, resolved only after it exists. */
  readonly controlPlaneName: pulumi.Output<string>;
  /** Names of the workspace namespaces, each resolved after its namespace exists. */
  readonly workspaceNames: pulumi.Output<string>[];

  constructor(name: string, args: NamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:namespaces:Namespaces", name, {}, opts);
    const childOpts = { parent: this };

    this.controlPlane = new k8s.core.v1.Namespace(
      `${name}-${args.controlPlaneNamespace}`,
      {
        metadata: {
          name: args.controlPlaneNamespace,
          annotations: RECLAIM_ON_APPLY,
          labels: {
            [ROLE_LABEL]: ROLE_CONTROL_PLANE,
            ...podSecurityLabels(
              { enforce: "restricted", audit: "restricted", warn: "restricted" },
              args.podSecurityVersion,
            ),
          },
        },
      },
      childOpts,
    );
    this.workspaces = args.workspaceNamespaces.map(
      (ns) =>
        new k8s.core.v1.Namespace(
          `${name}-${ns}`,
          {
            metadata: {
              name: ns,
              annotations: RECLAIM_ON_APPLY,
              labels: {
                [ROLE_LABEL]: ROLE_WORKSPACES,
                ...podSecurityLabels(args.workspacePodSecurity, args.podSecurityVersion),
              },
            },
          },
          childOpts,
        ),
    );
    this.controlPlaneName = this.controlPlane.metadata.name;
    this.workspaceNames = this.workspaces.map((ns) => ns.metadata.name);

    this.registerOutputs({
      controlPlane: this.controlPlane,
      workspaces: this.workspaces,
      controlPlaneName: this.controlPlaneName,
      workspaceNames: this.workspaceNames,
    });
  }
}
