// Reads the versions an EKS cluster runs now, for the upgrade planner (upgrades.ts). It uses invokes
// only, which register nothing, so a program awaits it before the first resource and the planner can
// refuse an impossible upgrade before anything changes. Under Pulumi's mocks the invokes are answered by
// the mock's `call`, which lets specs stand in for a live cluster.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADDONS, AddonName } from "./addons";
import { CurrentVersions, Live } from "./upgrades";

export interface CurrentVersionsOptions {
  /** The add-ons to read; all of ADDONS unless given. */
  readonly addons?: readonly AddonName[];
  /** The AWS provider (account and region) the cluster lives in. */
  readonly invoke?: pulumi.InvokeOptions;
}

/**
 * The live versions of cluster `clusterName`, its node groups `nodeGroupNames` and its add-ons, or
 * "absent" when the cluster does not exist yet. A declared node group or add-on that does not exist yet
 * reads as "absent".
 */
export async function currentVersions(
  clusterName: string,
  nodeGroupNames: readonly string[],
  options: CurrentVersionsOptions = {},
): Promise<CurrentVersions> {
  const opts = options.invoke;
  // ListClusters rather than DescribeCluster: a missing cluster is an answer here, not a failed invoke.
  const clusters = await aws.eks.getClusters({}, opts);
  if (!clusters.names?.includes(clusterName)) return "absent";
  const cluster = await aws.eks.getCluster({ name: clusterName }, opts);
  const groups = (await aws.eks.getNodeGroups({ clusterName }, opts)).names ?? [];
  const nodeGroups: Record<string, Live> = {};
  for (const nodeGroupName of nodeGroupNames) {
    nodeGroups[nodeGroupName] = groups.includes(nodeGroupName)
      ? (await aws.eks.getNodeGroup({ clusterName, nodeGroupName }, opts)).version
      : "absent";
  }
  const addons: Record<string, Live> = {};
  for (const addonName of options.addons ?? ADDONS) {
    // EKS has no ListAddons invoke in the provider; DescribeAddon fails for an add-on not installed yet
    // (a cluster created before its add-ons were managed), which is what "absent" means here.
    addons[addonName] = await aws.eks.getAddon({ clusterName, addonName }, opts).then(
      (a) => a.addonVersion,
      () => "absent" as const,
    );
  }
  return { controlPlane: cluster.version, nodeGroups, addons };
}
