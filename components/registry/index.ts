import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PULL_ACCOUNT_ANNOTATION, PULL_SECRET } from "../../policy-pack/contract";
import { NamespaceRef } from "../types";

export type PullCredentials =
  | { mode: "node-role" }
  | { mode: "anonymous" }
  | { mode: "docker-config"; account: string; dockerConfigJson: pulumi.Input<string> };

export interface RegistryAccessArgs {
  /** The namespaces whose pods pull with the Coder-only account. */
  readonly namespaces: NamespaceRef[];
  /** How pods authenticate to the registry. */
  readonly pull: PullCredentials;
}

/**
 * Pull credentials for a Coder-only, pull-only registry account (Coder's shared-responsibility model,
 * docs/responsibility.md: "the registry account used to access images should be a specific Coder-only
 * account"). On AWS the node role's ECR read-only policy does this and nothing is stored in the cluster;
 * push credentials never are.
 */
export class RegistryAccess extends pulumi.ComponentResource {
  /** The Secret name to list in imagePullSecrets, when one exists. */
  readonly pullSecretName?: string;

  constructor(name: string, args: RegistryAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:registry:RegistryAccess", name, {}, opts);
    const pull = args.pull;
    if (pull.mode === "docker-config") {
      for (const ns of args.namespaces) {
        new k8s.core.v1.Secret(
          `${name}-${ns.name}-pull`,
          {
            metadata: {
              name: PULL_SECRET,
              namespace: ns.ref,
              annotations: { [PULL_ACCOUNT_ANNOTATION]: pull.account },
            },
            type: "kubernetes.io/dockerconfigjson",
            stringData: { ".dockerconfigjson": pulumi.secret(pull.dockerConfigJson) },
          },
          { parent: this },
        );
      }
      this.pullSecretName = PULL_SECRET;
    }
    this.registerOutputs({ pullSecretName: this.pullSecretName });
  }
}
