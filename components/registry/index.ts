import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export type PullCredentials =
  | { mode: "node-role" }
  | { mode: "anonymous" }
  | { mode: "docker-config"; account: string; dockerConfigJson: pulumi.Input<string> };

export interface RegistryAccessArgs {
  provider: k8s.Provider;
  namespaces: Array<{ name: string; ref: pulumi.Input<string> }>;
  pull: PullCredentials;
}

export const PULL_SECRET = "coder-registry-pull";
export const PULL_ACCOUNT_ANNOTATION = "coder-blueprint/registry-account";

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
          { parent: this, provider: args.provider },
        );
      }
      this.pullSecretName = PULL_SECRET;
    }
    this.registerOutputs({ pullSecretName: this.pullSecretName });
  }
}
