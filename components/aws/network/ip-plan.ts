// IP capacity plan for the EKS cluster's VPC: whether the subnets and the service range hold every address
// the Coder deployment can claim at its configured maximum, with one availability zone lost. Serves the
// `ip-depletion`, `ip-depletion-pods` and `ip-depletion-services` rows of docs/responsibility.md: the
// workspace quotas cap pods and services per namespace, and this plan checks that the address space holds
// those caps, so a full cluster runs out of quota before it runs out of addresses.
//
// The model, per availability zone (AZ), after one AZ is lost (the remaining S = azCount - 1 AZs must hold
// everything; with a single AZ the plan reports that no AZ can be lost and sizes that AZ for everything):
//   pods          P = totalWorkspaces × podsPerWorkspace + coderdReplicas + systemPods
//                     + nodeCount × daemonSetPodsPerNode
//   per AZ        nodes n = ceil(nodeCount / S), pods p = ceil(P / S), pods per node q = ceil(p / n)
//                 (pods spread evenly over the AZ's nodes; q must not exceed maxPodsPerNode)
//   per node, in the subnet the pods take their addresses from (the node subnet, or the AZ's pod subnet
//   from a secondary CIDR under custom networking, where the node subnet keeps only the nodes' primaries):
//     prefix delegation on:   (ceil(q / 16) + WARM_PREFIX_TARGET) /28 prefixes, plus one /28 broken up by
//                             the ENI's own primary address (a prefix must be a whole aligned /28); the
//                             subnet offers floor(size / 16) - 2 whole /28s, as AWS's 5 reserved addresses
//                             sit in the first and the last one. Needed and available are shown in
//                             addresses (/28s × 16). One ENI per node carries the prefixes.
//     prefix delegation off:  with e = IPv4 addresses per ENI (the instance type's ENI size), one of which is
//                             the ENI's primary and never a pod's,
//                               WARM_IP_TARGET / MINIMUM_IP_TARGET set: ips = max(q + WARM_IP_TARGET,
//                                 MINIMUM_IP_TARGET)
//                               otherwise (WARM_ENI_TARGET=1): ips = (ceil(q / (e - 1)) + 1) × (e - 1), the
//                                 ENIs in use plus one whole spare ENI
//                             addresses = ips + ceil(ips / (e - 1)) ENI primaries; the subnet offers
//                             size - 5.
//   node subnet under custom networking: n nodes' primaries out of size - 5.
// Services: totalWorkspaces × servicesPerWorkspace + otherServices (coderd, DNS, controllers) + 1 for the
// `kubernetes` service the API server keeps, out of the service CIDR's size - 2 (Kubernetes never hands
// out the range's first and last address).
// Every AZ's subnets are checked against the per-AZ figure, since any of them may be among the survivors.
import { cidrSize, prefixLength, prefixSize, smallestPrefixHolding } from "../../../policy-pack/contract";

/** AWS keeps the first four and the last address of every subnet. */
const AWS_RESERVED_PER_SUBNET = 5;
/** A prefix-delegation prefix is a /28: 16 addresses. */
const PREFIX_ADDRESSES = 16;
/** Addresses of a Kubernetes service range that are never allocated (its first and last). */
const SERVICE_RESERVED = 2;
/** The largest VPC CIDR block AWS accepts (/16), so also the largest secondary CIDR. */
const LARGEST_VPC_BLOCK = 16;
/** EKS accepts service CIDRs from /12 to /24. */
const SERVICE_PREFIX_RANGE = { widest: 12, narrowest: 24 } as const;

export type VpcCniMode =
  | {
      /** ENABLE_PREFIX_DELEGATION=true: each node takes /28 prefixes. */
      readonly prefixDelegation: true;
      /** WARM_PREFIX_TARGET, the spare prefixes each node keeps (VPC CNI default 1). */
      readonly warmPrefixTarget?: number;
    }
  | {
      /** Secondary IP mode: each node takes single addresses on its ENIs. */
      readonly prefixDelegation: false;
      /** IPv4 addresses one ENI of the node's instance type holds, its primary included (m5.large: 10). */
      readonly eniAddresses: number;
      /** WARM_IP_TARGET; when this or minimumIpTarget is set, WARM_ENI_TARGET no longer applies. */
      readonly warmIpTarget?: number;
      /** MINIMUM_IP_TARGET. */
      readonly minimumIpTarget?: number;
    };

export interface IpPlanInput {
  /** Availability zones the cluster's subnets span. */
  readonly azCount: number;
  /** The private node subnets, one per AZ; pods take addresses here unless podSubnetCidrs is given. */
  readonly nodeSubnetCidrs: readonly string[];
  /** Per-AZ pod subnets carved from a 100.64.0.0/10 secondary CIDR, used by VPC CNI custom networking. */
  readonly podSubnetCidrs?: readonly string[];
  /** Sum over the workspace namespaces of maxWorkspaces. */
  readonly totalWorkspaces: number;
  /** Pods one workspace runs (default 1). */
  readonly podsPerWorkspace?: number;
  /** coderd replicas. */
  readonly coderdReplicas: number;
  /** Cluster system pods with a pod address (CoreDNS, EBS CSI controller, load balancer controller, …). */
  readonly systemPods: number;
  /** DaemonSet pods on every node that take a pod address (hostNetwork pods such as aws-node do not). */
  readonly daemonSetPodsPerNode: number;
  /** Nodes the cluster can grow to (the largest node pool's maximum). */
  readonly nodeCount: number;
  /** kubelet's max-pods on those nodes. */
  readonly maxPodsPerNode: number;
  /** How the VPC CNI hands out pod addresses. */
  readonly cni: VpcCniMode;
  /** Services one workspace may create (the quota's figure). */
  readonly servicesPerWorkspace: number;
  /** Services outside the workspaces: coderd's and the cluster's own (kube-dns, metrics, webhooks). */
  readonly otherServices: number;
  /** The cluster's service CIDR. */
  readonly serviceCidr: string;
}

export interface SubnetPlan {
  /** Index of the AZ (0-based, in the order the subnets were given). */
  readonly az: number;
  /** What the subnet holds. */
  readonly role: "nodes and pods" | "nodes" | "pods";
  readonly cidr: string;
  /** Addresses needed in this subnet while one AZ is lost. */
  readonly needed: number;
  readonly available: number;
  readonly fits: boolean;
}

export interface IpProblem {
  /** What runs short, with the figures. */
  readonly message: string;
  /** Addresses (or pods, for node capacity) missing. */
  readonly shortfall: number;
  /** Alternative changes, each the smallest of its kind that removes this problem alone. */
  readonly fixes: string[];
}

export interface IpPlan {
  readonly azCount: number;
  /** AZs left to hold everything: azCount - 1 (or 1 for a single AZ). */
  readonly survivingAzs: number;
  readonly totalPods: number;
  readonly nodesPerAz: number;
  readonly podsPerAz: number;
  readonly podsPerNode: number;
  /** Addresses one node takes from the subnet its pods use (ENI primaries included). */
  readonly addressesPerNode: number;
  readonly subnets: SubnetPlan[];
  readonly services: { readonly cidr: string; readonly needed: number; readonly available: number; fits: boolean };
  readonly fits: boolean;
  readonly problems: IpProblem[];
}

const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

function checkCount(name: string, value: number, min: number) {
  if (!Number.isInteger(value) || value < min) throw new Error(`ip plan: ${name} must be an integer ≥ ${min}`);
}

/** Addresses one node with `pods` pods takes from its pod subnet, ENI primaries included. */
export function addressesPerNode(cni: VpcCniMode, pods: number): number {
  if (cni.prefixDelegation) {
    const prefixes = ceilDiv(pods, PREFIX_ADDRESSES) + (cni.warmPrefixTarget ?? 1);
    return (prefixes + 1) * PREFIX_ADDRESSES;
  }
  const slots = cni.eniAddresses - 1;
  const ips =
    cni.warmIpTarget !== undefined || cni.minimumIpTarget !== undefined
      ? Math.max(pods + (cni.warmIpTarget ?? 0), cni.minimumIpTarget ?? 0)
      : (ceilDiv(pods, slots) + 1) * slots;
  return ips + ceilDiv(ips, slots);
}

/** Addresses the subnet offers to what it holds: whole /28s under prefix delegation, else addresses. */
function subnetCapacity(cidr: string, wholePrefixes: boolean): number {
  const size = Number(cidrSize(cidr));
  if (!wholePrefixes) return Math.max(size - AWS_RESERVED_PER_SUBNET, 0);
  return Math.max(Math.floor(size / PREFIX_ADDRESSES) - 2, 0) * PREFIX_ADDRESSES;
}

/** The longest prefix whose subnet offers `needed` addresses under the same accounting as subnetCapacity. */
function prefixFor(needed: number, wholePrefixes: boolean): number | undefined {
  return wholePrefixes
    ? smallestPrefixHolding(needed + 2 * PREFIX_ADDRESSES)
    : smallestPrefixHolding(needed, AWS_RESERVED_PER_SUBNET);
}

export function planIpCapacity(input: IpPlanInput): IpPlan {
  checkCount("azCount", input.azCount, 1);
  for (const [name, value] of Object.entries({
    totalWorkspaces: input.totalWorkspaces,
    coderdReplicas: input.coderdReplicas,
    systemPods: input.systemPods,
    daemonSetPodsPerNode: input.daemonSetPodsPerNode,
    servicesPerWorkspace: input.servicesPerWorkspace,
    otherServices: input.otherServices,
  })) {
    checkCount(name, value, 0);
  }
  checkCount("nodeCount", input.nodeCount, 1);
  checkCount("maxPodsPerNode", input.maxPodsPerNode, 1);
  checkCount("podsPerWorkspace", input.podsPerWorkspace ?? 1, 1);
  if (!input.cni.prefixDelegation) checkCount("cni.eniAddresses", input.cni.eniAddresses, 2);
  if (input.nodeSubnetCidrs.length !== input.azCount) {
    throw new Error(`ip plan: ${input.nodeSubnetCidrs.length} node subnets for ${input.azCount} AZs`);
  }
  if (input.podSubnetCidrs && input.podSubnetCidrs.length !== input.azCount) {
    throw new Error(`ip plan: ${input.podSubnetCidrs.length} pod subnets for ${input.azCount} AZs`);
  }

  const problems: IpProblem[] = [];
  const survivingAzs = Math.max(input.azCount - 1, 1);
  if (input.azCount < 2) {
    problems.push({
      message: "a single AZ cannot be lost: every address and every node goes with it",
      shortfall: 1,
      fixes: ["azCount 1 → 2"],
    });
  }
  const totalPods =
    input.totalWorkspaces * (input.podsPerWorkspace ?? 1) +
    input.coderdReplicas +
    input.systemPods +
    input.nodeCount * input.daemonSetPodsPerNode;
  const nodesPerAz = ceilDiv(input.nodeCount, survivingAzs);
  const podsPerAz = ceilDiv(totalPods, survivingAzs);
  const podsPerNode = ceilDiv(podsPerAz, nodesPerAz);
  const perNode = addressesPerNode(input.cni, podsPerNode);
  const wholePrefixes = input.cni.prefixDelegation;

  if (podsPerNode > input.maxPodsPerNode) {
    const nodesNeeded = ceilDiv(podsPerAz, input.maxPodsPerNode) * survivingAzs;
    problems.push({
      message:
        `${podsPerAz} pods per AZ on ${nodesPerAz} nodes is ${podsPerNode} pods per node, ` +
        `over max-pods ${input.maxPodsPerNode}`,
      shortfall: podsPerAz - nodesPerAz * input.maxPodsPerNode,
      fixes: [
        `nodeCount ${input.nodeCount} → ${nodesNeeded}`,
        `maxPodsPerNode ${input.maxPodsPerNode} → ${podsPerNode}`,
      ],
    });
  }

  const podDemand = nodesPerAz * perNode;
  const subnets: SubnetPlan[] = [];
  input.nodeSubnetCidrs.forEach((nodeCidr, az) => {
    const podCidr = input.podSubnetCidrs?.[az];
    if (podCidr) {
      const nodeAvailable = subnetCapacity(nodeCidr, false);
      subnets.push(entry(az, "nodes", nodeCidr, nodesPerAz, nodeAvailable));
      subnets.push(entry(az, "pods", podCidr, podDemand, subnetCapacity(podCidr, wholePrefixes)));
    } else {
      subnets.push(entry(az, "nodes and pods", nodeCidr, podDemand, subnetCapacity(nodeCidr, wholePrefixes)));
    }
  });
  for (const role of ["nodes and pods", "nodes", "pods"] as const) {
    const short = subnets.filter((s) => s.role === role && !s.fits);
    if (short.length > 0) problems.push(subnetProblem(input, role, short, podDemand));
  }

  const serviceNeeded = input.totalWorkspaces * input.servicesPerWorkspace + input.otherServices + 1;
  const serviceAvailable = Math.max(Number(cidrSize(input.serviceCidr)) - SERVICE_RESERVED, 0);
  const services = {
    cidr: input.serviceCidr,
    needed: serviceNeeded,
    available: serviceAvailable,
    fits: serviceNeeded <= serviceAvailable,
  };
  if (!services.fits) {
    const bits = smallestPrefixHolding(serviceNeeded, SERVICE_RESERVED);
    const fits = bits !== undefined && bits >= SERVICE_PREFIX_RANGE.widest;
    problems.push({
      message:
        `service CIDR ${input.serviceCidr} offers ${serviceAvailable} service addresses; ${serviceNeeded} are ` +
        `needed (${input.totalWorkspaces} workspaces × ${input.servicesPerWorkspace} + ` +
        `${input.otherServices} others + the kubernetes service)`,
      shortfall: serviceNeeded - serviceAvailable,
      fixes: fits
        ? [`service CIDR /${prefixLength(input.serviceCidr)} → /${Math.min(bits, SERVICE_PREFIX_RANGE.narrowest)}`]
        : [`fewer services: no service CIDR EKS accepts (/${SERVICE_PREFIX_RANGE.widest} at most) holds them`],
    });
  }

  return {
    azCount: input.azCount,
    survivingAzs,
    totalPods,
    nodesPerAz,
    podsPerAz,
    podsPerNode,
    addressesPerNode: perNode,
    subnets,
    services,
    fits: problems.length === 0,
    problems,
  };
}

function entry(az: number, role: SubnetPlan["role"], cidr: string, needed: number, available: number): SubnetPlan {
  return { az, role, cidr, needed, available, fits: needed <= available };
}

function subnetProblem(input: IpPlanInput, role: SubnetPlan["role"], short: SubnetPlan[], podDemand: number) {
  // Every subnet of one role needs the same addresses per AZ, so the one offering the fewest decides.
  const worst = { needed: short[0].needed, available: Math.min(...short.map((s) => s.available)) };
  const wholePrefixes = role !== "nodes" && input.cni.prefixDelegation;
  const fixes: string[] = [];
  const bits = prefixFor(worst.needed, wholePrefixes);
  const name = role === "pods" ? "pod subnets" : "node subnets";
  const current = short.map((s) => `/${prefixLength(s.cidr)}`);
  if (bits !== undefined) fixes.push(`${name} ${[...new Set(current)].join(", ")} → /${bits}`);
  if (role === "nodes and pods") {
    if (!input.cni.prefixDelegation) {
      const withPrefixes = planIpCapacity({ ...input, cni: { prefixDelegation: true } });
      if (withPrefixes.subnets.every((s) => s.fits)) fixes.push("turn prefix delegation on (WARM_PREFIX_TARGET=1)");
    }
    // Custom networking moves the pods out: each AZ gets a pod subnet of a secondary CIDR.
    const podBits = prefixFor(podDemand, input.cni.prefixDelegation);
    if (podBits !== undefined) {
      const secondaryBits = smallestPrefixHolding(input.azCount * Number(prefixSize(podBits)));
      if (secondaryBits !== undefined && secondaryBits >= LARGEST_VPC_BLOCK) {
        fixes.push(
          `add a 100.64.0.0/${secondaryBits} secondary CIDR with a /${podBits} pod subnet per AZ (custom networking)`,
        );
      }
    }
  }
  const list = short.map((s) => `AZ ${s.az} ${s.cidr} offers ${s.available}`).join(", ");
  return {
    message:
      `${role} need ${worst.needed} addresses per AZ with one AZ lost (${input.azCount - 1 || 1} AZs hold ` +
      `everything); ${list}`,
    shortfall: worst.needed - worst.available,
    fixes,
  };
}

/** The plan as Markdown: the figures, one row per subnet, the services row, and the problems with fixes. */
export function renderIpPlan(plan: IpPlan): string {
  const yes = (b: boolean) => (b ? "yes" : "**no**");
  const lines = [
    `IP capacity with one of ${plan.azCount} AZs lost (${plan.survivingAzs} AZs hold everything): ` +
      `${plan.totalPods} pods in all, ${plan.podsPerAz} pods on ${plan.nodesPerAz} nodes per AZ ` +
      `(${plan.podsPerNode} per node, ${plan.addressesPerNode} addresses per node).`,
    "",
    "| AZ | Subnet | CIDR | Addresses needed | Addresses available | Fits |",
    "| --- | --- | --- | ---: | ---: | --- |",
    ...plan.subnets.map((s) => `| ${s.az} | ${s.role} | ${s.cidr} | ${s.needed} | ${s.available} | ${yes(s.fits)} |`),
    `| all | services | ${plan.services.cidr} | ${plan.services.needed} | ${plan.services.available} | ` +
      `${yes(plan.services.fits)} |`,
  ];
  if (plan.problems.length > 0) {
    lines.push("", "Problems:");
    for (const p of plan.problems) {
      lines.push(`- ${p.message} (short by ${p.shortfall}). Fix: ${p.fixes.join("; or ")}.`);
    }
  }
  return lines.join("\n") + "\n";
}
