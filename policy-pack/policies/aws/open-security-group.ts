// A security group that lets the whole internet reach the API server (443), SSH (22) or Postgres (5432)
// turns one leaked credential or unpatched daemon into a breach. The rules of one group add up — inline
// ingress, SecurityGroupRule and SecurityGroupIngressRule resources alike — so the ranges are judged
// together per group and port: "0.0.0.0/1" on one rule and "128.0.0.0/1" on another is the internet.
import { PolicyResource } from "@pulumi/policy";
import { everywhereCovered } from "../../contract";
import { asList, subjectOfResource } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

/** The ports whose exposure this policy forbids, with what listens there. */
export const GUARDED_PORTS: ReadonlyArray<[number, string]> = [
  [22, "SSH"],
  [443, "HTTPS / the Kubernetes API"],
  [5432, "Postgres"],
];

/** One ingress permission, from whichever resource declared it. */
interface Opening {
  source: PolicyResource;
  protocol: unknown;
  fromPort: unknown;
  toPort: unknown;
  cidrs: unknown[];
}

const ALL_PROTOCOLS = ["-1", "all"];
const TCP = ["tcp", "6"];

/** Whether the permission admits TCP on `port`: protocol all (any ports), or TCP with the port in range. */
export function admitsTcpPort(protocol: unknown, fromPort: unknown, toPort: unknown, port: number): boolean {
  const p = typeof protocol === "string" || typeof protocol === "number" ? String(protocol).trim().toLowerCase() : "";
  if (ALL_PROTOCOLS.includes(p)) return true;
  if (!TCP.includes(p)) return false;
  const from = Number(fromPort);
  const to = Number(toPort ?? fromPort);
  return Number.isFinite(from) && Number.isFinite(to) && from <= port && port <= to;
}

function groupOf(rule: PolicyResource): string {
  const linked = rule.propertyDependencies.securityGroupId?.find((d) => d.type === AWS.securityGroup);
  if (linked) return linked.urn;
  const id: unknown = rule.props.securityGroupId;
  return typeof id === "string" ? `id:${id}` : rule.urn;
}

function openingsOf(r: PolicyResource): Array<[string, Opening]> {
  const p = r.props;
  if (r.type === AWS.securityGroup) {
    return asList(p.ingress).map((rule) => {
      const i = rule as Record<string, unknown>;
      const cidrs = [...asList(i.cidrBlocks), ...asList(i.ipv6CidrBlocks)];
      return [r.urn, { source: r, protocol: i.protocol, fromPort: i.fromPort, toPort: i.toPort, cidrs }];
    });
  }
  if (r.type === AWS.securityGroupRule) {
    if (p.type !== "ingress") return [];
    const cidrs = [...asList(p.cidrBlocks), ...asList(p.ipv6CidrBlocks)];
    return [[groupOf(r), { source: r, protocol: p.protocol, fromPort: p.fromPort, toPort: p.toPort, cidrs }]];
  }
  if (r.type === AWS.securityGroupIngressRule) {
    const cidrs = [...asList(p.cidrIpv4), ...asList(p.cidrIpv6)];
    return [[groupOf(r), { source: r, protocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort, cidrs }]];
  }
  return [];
}

export const openSecurityGroup = definePolicy(
  {
    responsibilities: ["external-interactions", "control-plane-access"],
    severity: "critical",
    forbids: "Security groups whose ingress ranges together cover 0.0.0.0/0 or ::/0 on ports 22, 443 or 5432",
    references: {
      checkov: ["CKV_AWS_24 (port 22)", "CKV_AWS_277 (all ports)"],
      cisEks: ["5.4.1", "5.4.3"],
    },
  },
  {
    name: "open-security-group",
    description:
      "Security groups must not admit the whole internet (0.0.0.0/0 or ::/0, however split across rules) on " +
      "port 22, 443 or 5432, including through port ranges and protocol -1.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Restrict the ingress to the networks that need it (admin or VPN ranges, the VPC CIDR) or to a source " +
      "security group; reach nodes through SSM Session Manager and Postgres from inside the VPC only.",
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const byGroup = new Map<string, Opening[]>();
      for (const r of args.resources) {
        gaps.judge(() => {
          for (const [group, opening] of openingsOf(r)) byGroup.set(group, [...(byGroup.get(group) ?? []), opening]);
        });
      }
      for (const openings of byGroup.values()) {
        for (const [port, service] of GUARDED_PORTS) {
          gaps.judge(() => {
            const admitting = openings.filter((o) => admitsTcpPort(o.protocol, o.fromPort, o.toPort, port));
            const cidrs = admitting.flatMap((o) => o.cidrs);
            const everywhere = everywhereCovered(cidrs);
            if (everywhere.length === 0) return;
            const sources = [...new Set(admitting.map((o) => o.source))];
            report(
              `${subjectOfResource(sources[0])}: admits ${everywhere.join(" and ")} on port ${port} (${service}) ` +
                `through [${cidrs.join(", ")}]; restrict the ingress to the networks that need it.`,
              sources[0].urn,
            );
          });
        }
      }
      gaps.settle();
    },
  },
);
