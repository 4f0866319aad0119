// Where each subnet of the VPC goes, computed from the stack's ranges through policy-pack/contract. Private
// node subnets come first in the VPC range, public subnets (when there are any) right after them, and pod
// subnets (VPC CNI custom networking) fill a secondary range from the carrier-grade NAT space, which is
// never routed on the internet and so never collides with a peer's public addresses.
import { cidrContains, cidrsOverlap, prefixLength, prefixSize, subnetCidrs } from "../../../policy-pack/contract";

/** Shared address space (RFC 6598) that EKS's guide recommends for custom networking's pod ranges. */
const POD_RANGE_SPACE = "100.64.0.0/10";
/** AWS accepts VPC CIDR blocks from /16 to /28. */
const VPC_BLOCK = { widest: 16, narrowest: 28 } as const;

export interface SubnetLayoutInput {
  /** The VPC's primary range. */
  readonly vpcCidr: string;
  /** How many availability zones get subnets. */
  readonly azCount: number;
  /** Prefix length of each private node subnet. */
  readonly privateSubnetPrefix: number;
  /** Prefix length of each public subnet. */
  readonly publicSubnetPrefix: number;
  /** Whether public subnets exist at all (NAT egress or internet-facing load balancers). */
  readonly publicSubnets: boolean;
  /** Secondary range for pods, inside 100.64.0.0/10; absent: pods share the node subnets. */
  readonly podCidr?: string;
  /** Prefix length of each per-AZ pod subnet. */
  readonly podSubnetPrefix?: number;
  /** Prefix length of each isolated subnet (no route out of the VPC); absent: none. */
  readonly isolatedSubnetPrefix?: number;
}

export interface SubnetLayout {
  /** Private node subnets, one per AZ. */
  readonly private: string[];
  /** Public subnets, one per AZ, or none. */
  readonly public: string[];
  /** Pod subnets, one per AZ, or none. */
  readonly pods: string[];
  /** Isolated subnets, one per AZ, when asked for: the API endpoint's interfaces and the database. */
  readonly isolated?: string[];
  /** Every range of the VPC: the primary, then the pod range when there is one. */
  readonly vpcCidrs: string[];
}

function checkVpcBlock(what: string, cidr: string) {
  const bits = prefixLength(cidr);
  if (bits === undefined || bits < VPC_BLOCK.widest || bits > VPC_BLOCK.narrowest) {
    throw new Error(`${what} ${cidr} must be an IPv4 block from /${VPC_BLOCK.widest} to /${VPC_BLOCK.narrowest}`);
  }
}

export function subnetLayout(input: SubnetLayoutInput): SubnetLayout {
  checkVpcBlock("VPC CIDR", input.vpcCidr);
  if (input.azCount < 1) throw new Error("subnet layout: at least one availability zone");
  const privateSubnets = subnetCidrs(input.vpcCidr, input.privateSubnetPrefix, input.azCount);
  let publicSubnets: string[] = [];
  if (input.publicSubnets) {
    if (input.publicSubnetPrefix < input.privateSubnetPrefix) {
      throw new Error(
        `public subnets (/${input.publicSubnetPrefix}) must not be larger than private ones ` +
          `(/${input.privateSubnetPrefix})`,
      );
    }
    // The private subnets fill this many public-sized blocks from the start of the range.
    const taken =
      (prefixSize(input.privateSubnetPrefix) * BigInt(input.azCount)) / prefixSize(input.publicSubnetPrefix);
    publicSubnets = subnetCidrs(input.vpcCidr, input.publicSubnetPrefix, input.azCount, Number(taken));
  }
  let isolated: string[] | undefined;
  if (input.isolatedSubnetPrefix !== undefined) {
    const bits = input.isolatedSubnetPrefix;
    const larger = [input.privateSubnetPrefix, ...(input.publicSubnets ? [input.publicSubnetPrefix] : [])];
    if (larger.some((b) => bits < b)) {
      throw new Error(`isolated subnets (/${bits}) must not be larger than private or public ones`);
    }
    // They follow the private and public subnets, which fill this many isolated-sized blocks.
    const used =
      prefixSize(input.privateSubnetPrefix) * BigInt(input.azCount) +
      (input.publicSubnets ? prefixSize(input.publicSubnetPrefix) * BigInt(input.azCount) : 0n);
    isolated = subnetCidrs(input.vpcCidr, bits, input.azCount, Number(used / prefixSize(bits)));
  }
  let pods: string[] = [];
  if (input.podCidr !== undefined) {
    checkVpcBlock("pod CIDR", input.podCidr);
    if (!cidrContains(POD_RANGE_SPACE, input.podCidr)) {
      throw new Error(`pod CIDR ${input.podCidr} must lie inside ${POD_RANGE_SPACE}`);
    }
    if (cidrsOverlap(input.podCidr, input.vpcCidr)) {
      throw new Error(`pod CIDR ${input.podCidr} overlaps the VPC CIDR ${input.vpcCidr}`);
    }
    if (input.podSubnetPrefix === undefined) throw new Error("pod CIDR given without podSubnetPrefix");
    pods = subnetCidrs(input.podCidr, input.podSubnetPrefix, input.azCount);
  }
  const vpcCidrs = input.podCidr === undefined ? [input.vpcCidr] : [input.vpcCidr, input.podCidr];
  return {
    private: privateSubnets,
    public: publicSubnets,
    pods,
    ...(isolated === undefined ? {} : { isolated }),
    vpcCidrs,
  };
}
