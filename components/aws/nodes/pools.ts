// What a node pool is, where pods land on it, and which AMI release it runs.
import {
  POOL_LABEL,
  POOL_SYSTEM,
  POOL_CODERD,
  POOL_WORKSPACES,
  POOL_TAINT_EFFECT,
  POOL_TAINT_KEY,
} from "../../../policy-pack/contract";
import { AmiType } from "./launch-template";

export type PoolRole = typeof POOL_SYSTEM | typeof POOL_CODERD | typeof POOL_WORKSPACES;

/** How a pool's AMI release moves: with AWS's recommended release, or only when the stack says so. */
export type ReleaseChannel = { channel: "track" } | { channel: "pinned"; releaseVersion: string };

/** How many nodes a rolling update may take out at once. */
export type MaxUnavailable = { count: number } | { percentage: number };

export interface NodePool {
  /** Short name, unique among the pools; part of the node group's and launch template's names. */
  readonly name: string;
  /** What runs on the pool; coderd and workspace pools are tainted so nothing else lands there. */
  readonly role: PoolRole;
  readonly amiType: AmiType;
  readonly instanceTypes: string[];
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** Size of each node's data volume in GiB. */
  readonly volumeSizeGiB: number;
  readonly release: ReleaseChannel;
  readonly maxUnavailable: MaxUnavailable;
}

export interface Toleration {
  key: string;
  operator: "Equal";
  value: string;
  effect: string;
}

/** What a pod needs to land on a pool: the Kubernetes layer copies this into coderd's and workspaces' specs. */
export interface Placement {
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
}

function isDedicated(role: PoolRole): boolean {
  return role !== POOL_SYSTEM;
}

export function placementFor(role: PoolRole): Placement {
  return {
    nodeSelector: { [POOL_LABEL]: role },
    tolerations: isDedicated(role)
      ? [{ key: POOL_TAINT_KEY, operator: "Equal", value: role, effect: POOL_TAINT_EFFECT }]
      : [],
  };
}

/** The node group's labels and taints (EKS spells the effect `NO_SCHEDULE`). */
export function nodeGroupPlacement(role: PoolRole): {
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: string }[];
} {
  return {
    labels: { [POOL_LABEL]: role },
    taints: isDedicated(role) ? [{ key: POOL_TAINT_KEY, value: role, effect: "NO_SCHEDULE" }] : [],
  };
}

/** The managed node group's update settings; EKS takes either a count or a percentage, not both. */
export function updateConfig(pool: NodePool): { maxUnavailable: number } | { maxUnavailablePercentage: number } {
  const m = pool.maxUnavailable;
  if ("count" in m) {
    if (!Number.isInteger(m.count) || m.count < 1 || m.count > 100) {
      throw new Error(`pool ${pool.name}: maxUnavailable.count must be an integer from 1 to 100 (got ${m.count})`);
    }
    return { maxUnavailable: m.count };
  }
  if (!Number.isInteger(m.percentage) || m.percentage < 1 || m.percentage > 100) {
    throw new Error(
      `pool ${pool.name}: maxUnavailable.percentage must be an integer from 1 to 100 (got ${m.percentage})`,
    );
  }
  return { maxUnavailablePercentage: m.percentage };
}

const MINOR = /^1\.\d+$/;

// SSM path segments per AMI type. AL2023: `<arch>/<variant>`; Bottlerocket: `<variant suffix>`, `<arch>`.
const AL2023_PATH: Partial<Record<AmiType, string>> = {
  AL2023_x86_64_STANDARD: "x86_64/standard",
  AL2023_ARM_64_STANDARD: "arm64/standard",
  AL2023_x86_64_NVIDIA: "x86_64/nvidia",
  AL2023_ARM_64_NVIDIA: "arm64/nvidia",
  AL2023_x86_64_NEURON: "x86_64/neuron",
};
const BOTTLEROCKET_PATH: Partial<Record<AmiType, [string, string]>> = {
  BOTTLEROCKET_x86_64: ["", "x86_64"],
  BOTTLEROCKET_ARM_64: ["", "arm64"],
  BOTTLEROCKET_x86_64_FIPS: ["-fips", "x86_64"],
  BOTTLEROCKET_ARM_64_FIPS: ["-fips", "arm64"],
  BOTTLEROCKET_x86_64_NVIDIA: ["-nvidia", "x86_64"],
  BOTTLEROCKET_ARM_64_NVIDIA: ["-nvidia", "arm64"],
};

/**
 * The public SSM parameter holding AWS's recommended node-group release for an AMI type and Kubernetes
 * minor (paths as terraform-aws-eks's managed node group resolves them; docs/reference: EKS upgrades).
 */
export function releaseParameterName(amiType: AmiType, kubernetesVersion: string): string {
  if (!MINOR.test(kubernetesVersion)) {
    throw new Error(`Kubernetes version must be a minor such as "1.33" (got ${JSON.stringify(kubernetesVersion)})`);
  }
  const al2023 = AL2023_PATH[amiType];
  if (al2023) {
    const prefix = `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023`;
    return `${prefix}/${al2023}/recommended/release_version`;
  }
  const bottlerocket = BOTTLEROCKET_PATH[amiType];
  if (bottlerocket) {
    const [variant, arch] = bottlerocket;
    return `/aws/service/bottlerocket/aws-k8s-${kubernetesVersion}${variant}/${arch}/latest/image_version`;
  }
  throw new Error(`no release parameter known for AMI type ${amiType}`);
}

/** Refuses pool lists the cluster cannot run on: duplicates, bad sizes, nowhere for add-ons to go. */
export function checkPools(pools: readonly NodePool[]): void {
  const names = new Set<string>();
  for (const p of pools) {
    if (!/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(p.name)) {
      throw new Error(`pool name ${JSON.stringify(p.name)} must be lower-case letters, digits and dashes`);
    }
    if (names.has(p.name)) throw new Error(`pool ${p.name} is declared twice`);
    names.add(p.name);
    if (p.instanceTypes.length === 0) throw new Error(`pool ${p.name}: instanceTypes is empty`);
    if (!(p.minSize >= 0 && p.minSize <= p.desiredSize && p.desiredSize <= p.maxSize && p.maxSize >= 1)) {
      throw new Error(
        `pool ${p.name}: sizes must satisfy 0 <= min <= desired <= max, max >= 1 ` +
          `(got ${p.minSize}/${p.desiredSize}/${p.maxSize})`,
      );
    }
    if (p.release.channel === "pinned" && p.release.releaseVersion.trim() === "") {
      throw new Error(`pool ${p.name}: a pinned release needs a releaseVersion`);
    }
    updateConfig(p);
  }
  // CoreDNS and the CSI controller tolerate no pool taint: without an untainted pool they never schedule.
  if (!pools.some((p) => p.role === POOL_SYSTEM && p.maxSize >= 1)) {
    throw new Error(`at least one pool must have role "${POOL_SYSTEM}" so cluster add-ons can schedule`);
  }
}
