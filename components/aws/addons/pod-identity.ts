// A role that exactly one Kubernetes service account assumes through EKS Pod Identity: the add-ons' roles
// and coderd's are made the same way, so none can drift to a broader trust.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrust } from "./iam";

export interface PodIdentityRoleArgs {
  /** The cluster whose Pod Identity agent hands out the role. */
  readonly clusterName: pulumi.Input<string>;
  /** Namespace of the one service account that may assume it. */
  readonly namespace: string;
  /** That service account's name. */
  readonly serviceAccount: string;
  /** What the role is for, on the role. */
  readonly description: string;
  /** Tags on the role and the association. */
  readonly tags?: Record<string, string>;
}

/** Creates `${name}-role` and its `${name}-identity` association. */
export function podIdentityRole(
  name: string,
  args: PodIdentityRoleArgs,
  opts?: pulumi.CustomResourceOptions,
): { role: aws.iam.Role; association: aws.eks.PodIdentityAssociation } {
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: args.description,
      assumeRolePolicy: pulumi
        .output(args.clusterName)
        .apply((c) => JSON.stringify(podIdentityTrust(c, args.namespace, args.serviceAccount))),
      tags: args.tags,
    },
    opts,
  );
  const association = new aws.eks.PodIdentityAssociation(
    `${name}-identity`,
    {
      clusterName: args.clusterName,
      namespace: args.namespace,
      serviceAccount: args.serviceAccount,
      roleArn: role.arn,
      tags: args.tags,
    },
    opts,
  );
  return { role, association };
}
