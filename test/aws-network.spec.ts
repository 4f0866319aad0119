// The VPC component (components/aws/network) under a mocked preview, and its layout and policy builders.
import "./harness/mocks";
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Network, NetworkArgs } from "../components/aws/network";
import { flowLogTrustPolicy, flowLogWritePolicy } from "../components/aws/network/flow-log-policy";
import { subnetLayout, SubnetLayoutInput } from "../components/aws/network/layout";
import { EVERYWHERE } from "../policy-pack/contract";
import { publishedBy } from "./harness/component-outputs";
import { withInvokes } from "./harness/invokes";
import {
  accountInvoke,
  capture,
  capturePreview,
  optionsRecorder,
  RecordedResource,
  reportsOutputs,
} from "./harness/mocks";
import { ofType, single } from "./harness/resources";
import { NETWORK_AZS, networkArgs } from "./fixtures/aws-components";

describe("aws network: subnet layout", () => {
  const input: SubnetLayoutInput = {
    vpcCidr: "10.0.0.0/16",
    azCount: 3,
    privateSubnetPrefix: 19,
    publicSubnetPrefix: 24,
    publicSubnets: true,
  };

  it("puts the private subnets first and the public ones right after them", () => {
    // Three /19s take 10.0.0.0-10.0.95.255, which is 96 /24s, so the public /24s start at 10.0.96.0.
    assert.deepStrictEqual(subnetLayout(input), {
      private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
      public: ["10.0.96.0/24", "10.0.97.0/24", "10.0.98.0/24"],
      pods: [],
      vpcCidrs: ["10.0.0.0/16"],
    });
  });

  it("creates no public subnets when none are wanted", () => {
    assert.deepStrictEqual(subnetLayout({ ...input, publicSubnets: false }).public, []);
  });

  it("carves per-AZ pod subnets from a secondary range in 100.64.0.0/10", () => {
    const layout = subnetLayout({ ...input, podCidr: "100.64.0.0/16", podSubnetPrefix: 18 });
    assert.deepStrictEqual(layout.pods, ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"]);
    assert.deepStrictEqual(layout.vpcCidrs, ["10.0.0.0/16", "100.64.0.0/16"]);
  });

  it("refuses ranges AWS or the design does not accept", () => {
    assert.throws(() => subnetLayout({ ...input, vpcCidr: "10.0.0.0/8" }), /from \/16 to \/28/);
    assert.throws(() => subnetLayout({ ...input, podCidr: "10.1.0.0/16", podSubnetPrefix: 18 }), /inside 100\.64/);
    assert.throws(() => subnetLayout({ ...input, podCidr: "100.64.0.0/16" }), /without podSubnetPrefix/);
    assert.throws(() => subnetLayout({ ...input, publicSubnetPrefix: 18 }), /must not be larger/);
    // Four /18s fill the /16: no room for public subnets after them.
    assert.throws(() => subnetLayout({ ...input, azCount: 4, privateSubnetPrefix: 18 }), /holds 256 \/24 subnets/);
  });
});

describe("aws network: flow log role", () => {
  const scope = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };

  it("is trusted by the flow-logs service for this account's flow logs only", () => {
    const [trust] = flowLogTrustPolicy(scope).Statement;
    assert.deepStrictEqual(trust.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
    assert.deepStrictEqual(trust.Condition, {
      StringEquals: { "aws:SourceAccount": "111122223333" },
      ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:111122223333:vpc-flow-log/*" },
    });
  });

  it("writes into its own log group only", () => {
    const arn = "arn:aws:logs:eu-west-1:111122223333:log-group:flow";
    assert.deepStrictEqual(flowLogWritePolicy(scope, arn), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [arn, `${arn}:*`],
        },
        {
          Sid: "FindLogGroup",
          Effect: "Allow",
          Action: "logs:DescribeLogGroups",
          Resource: "arn:aws:logs:eu-west-1:111122223333:log-group:*",
        },
      ],
    });
  });
});

const args = networkArgs();

const byName = (resources: RecordedResource[], type: string, name: string) =>
  single(
    ofType(resources, type).filter((r) => r.name === name),
    `${type} ${name}`,
  );

describe("aws network: component", () => {
  let resources: RecordedResource[];
  let network: Network;
  let recorder: ReturnType<typeof optionsRecorder>;
  let published: string[] | undefined;
  // The same network as an update, where each resource's ID is `<name>-id` (what refers to what), in an
  // account that answers its lookups.
  let applied: RecordedResource[];
  before(async () => {
    recorder = optionsRecorder();
    resources = await capturePreview(() => {
      network = new Network("coder", args, { transformations: recorder.transformations });
    });
    published = await publishedBy("coder-blueprint:aws:Network");
    applied = await withInvokes(accountInvoke, () => capture(() => new Network("coder", args)));
  });
  const inputsOf = (type: string, name: string) => byName(applied, type, name).inputs;

  it("publishes exactly its public outputs", () => {
    assert.deepStrictEqual(published, [
      "ipPlan",
      "ipPlanMarkdown",
      "isolatedSubnetIds",
      "podSubnetIds",
      "privateSubnetIds",
      "publicSubnetIds",
      "subnetCidrs",
      "vpcCidrs",
      "vpcId",
    ]);
  });

  it("registers a VPC with DNS support and hostnames, and the pod range as a secondary CIDR", () => {
    const vpc = single(ofType(resources, "aws:ec2/vpc:Vpc"), "VPC");
    assert.strictEqual(vpc.inputs.cidrBlock, "10.0.0.0/16");
    assert.strictEqual(vpc.inputs.enableDnsSupport, true);
    assert.strictEqual(vpc.inputs.enableDnsHostnames, true);
    const assoc = single(ofType(resources, "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"), "pods");
    assert.strictEqual(assoc.inputs.cidrBlock, "100.64.0.0/16");
    assert.ok(pulumi.isUnknown(assoc.inputs.vpcId), "the VPC ID is the cloud's, unknown in a preview");
  });

  it("tags private node subnets for internal load balancers, never gives them public addresses", () => {
    NETWORK_AZS.forEach((az, i) => {
      const subnet = byName(resources, "aws:ec2/subnet:Subnet", `coder-private-${az}`);
      assert.strictEqual(subnet.inputs.cidrBlock, `10.0.${i * 32}.0/19`);
      assert.strictEqual(subnet.inputs.availabilityZone, az);
      assert.strictEqual(subnet.inputs.mapPublicIpOnLaunch, false);
      assert.strictEqual(subnet.inputs.tags["kubernetes.io/role/internal-elb"], "1");
      assert.strictEqual(subnet.inputs.tags["kubernetes.io/role/elb"], undefined);
    });
  });

  it("carves a pod subnet per AZ after the secondary range is associated", () => {
    NETWORK_AZS.forEach((az, i) => {
      const subnet = byName(resources, "aws:ec2/subnet:Subnet", `coder-pods-${az}`);
      assert.strictEqual(subnet.inputs.cidrBlock, `100.64.${i * 64}.0/18`);
      assert.strictEqual(subnet.inputs.mapPublicIpOnLaunch, false);
    });
    const deps = recorder.of("aws:ec2/subnet:Subnet", `coder-pods-${NETWORK_AZS[0]}`)?.dependsOn as pulumi.Resource[];
    assert.strictEqual(deps.length, 1);
    assert.ok(deps[0] instanceof aws.ec2.VpcIpv4CidrBlockAssociation, "waits for the secondary range");
  });

  it("has public subnets for NAT without the internet-facing load balancer tag", () => {
    const publics = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith("coder-public-"));
    assert.deepStrictEqual(
      publics.map((s) => s.inputs.cidrBlock),
      ["10.0.96.0/24", "10.0.97.0/24", "10.0.98.0/24"],
    );
    for (const s of publics) {
      assert.strictEqual(s.inputs.tags["kubernetes.io/role/elb"], undefined);
      assert.strictEqual(s.inputs.mapPublicIpOnLaunch, false);
    }
  });

  it("routes each AZ's private and pod subnets through that AZ's NAT gateway", () => {
    assert.strictEqual(ofType(resources, "aws:ec2/natGateway:NatGateway").length, 3);
    const defaults = ofType(resources, "aws:ec2/route:Route").filter((r) => r.name.startsWith("coder-private-"));
    assert.strictEqual(defaults.length, 3);
    for (const route of defaults) {
      assert.strictEqual(route.inputs.destinationCidrBlock, "0.0.0.0/0");
      assert.ok(pulumi.isUnknown(route.inputs.natGatewayId));
    }
    const assocs = ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation").map((a) => a.name);
    assert.deepStrictEqual(
      assocs.filter((n) => !n.startsWith("coder-public")).sort(),
      [...NETWORK_AZS.map((az) => `coder-pods-${az}`), ...NETWORK_AZS.map((az) => `coder-private-${az}`)].sort(),
    );
    // A route table and a subnet of the same name share the mock ID `coder-private-<az>-id`.
    const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
    for (const az of NETWORK_AZS) {
      const table = `coder-private-${az}-id`;
      assert.deepStrictEqual(inputsOf("aws:ec2/route:Route", `coder-private-${az}-default`), {
        routeTableId: table,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: `coder-nat-${az}-id`,
      });
      assert.deepStrictEqual(inputsOf(ASSOCIATION, `coder-private-${az}`), {
        routeTableId: table,
        subnetId: `coder-private-${az}-id`,
      });
      assert.deepStrictEqual(inputsOf(ASSOCIATION, `coder-pods-${az}`), {
        routeTableId: table,
        subnetId: `coder-pods-${az}-id`,
      });
    }
  });

  it("gives each NAT gateway an Elastic IP of the VPC domain in its AZ's public subnet, once the internet gateway exists", () => {
    for (const az of NETWORK_AZS) {
      assert.strictEqual(inputsOf("aws:ec2/eip:Eip", `coder-nat-${az}`).domain, "vpc");
      const nat = inputsOf("aws:ec2/natGateway:NatGateway", `coder-nat-${az}`);
      // The address and the gateway share the name, so the mock ID `coder-nat-<az>-id` is the address's too.
      assert.strictEqual(nat.allocationId, `coder-nat-${az}-id`);
      assert.strictEqual(nat.subnetId, `coder-public-${az}-id`);
      assert.strictEqual(nat.connectivityType, "public");
      // A public NAT gateway fails to create in a VPC whose internet gateway is not attached yet.
      const deps = recorder.of("aws:ec2/natGateway:NatGateway", `coder-nat-${az}`)?.dependsOn as pulumi.Resource[];
      assert.strictEqual(deps.length, 1);
      assert.ok(deps[0] instanceof aws.ec2.InternetGateway, "waits for the internet gateway");
    }
  });

  it("routes the public subnets to the internet through the VPC's internet gateway", () => {
    assert.strictEqual(inputsOf("aws:ec2/internetGateway:InternetGateway", "coder-igw").vpcId, "coder-vpc-id");
    assert.deepStrictEqual(inputsOf("aws:ec2/route:Route", "coder-public-default"), {
      routeTableId: "coder-public-id",
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: "coder-igw-id",
    });
    for (const az of NETWORK_AZS) {
      assert.deepStrictEqual(inputsOf("aws:ec2/routeTableAssociation:RouteTableAssociation", `coder-public-${az}`), {
        routeTableId: "coder-public-id",
        subnetId: `coder-public-${az}-id`,
      });
    }
  });

  it("empties the VPC's default security group", () => {
    const sg = single(ofType(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"), "default SG");
    assert.deepStrictEqual(sg.inputs.ingress, []);
    assert.deepStrictEqual(sg.inputs.egress, []);
  });

  it("opens the endpoints on 443 to the VPC's own ranges only", () => {
    const sg = byName(resources, "aws:ec2/securityGroup:SecurityGroup", "coder-endpoints");
    // AWS replaces a security group whose description changes, so they stay as deployed.
    assert.strictEqual(sg.inputs.description, "VPC interface endpoints: HTTPS from inside the VPC only");
    assert.deepStrictEqual(
      sg.inputs.ingress.map((r: any) => [r.description, r.protocol, r.fromPort, r.toPort, r.cidrBlocks]),
      [["HTTPS from the VPC's ranges", "tcp", 443, 443, ["10.0.0.0/16", "100.64.0.0/16"]]],
    );
    for (const rule of sg.inputs.ingress) {
      for (const everywhere of EVERYWHERE) assert.ok(!rule.cidrBlocks.includes(everywhere));
    }
    assert.ok(!sg.inputs.egress?.length, "endpoints need no egress rule");
  });

  it("creates the interface and gateway endpoints private nodes need", () => {
    const endpoints = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
    const names = (type: string) =>
      endpoints
        .filter((e) => e.inputs.vpcEndpointType === type)
        .map((e) => e.inputs.serviceName)
        .sort();
    assert.deepStrictEqual(
      names("Interface"),
      ["ec2", "ec2messages", "ecr.api", "ecr.dkr", "logs", "ssm", "ssmmessages", "sts"].map(
        (s) => `com.amazonaws.eu-west-1.${s}`,
      ),
    );
    assert.deepStrictEqual(names("Gateway"), ["com.amazonaws.eu-west-1.s3"]);
    for (const e of endpoints.filter((x) => x.inputs.vpcEndpointType === "Interface")) {
      assert.strictEqual(e.inputs.privateDnsEnabled, true);
      assert.strictEqual(e.inputs.subnetIds.length, 3);
    }
    const s3 = endpoints.find((e) => e.inputs.vpcEndpointType === "Gateway")!;
    assert.strictEqual(s3.inputs.routeTableIds.length, 3);
  });

  it("puts the interface endpoints in the private subnets behind the endpoint security group, and S3 in the private tables", () => {
    const endpoints = ofType(applied, "aws:ec2/vpcEndpoint:VpcEndpoint");
    const privateIds = NETWORK_AZS.map((az) => `coder-private-${az}-id`);
    for (const e of endpoints.filter((x) => x.inputs.vpcEndpointType === "Interface")) {
      assert.deepStrictEqual(e.inputs.securityGroupIds, ["coder-endpoints-id"], e.name);
      assert.deepStrictEqual(e.inputs.subnetIds, privateIds, e.name);
    }
    assert.deepStrictEqual(inputsOf("aws:ec2/vpcEndpoint:VpcEndpoint", "coder-s3").routeTableIds, privateIds);
  });

  it("logs all traffic into an encrypted, retained log group", () => {
    const group = single(ofType(resources, "aws:cloudwatch/logGroup:LogGroup"), "flow log group");
    assert.strictEqual(group.inputs.retentionInDays, 365);
    assert.strictEqual(group.inputs.kmsKeyId, "arn:aws:kms:eu-west-1:111122223333:key/flow");
    assert.strictEqual(recorder.of("aws:cloudwatch/logGroup:LogGroup", "coder-flow-logs")?.protect, true);
    assert.strictEqual(recorder.of("aws:cloudwatch/logGroup:LogGroup", "coder-flow-logs")?.retainOnDelete, true);
    const flow = single(ofType(resources, "aws:ec2/flowLog:FlowLog"), "flow log");
    assert.strictEqual(flow.inputs.trafficType, "ALL");
    assert.strictEqual(flow.inputs.logDestinationType, "cloud-watch-logs");
    assert.ok(pulumi.isUnknown(flow.inputs.logDestination), "the log group ARN is the cloud's");
    const role = single(ofType(resources, "aws:iam/role:Role"), "flow log role");
    assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), flowLogTrustPolicy(ACCOUNT));
  });

  it("lets the flow log role write into that log group only, and find it in this account and region", async () => {
    // An update in the preview's account, where the log group has the ARN AWS gives it.
    const groupArn = "arn:aws:logs:eu-west-1:111122223333:log-group:coder-flow-logs";
    const logGroupArn = reportsOutputs("aws:cloudwatch/logGroup:LogGroup", () => ({ arn: groupArn }));
    const live = await withInvokes(accountInvoke, () =>
      capture(() => new Network("coder", args, { transformations: [logGroupArn] })),
    );
    const policy = byName(live, "aws:iam/rolePolicy:RolePolicy", "coder-flow-logs").inputs;
    assert.strictEqual(policy.role, "coder-flow-logs-id");
    assert.deepStrictEqual(JSON.parse(policy.policy), flowLogWritePolicy(ACCOUNT, groupArn));
  });

  it("publishes the subnets' CIDRs and the IP plan for them", () => {
    assert.deepStrictEqual(network.vpcCidrs, ["10.0.0.0/16", "100.64.0.0/16"]);
    assert.strictEqual(network.ipPlan.fits, true);
    assert.deepStrictEqual(
      network.ipPlan.subnets.map((s) => [s.role, s.cidr]),
      NETWORK_AZS.flatMap((_, i) => [
        ["nodes", `10.0.${i * 32}.0/19`],
        ["pods", `100.64.${i * 64}.0/18`],
      ]),
    );
    assert.match(network.ipPlanMarkdown, /\| 0 \| pods \| 100\.64\.0\.0\/18 \|/);
    assert.deepStrictEqual(Object.keys(network.podSubnetIds), NETWORK_AZS);
    assert.strictEqual(network.privateSubnetIds.length, 3);
  });
});

const ACCOUNT = { partition: "aws", accountId: "111122223333", region: "eu-west-1" };

describe("aws network: variants", () => {
  it("has no public subnets, gateway or NAT when there is neither NAT egress nor public load balancers", async () => {
    const resources = await capturePreview(
      () => new Network("closed", { ...args, natGateways: "none", internetFacingLoadBalancers: false }),
    );
    assert.ok(!ofType(resources, "aws:ec2/subnet:Subnet").some((s) => s.name.includes("public")));
    assert.deepStrictEqual(ofType(resources, "aws:ec2/internetGateway:InternetGateway"), []);
    assert.deepStrictEqual(ofType(resources, "aws:ec2/natGateway:NatGateway"), []);
    assert.deepStrictEqual(ofType(resources, "aws:ec2/route:Route"), []);
  });

  it("tags public subnets for internet-facing load balancers only when they are allowed", async () => {
    const resources = await capturePreview(
      () => new Network("open", { ...args, natGateways: "single", internetFacingLoadBalancers: true }),
    );
    const publics = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith("open-public-"));
    assert.strictEqual(publics.length, 3);
    for (const s of publics) assert.strictEqual(s.inputs.tags["kubernetes.io/role/elb"], "1");
    assert.strictEqual(ofType(resources, "aws:ec2/natGateway:NatGateway").length, 1);
  });

  it("routes every private table through the one NAT gateway when there is a single one", async () => {
    const resources = await capture(() => new Network("one", { ...args, natGateways: "single" }));
    assert.deepStrictEqual(
      ofType(resources, "aws:ec2/natGateway:NatGateway").map((n) => n.name),
      [`one-nat-${NETWORK_AZS[0]}`],
    );
    const defaults = ofType(resources, "aws:ec2/route:Route").filter((r) => r.name.startsWith("one-private-"));
    assert.deepStrictEqual(
      defaults.map((r) => [r.name, r.inputs.routeTableId, r.inputs.natGatewayId]),
      NETWORK_AZS.map((az) => [`one-private-${az}-default`, `one-private-${az}-id`, `one-nat-${NETWORK_AZS[0]}-id`]),
    );
  });

  it("keeps public subnets for internet-facing load balancers without NAT egress, with no NAT or private default route", async () => {
    const resources = await capturePreview(
      () => new Network("lb", { ...args, natGateways: "none", internetFacingLoadBalancers: true }),
    );
    assert.strictEqual(
      ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith("lb-public-")).length,
      3,
    );
    single(ofType(resources, "aws:ec2/internetGateway:InternetGateway"), "internet gateway");
    assert.deepStrictEqual(ofType(resources, "aws:ec2/natGateway:NatGateway"), []);
    assert.deepStrictEqual(ofType(resources, "aws:ec2/eip:Eip"), []);
    assert.deepStrictEqual(
      ofType(resources, "aws:ec2/route:Route").map((r) => r.name),
      ["lb-public-default"],
    );
  });

  it("shares the node subnets with pods without a pod range, and leaves the flow logs unencrypted only then", async () => {
    const { podCidr: _, podSubnetPrefix: __, flowLogKmsKeyArn: ___, ...rest } = args;
    const resources = await capturePreview(() => new Network("flat", rest));
    assert.deepStrictEqual(ofType(resources, "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"), []);
    assert.ok(!ofType(resources, "aws:ec2/subnet:Subnet").some((s) => s.name.includes("pods")));
    const group = single(ofType(resources, "aws:cloudwatch/logGroup:LogGroup"), "flow log group");
    assert.strictEqual(group.inputs.kmsKeyId, undefined);
  });

  it("refuses a network the IP plan does not fit when told to enforce it", () => {
    const tight: NetworkArgs = {
      ...args,
      podCidr: undefined,
      podSubnetPrefix: undefined,
      privateSubnetPrefix: 26,
      natGateways: "none",
    };
    assert.throws(() => new Network("tight", tight), /IP capacity plan does not fit[\s\S]*node subnets \/26 → \//);
  });
});

describe("aws network: names and isolated subnets", () => {
  const STACK_TAGS = { "coder-blueprint/stack": "test", team: "platform" };
  let resources: RecordedResource[];
  before(async () => {
    resources = await capturePreview(
      () => new Network("coder", { ...args, isolatedSubnetPrefix: 24, tags: STACK_TAGS }),
    );
  });
  const tagsOf = (type: string, name: string) => byName(resources, type, name).inputs.tags;

  it("names the VPC and its emptied default security group after the network, next to the stack's tags", () => {
    assert.deepStrictEqual(tagsOf("aws:ec2/vpc:Vpc", "coder-vpc"), { ...STACK_TAGS, Name: "coder" });
    assert.deepStrictEqual(tagsOf("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "coder-default-sg"), {
      ...STACK_TAGS,
      Name: "coder-default",
    });
  });

  it("names every subnet by the network, its tier and its availability zone", () => {
    const SUBNET = "aws:ec2/subnet:Subnet";
    for (const az of NETWORK_AZS) {
      assert.deepStrictEqual(tagsOf(SUBNET, `coder-private-${az}`), {
        ...STACK_TAGS,
        Name: `coder-private-${az}`,
        "kubernetes.io/role/internal-elb": "1",
      });
      for (const tier of ["pods", "public", "isolated"]) {
        assert.deepStrictEqual(tagsOf(SUBNET, `coder-${tier}-${az}`), { ...STACK_TAGS, Name: `coder-${tier}-${az}` });
      }
    }
  });

  it("names every route table, gateway, address, endpoint and the endpoint security group, next to the stack's tags", () => {
    const named = (Name: string) => ({ ...STACK_TAGS, Name });
    assert.deepStrictEqual(tagsOf("aws:ec2/internetGateway:InternetGateway", "coder-igw"), named("coder"));
    assert.deepStrictEqual(tagsOf("aws:ec2/routeTable:RouteTable", "coder-public"), named("coder-public"));
    assert.deepStrictEqual(tagsOf("aws:ec2/securityGroup:SecurityGroup", "coder-endpoints"), named("coder-endpoints"));
    for (const az of NETWORK_AZS) {
      assert.deepStrictEqual(
        tagsOf("aws:ec2/routeTable:RouteTable", `coder-private-${az}`),
        named(`coder-private-${az}`),
      );
      assert.deepStrictEqual(tagsOf("aws:ec2/eip:Eip", `coder-nat-${az}`), named(`coder-nat-${az}`));
      assert.deepStrictEqual(tagsOf("aws:ec2/natGateway:NatGateway", `coder-nat-${az}`), named(`coder-nat-${az}`));
    }
    // The resource names swap the services' dots for dashes (`ecr.api` is `coder-ecr-api`); the Name tags keep them.
    const endpoints = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
    assert.deepStrictEqual(endpoints.map((e) => e.name).sort(), [
      "coder-ec2",
      "coder-ec2messages",
      "coder-ecr-api",
      "coder-ecr-dkr",
      "coder-logs",
      "coder-s3",
      "coder-ssm",
      "coder-ssmmessages",
      "coder-sts",
    ]);
    for (const e of endpoints) {
      assert.deepStrictEqual(e.inputs.tags, named(e.inputs.serviceName.replace("com.amazonaws.eu-west-1.", "coder-")));
    }
  });

  it("names the flow log and its log group after the network, and says what the flow log role is for", () => {
    const named = { ...STACK_TAGS, Name: "coder-flow-logs" };
    assert.deepStrictEqual(tagsOf("aws:cloudwatch/logGroup:LogGroup", "coder-flow-logs"), named);
    assert.deepStrictEqual(tagsOf("aws:ec2/flowLog:FlowLog", "coder-flow-logs"), named);
    const role = byName(resources, "aws:iam/role:Role", "coder-flow-logs").inputs;
    assert.deepStrictEqual(role.tags, STACK_TAGS);
    assert.strictEqual(role.description, "VPC flow logs of coder into their log group");
  });

  it("gives the isolated subnets no public addresses", () => {
    const isolated = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith("coder-isolated-"));
    assert.deepStrictEqual(
      isolated.map((s) => [s.inputs.availabilityZone, s.inputs.cidrBlock, s.inputs.mapPublicIpOnLaunch]),
      [
        [NETWORK_AZS[0], "10.0.99.0/24", false],
        [NETWORK_AZS[1], "10.0.100.0/24", false],
        [NETWORK_AZS[2], "10.0.101.0/24", false],
      ],
    );
  });

  it("creates no isolated subnet unless their prefix is given", async () => {
    let network: Network | undefined;
    const without = await capturePreview(() => {
      network = new Network("plain", args);
    });
    assert.deepStrictEqual(
      ofType(without, "aws:ec2/subnet:Subnet")
        .map((s) => s.name)
        .filter((n) => n.includes("isolated")),
      [],
    );
    assert.deepStrictEqual(network!.isolatedSubnetIds, []);
    assert.deepStrictEqual(network!.subnetCidrs.isolated, []);
  });
});
