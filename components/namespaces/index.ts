import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PSA_PREFIX, ROLE_CONTROL_PLANE, ROLE_LABEL, ROLE_WORKSPACES } from "../../policy-pack/conventions";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface PodSecurityModes {
  enforce: PodSecurityLevel;
  audit: PodSecurityLevel;
  warn: PodSecurityLevel;
}

/**
 * The Pod Security labels are the namespace's security boundary: when someone relaxes one out of band
 * (`kubectl label --overwrite`), the next `pulumi up` must take it back rather than stop at the
 * server-side-apply conflict.
 */
const RECLAIM_ON_APPLY = { "pulumi.com/patchForce": "true" };

export interface NamespacesArgs {
  provider: k8s.Provider;
  controlPlaneNamespace: string;
  workspaceNamespaces: string[];
  workspacePodSecurity: PodSecurityModes;
  /** The Pod Security Standards version both kinds of namespace are held to. */
  podSecurityVersion: string;
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
  readonly controlPlane: k8s.core.v1.Namespace;
  readonly workspaces: k8s.core.v1.Namespace[];
  /** Names of the namespaces, resolved only after each namespace exists. */
  readonly controlPlaneName: pulumi.Output<string>;
  readonly workspaceNames: pulumi.Output<string>[];

  constructor(name: string, args: NamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:namespaces:Namespaces", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };

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

    this.registerOutputs({ controlPlane: this.controlPlaneName, workspaces: this.workspaceNames });
  }
}
