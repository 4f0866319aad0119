// The VPC CNI add-on's configuration: native network policy on, and the IP allocation the capacity plan
// asks for. Keys follow the add-on's configuration schema (`aws eks describe-addon-configuration
// --addon-name vpc-cni`): top-level `enableNetworkPolicy`, `env` (string values only) and `eniConfig`.

/** The per-AZ subnet and security groups pods use when pod addresses come from a secondary CIDR. */
export interface PodSubnet {
  readonly id: string;
  readonly securityGroups?: string[];
}

export interface IpPlan {
  /** Hand each ENI slot a /28 prefix instead of one address, so a node holds far more pods per ENI. */
  readonly prefixDelegation: boolean;
  /** Free /28 prefixes each node keeps attached (prefix delegation only). */
  readonly warmPrefixTarget?: number;
  /** Free addresses each node keeps ready; overrides the prefix target when set. */
  readonly warmIpTarget?: number;
  /** Addresses each node allocates at start, however few pods it runs. */
  readonly minimumIpTarget?: number;
  /**
   * Pods take addresses from a secondary (e.g. 100.64.0.0/10) CIDR instead of the node subnets: the region
   * and, per availability zone name, the pod subnet. Absent: pods share the node subnets.
   */
  readonly customNetworking?: { readonly region: string; readonly subnets: Readonly<Record<string, PodSubnet>> };
}

export interface VpcCniConfiguration {
  enableNetworkPolicy: "true";
  env: Record<string, string>;
  eniConfig?: { create: true; region: string; subnets: Record<string, { id: string; securityGroups?: string[] }> };
}

function target(name: string, value: number | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer (got ${value})`);
  return { [name]: String(value) };
}

export function vpcCniConfiguration(plan: IpPlan): VpcCniConfiguration {
  if (!plan.prefixDelegation && plan.warmPrefixTarget !== undefined) {
    throw new Error("warmPrefixTarget only applies with prefixDelegation; use warmIpTarget instead");
  }
  const env: Record<string, string> = {
    ENABLE_PREFIX_DELEGATION: String(plan.prefixDelegation),
    ...target("WARM_PREFIX_TARGET", plan.warmPrefixTarget),
    ...target("WARM_IP_TARGET", plan.warmIpTarget),
    ...target("MINIMUM_IP_TARGET", plan.minimumIpTarget),
  };
  const config: VpcCniConfiguration = { enableNetworkPolicy: "true", env };
  const custom = plan.customNetworking;
  if (custom) {
    const zones = Object.keys(custom.subnets);
    if (zones.length === 0) throw new Error("customNetworking needs a pod subnet for at least one availability zone");
    // ENIConfigs are named after the zone and chosen by the node's zone label, one per zone.
    env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true";
    env.ENI_CONFIG_LABEL_DEF = "topology.kubernetes.io/zone";
    config.eniConfig = {
      create: true,
      region: custom.region,
      subnets: Object.fromEntries(
        zones.map((zone) => {
          const s = custom.subnets[zone];
          return [zone, s.securityGroups ? { id: s.id, securityGroups: [...s.securityGroups] } : { id: s.id }];
        }),
      ),
    };
  }
  return config;
}
