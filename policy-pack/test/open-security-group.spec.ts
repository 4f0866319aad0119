import * as assert from "assert";
import { openSecurityGroup } from "../policies/aws/open-security-group";
import { AWS } from "../lib/types";
import { unknown, urnOf } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import {
  compliantEksCluster,
  compliantSecurityGroup,
  compliantSecurityGroupIngressRule,
  compliantSecurityGroupRule,
  VPC_CIDR,
} from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

const SG = 'Security group "coder-db"';
const SG_URN = urnOf("test", AWS.securityGroup, "coder-db-sg");
const ingress = (rule: Record<string, unknown>) =>
  mutate(compliantSecurityGroup(), (p) => p.ingress.push({ protocol: "tcp", fromPort: 5432, toPort: 5432, ...rule }));
/** A rule attached to the fixture's group through the property dependency the engine reports. */
const linked = <T extends { propertyDependencies?: Record<string, string[]> }>(r: T): T => ({
  ...r,
  propertyDependencies: { securityGroupId: [SG_URN] },
});

describe("open-security-group", () => {
  it("passes ingress from the VPC, an admin range and another security group, and open egress", async () => {
    await expectStackPass(openSecurityGroup, [
      compliantSecurityGroup(),
      compliantSecurityGroupRule(),
      compliantSecurityGroupIngressRule(),
      ingress({ cidrBlocks: [], securityGroups: ["sg-0456"] }),
    ]);
  });

  it("passes the internet on a port none of 22, 443, 5432 falls in", async () => {
    await expectStackPass(openSecurityGroup, [
      ingress({ fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }),
      ingress({ protocol: "udp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }),
    ]);
  });

  it("fails Postgres open to 0.0.0.0/0 inline", async () => {
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ cidrBlocks: ["0.0.0.0/0"] })],
      SG,
      /admits 0\.0\.0\.0\/0 on port 5432 \(Postgres\) through \[.*0\.0\.0\.0\/0\]; restrict the ingress to the networks that need it/,
    );
  });

  it("fails split ranges that together cover the internet, across two inline rules", async () => {
    await expectStackViolation(
      openSecurityGroup,
      [
        mutate(compliantSecurityGroup(), (p) => {
          p.ingress.push({ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/1"] });
          p.ingress.push({ protocol: "tcp", fromPort: 5400, toPort: 5500, cidrBlocks: ["128.0.0.0/1"] });
        }),
      ],
      SG,
      /admits 0\.0\.0\.0\/0 on port 5432/,
    );
  });

  it("fails ::/0 on SSH, and protocol -1 or all on any port", async () => {
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] })],
      SG,
      /admits ::\/0 on port 22 \(SSH\)/,
    );
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })],
      SG,
      /port 22 .*|port 443 .*/,
    );
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })],
      SG,
      /on port 443 \(HTTPS/,
    );
  });

  it("fails protocols written as numbers or padded with spaces", async () => {
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ protocol: -1, fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })],
      SG,
      /on port 22 \(SSH\)/,
    );
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ protocol: 6, fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] })],
      SG,
      /on port 22 \(SSH\)/,
    );
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ protocol: " tcp ", cidrBlocks: ["0.0.0.0/0"] })],
      SG,
      /on port 5432 \(Postgres\)/,
    );
  });

  it("names both address families when a port is open to each", async () => {
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] })],
      SG,
      /admits 0\.0\.0\.0\/0 and ::\/0 on port 22 \(SSH\)/,
    );
  });

  it("fails a port range that includes a guarded port, and protocol number 6", async () => {
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ fromPort: 0, toPort: 1024, cidrBlocks: ["0.0.0.0/0"] })],
      SG,
      /on port 443/,
    );
    await expectStackViolation(
      openSecurityGroup,
      [ingress({ protocol: "6", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] })],
      SG,
      /on port 22/,
    );
  });

  it("fails a SecurityGroupRule of type ingress open to the internet, not an egress one", async () => {
    await expectStackPass(openSecurityGroup, [
      mutate(compliantSecurityGroupRule(), (p) => {
        p.type = "egress";
        p.cidrBlocks = ["0.0.0.0/0"];
      }),
    ]);
    await expectStackViolation(
      openSecurityGroup,
      [mutate(compliantSecurityGroupRule(), (p) => (p.cidrBlocks = ["0.0.0.0/0"]))],
      'Security group rule "api-from-admins"',
      /admits 0\.0\.0\.0\/0 on port 443/,
    );
  });

  it("fails a SecurityGroupIngressRule open to ::/0, and protocol -1 without ports", async () => {
    await expectStackViolation(
      openSecurityGroup,
      [
        mutate(compliantSecurityGroupIngressRule(), (p) => {
          delete p.cidrIpv4;
          p.cidrIpv6 = "::/0";
        }),
      ],
      'Security group ingress rule "db-from-vpc"',
      /admits ::\/0 on port 5432/,
    );
    await expectStackViolation(
      openSecurityGroup,
      [
        mutate(compliantSecurityGroupIngressRule(), (p) => {
          p.ipProtocol = "-1";
          delete p.fromPort;
          delete p.toPort;
          p.cidrIpv4 = "0.0.0.0/0";
        }),
      ],
      'Security group ingress rule "db-from-vpc"',
      /on port 22/,
    );
  });

  it("adds up halves of the internet spread over separate rule resources of one group", async () => {
    const half = (cidr: string, name: string) =>
      linked({ ...mutate(compliantSecurityGroupIngressRule(), (p) => (p.cidrIpv4 = cidr)), name });
    await expectStackPass(openSecurityGroup, [compliantSecurityGroup(), half("0.0.0.0/1", "low-half")]);
    await expectStackViolation(
      openSecurityGroup,
      [compliantSecurityGroup(), half("0.0.0.0/1", "low-half"), half("128.0.0.0/1", "high-half")],
      SG,
      /admits 0\.0\.0\.0\/0 on port 5432 \(Postgres\) through \[10\.0\.0\.0\/16, 0\.0\.0\.0\/1, 128\.0\.0\.0\/1\]/,
    );
  });

  it("adds up a SecurityGroupRule and a SecurityGroupIngressRule on the same group id", async () => {
    await expectStackViolation(
      openSecurityGroup,
      [
        mutate(compliantSecurityGroupRule(), (p) => (p.cidrBlocks = ["0.0.0.0/1"])),
        mutate(compliantSecurityGroupIngressRule(), (p) => {
          p.fromPort = 443;
          p.toPort = 443;
          p.cidrIpv4 = "128.0.0.0/1";
        }),
      ],
      'Security group rule "api-from-admins"',
      /admits 0\.0\.0\.0\/0 on port 443/,
    );
  });

  it("groups a rule by its security group id when its dependency is not a security group", async () => {
    // securityGroupId: cluster.vpcConfig.clusterSecurityGroupId depends on the cluster, not on a group.
    const viaCluster = {
      ...mutate(compliantSecurityGroupIngressRule(), (p) => (p.cidrIpv4 = "0.0.0.0/1")),
      name: "via-cluster",
      propertyDependencies: { securityGroupId: [urnOf("test", AWS.eksCluster, "coder-eks")] },
    };
    await expectStackViolation(
      openSecurityGroup,
      [
        compliantEksCluster(),
        viaCluster,
        mutate(compliantSecurityGroupIngressRule(), (p) => (p.cidrIpv4 = "128.0.0.0/1")),
      ],
      'Security group ingress rule "via-cluster"',
      /admits 0\.0\.0\.0\/0 on port 5432/,
    );
  });

  it("does not add up rules that name no security group, nor egress rules", async () => {
    const loose = (cidr: string, name: string) =>
      mutate({ ...compliantSecurityGroupIngressRule(), name }, (p) => {
        delete p.securityGroupId;
        p.cidrIpv4 = cidr;
      });
    await expectStackPass(openSecurityGroup, [loose("0.0.0.0/1", "low-half"), loose("128.0.0.0/1", "high-half")]);
    await expectStackPass(openSecurityGroup, [
      { ...mutate(compliantSecurityGroupIngressRule(), (p) => (p.cidrIpv4 = "0.0.0.0/0")), type: EGRESS_RULE },
    ]);
  });

  it("does not add up ranges of different groups", async () => {
    await expectStackPass(openSecurityGroup, [
      mutate(compliantSecurityGroupRule(), (p) => (p.cidrBlocks = ["0.0.0.0/1"])),
      mutate({ ...compliantSecurityGroupRule(), name: "other-group" }, (p) => {
        p.securityGroupId = "sg-0999";
        p.cidrBlocks = ["128.0.0.0/1", VPC_CIDR];
      }),
    ]);
  });

  it("reports an open group while another group's ranges are unknown during preview, then the gap", async () => {
    const o = await expectStackPreviewGap(
      openSecurityGroup,
      [
        mutate(compliantSecurityGroupRule(), (p) => (p.cidrBlocks = ["0.0.0.0/0"])),
        mutate({ ...compliantSecurityGroupIngressRule(), name: "unknown-range" }, (p) => {
          p.securityGroupId = "sg-0999";
          p.cidrIpv4 = unknown.string;
        }),
      ],
      /can't be known during preview/,
    );
    assert.deepStrictEqual(
      o.violations
        .filter((v) => v.enforcementLevel === "mandatory")
        .map((v) => v.detail.slice(0, v.detail.indexOf(":"))),
      ['Security group rule "api-from-admins"'],
    );
  });
});
