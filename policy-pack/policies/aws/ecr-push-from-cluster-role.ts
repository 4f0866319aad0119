// Roles used inside the cluster — node roles, which every pod can reach through IMDS if it is exposed,
// and roles pods assume through IRSA or Pod Identity — must only pull. If one can push, a workspace can
// overwrite an approved image that other workspaces and coderd then run.
// Roles are linked to node groups and grants through property dependencies (known during preview even
// for new roles), falling back to ARN or name. Every resource is indexed once; lookups are map reads.
import { PolicyResource } from "@pulumi/policy";
import {
  managedPolicyName,
  MANAGED_PUSH_POLICIES,
  pushActionsGranted,
  roleNameFromArn,
  trustsPods,
} from "../../lib/iam";
import { Props, subjectOfResource } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { eachOf, PreviewGaps, readOr } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

interface ClusterRole {
  role: PolicyResource;
  why: string;
}

class RoleIndex {
  private byName = new Map<string, PolicyResource>();
  private byArn = new Map<string, PolicyResource>();
  private policiesByArn = new Map<string, PolicyResource>();

  constructor(resources: PolicyResource[]) {
    for (const r of resources) {
      const arn = readOr<unknown>(() => r.props.arn, undefined);
      if (r.type === AWS.iamRole) {
        const name = readOr<unknown>(() => r.props.name, undefined);
        if (typeof name === "string") this.byName.set(name, r);
        if (typeof arn === "string") this.byArn.set(arn, r);
      } else if (r.type === AWS.iamPolicy && typeof arn === "string") {
        this.policiesByArn.set(arn, r);
      }
    }
  }

  /** The stack's roles a property refers to: through its dependencies, else by ARN or name. */
  roles(resource: PolicyResource, property: string): PolicyResource[] {
    const deps = (resource.propertyDependencies[property] ?? []).filter((d) => d.type === AWS.iamRole);
    if (deps.length > 0) return deps;
    const value: unknown = resource.props[property];
    const refs = Array.isArray(value) ? value : [value];
    // A role name never contains ":", so a reference is a name exactly when it does not parse as an ARN.
    return refs
      .filter((v): v is string => typeof v === "string")
      .map((v) => this.byArn.get(v) ?? this.byName.get(roleNameFromArn(v) ?? v))
      .filter((r): r is PolicyResource => r !== undefined);
  }

  /** What a policy ARN grants: a document from the stack, or a known AWS-managed policy name. */
  policy(resource: PolicyResource, property: string): { document?: unknown; managed?: string } {
    const dep = (resource.propertyDependencies[property] ?? []).find((d) => d.type === AWS.iamPolicy);
    if (dep) return { document: dep.props.policy };
    const arn: unknown = resource.props[property];
    if (typeof arn !== "string") return {};
    const managed = managedPolicyName(arn);
    if (managed) return { managed };
    const local = this.policiesByArn.get(arn);
    return local ? { document: local.props.policy } : {};
  }
}

function grantedBy(source: { document?: unknown; managed?: string }): string[] {
  if (source.managed)
    return MANAGED_PUSH_POLICIES.has(source.managed) ? [`all ECR push actions (AWS-managed ${source.managed})`] : [];
  // A missing document (a policy from outside the stack) grants nothing pushActionsGranted can read.
  return pushActionsGranted(source.document);
}

export const ecrPushFromClusterRole = definePolicy(
  {
    responsibilities: ["node-cloud-access", "registry-account"],
    severity: "high",
    forbids: "ECR push actions on node, IRSA or Pod Identity roles",
    references: { cisEks: ["5.1.2", "5.1.3"] },
  },
  {
    name: "ecr-push-from-cluster-role",
    description:
      "IAM roles used in the cluster (node roles, IRSA and Pod Identity roles) must not be granted ECR push actions.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Grant cluster roles only pull actions (AmazonEC2ContainerRegistryReadOnly or PullOnly); push images from a " +
      "separate CI role that nothing in the cluster can assume.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const index = new RoleIndex(args.resources);

      const clusterRoles = new Map<string, ClusterRole>();
      const mark = (role: PolicyResource, why: string) => {
        if (!clusterRoles.has(role.urn)) clusterRoles.set(role.urn, { role, why });
      };
      for (const r of args.resources) {
        if (r.type === AWS.eksNodeGroup)
          gaps.judge(() =>
            index.roles(r, "nodeRoleArn").forEach((role) => mark(role, `node role of ${subjectOfResource(r)}`)),
          );
        else if (r.type === AWS.eksPodIdentityAssociation)
          gaps.judge(() =>
            index.roles(r, "roleArn").forEach((role) => mark(role, `assumed by pods through ${subjectOfResource(r)}`)),
          );
        else if (r.type === AWS.iamRole)
          gaps.judge(
            () =>
              trustsPods(r.props.assumeRolePolicy) &&
              mark(r, "its trust policy lets pods assume it (IRSA/Pod Identity)"),
          );
      }
      if (clusterRoles.size === 0) return gaps.settle();

      const flag = (grant: PolicyResource, roles: PolicyResource[], actions: string[]) => {
        if (actions.length === 0) return;
        for (const role of roles) {
          const used = clusterRoles.get(role.urn);
          if (!used) continue;
          report(
            `${subjectOfResource(grant)}: grants ${actions.join(", ")} to ${subjectOfResource(role)} ` +
              `(${used.why}), so workloads in the cluster can overwrite images; ` +
              "grant this role only pull actions and push from a separate CI role.",
            grant.urn,
          );
        }
      };
      for (const r of args.resources) {
        switch (r.type) {
          case AWS.iamRole:
            if (!clusterRoles.has(r.urn)) break;
            eachOf(
              r.props.inlinePolicies as Props[] | undefined,
              (p) => flag(r, [r], pushActionsGranted(p.policy)),
              gaps,
            );
            eachOf(
              r.props.managedPolicyArns as string[] | undefined,
              (arn) => flag(r, [r], grantedBy({ managed: managedPolicyName(arn) })),
              gaps,
            );
            break;
          case AWS.iamRolePolicy:
            gaps.judge(() => flag(r, index.roles(r, "role"), pushActionsGranted(r.props.policy)));
            break;
          case AWS.iamRolePolicyAttachment:
            gaps.judge(() => flag(r, index.roles(r, "role"), grantedBy(index.policy(r, "policyArn"))));
            break;
          case AWS.iamPolicyAttachment:
            gaps.judge(() => flag(r, index.roles(r, "roles"), grantedBy(index.policy(r, "policyArn"))));
            break;
        }
      }
      gaps.settle();
    },
  },
);
