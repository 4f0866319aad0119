// Every AWS component hands its provider to everything it registers and looks up: a stack that deploys into
// another account or region passes one provider to the component, and nothing may fall back to the ambient
// default provider (which would create the resource, or read the account ID, somewhere else).
import "./harness/mocks";
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Addons } from "../components/aws/addons";
import { Cluster } from "../components/aws/cluster";
import { Database } from "../components/aws/database";
import { Keys } from "../components/aws/keys";
import { Network } from "../components/aws/network";
import { NodeGroups } from "../components/aws/nodes";
import { Registry } from "../components/aws/registry";
import {
  addonCatalogue,
  addonsArgs,
  clusterArgs,
  databaseArgs,
  keysArgs,
  networkArgs,
  nodeGroupsArgs,
  registryArgs,
} from "./fixtures/aws-components";
import { publishedBy } from "./harness/component-outputs";
import { invokesDuring } from "./harness/invokes";
import { accountInvoke, capture, capturePreview } from "./harness/mocks";

const PROVIDER = "::target-account::";

/** A component, how to build it with given options, and what it registers and reads when built from its fixture. */
interface Case {
  build: (opts: pulumi.ComponentResourceOptions) => unknown;
  /** How many AWS resources of each type it registers; a resource left out of the count never registered. */
  registers: Record<string, number>;
  /** The data sources it reads, e.g. the account, region and partition a policy names. */
  reads: string[];
  /** Its public outputs, where its own spec does not check them. */
  publishes?: string[];
}

const ACCOUNT_LOOKUPS = [
  "aws:index/getCallerIdentity:getCallerIdentity",
  "aws:index/getPartition:getPartition",
  "aws:index/getRegion:getRegion",
];

const CASES: Record<string, Case> = {
  Keys: {
    build: (opts) => new Keys("keys", keysArgs(), opts),
    registers: {
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:ebs/encryptionByDefault:EncryptionByDefault": 1,
      "aws:ebs/defaultKmsKey:DefaultKmsKey": 1,
    },
    reads: ACCOUNT_LOOKUPS,
    publishes: ["aliasName", "keyArn", "keyId"],
  },
  NodeGroups: {
    build: (opts) => new NodeGroups("nodes", nodeGroupsArgs(), opts),
    registers: {
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
      "aws:ec2/launchTemplate:LaunchTemplate": 3,
      "aws:eks/nodeGroup:NodeGroup": 3,
    },
    // The release SSM recommends for the pool that tracks releases.
    reads: ["aws:ssm/getParameter:getParameter"],
    publishes: ["nodeGroups", "nodeRoleArn", "nodeRoleName", "placements"],
  },
  Database: {
    // Given its account and region, so it reads none.
    build: (opts) => new Database("db", databaseArgs(), opts),
    registers: {
      "aws:rds/subnetGroup:SubnetGroup": 1,
      "aws:rds/parameterGroup:ParameterGroup": 1,
      "aws:ec2/securityGroup:SecurityGroup": 1,
      "aws:rds/instance:Instance": 1,
    },
    reads: [],
    publishes: [
      "address",
      "addressRanges",
      "bootstrapSql",
      "caBundlePem",
      "caCertIdentifier",
      "connectPolicyArn",
      "connectionUrl",
      "databaseName",
      "masterUserSecretArn",
      "port",
    ],
  },
  Registry: {
    build: (opts) => new Registry("registry", registryArgs(), opts),
    registers: {
      "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": 1,
      "aws:ecr/repository:Repository": 2,
      "aws:ecr/repositoryPolicy:RepositoryPolicy": 2,
      "aws:ecr/lifecyclePolicy:LifecyclePolicy": 2,
      "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": 1,
      "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": 1,
      "aws:iam/policy:Policy": 1,
    },
    reads: [],
    publishes: ["approvedPrefix", "approvedPrefixes", "pullPolicyArn", "repositoryArns", "repositoryUrls"],
  },
  Network: {
    // Three AZs, each with a private, a pod and a public subnet and a NAT gateway.
    build: (opts) => new Network("net", networkArgs(), opts),
    registers: {
      "aws:ec2/vpc:Vpc": 1,
      "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": 1,
      "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
      "aws:ec2/subnet:Subnet": 9,
      "aws:ec2/internetGateway:InternetGateway": 1,
      "aws:ec2/eip:Eip": 3,
      "aws:ec2/natGateway:NatGateway": 3,
      "aws:ec2/routeTable:RouteTable": 4,
      "aws:ec2/route:Route": 4,
      "aws:ec2/routeTableAssociation:RouteTableAssociation": 9,
      "aws:ec2/securityGroup:SecurityGroup": 1,
      "aws:ec2/vpcEndpoint:VpcEndpoint": 9,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:ec2/flowLog:FlowLog": 1,
    },
    reads: ACCOUNT_LOOKUPS,
  },
  Cluster: {
    // Reached from a listed network, so the API has a security group of its own.
    build: (opts) => new Cluster("cluster", clusterArgs({ privateApiCidrs: ["10.8.0.0/16"] }), opts),
    registers: {
      "aws:ec2/securityGroup:SecurityGroup": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:eks/cluster:Cluster": 1,
      "aws:eks/accessEntry:AccessEntry": 3,
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 3,
    },
    // The add-on versions EKS recommends for the release it runs.
    reads: ["aws:eks/getAddonVersion:getAddonVersion"],
  },
  Addons: {
    // With the load balancer controller's role and policy.
    build: (opts) => new Addons("addons", addonsArgs({ internalLoadBalancers: true }), opts),
    registers: {
      "aws:eks/addon:Addon": 5,
      "aws:iam/role:Role": 3,
      "aws:iam/rolePolicy:RolePolicy": 2,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation": 3,
    },
    reads: [],
  },
};

/** Lookups answer as a live account would, so that nothing waiting on one is left unregistered. */
const liveAccount = (token: string, inputs: any) => accountInvoke(token) ?? addonCatalogue(token, inputs);

describe("AWS components: the provider they are given, and what they publish", () => {
  for (const [component, { build, registers, reads, publishes }] of Object.entries(CASES)) {
    it(`reaches every resource and lookup of ${component}`, async () => {
      const { result: resources, invokes } = await invokesDuring(
        () =>
          capture(() => {
            build({ providers: { aws: new aws.Provider("target-account", { region: "eu-west-1" }) } });
            return {};
          }),
        liveAccount,
      );
      const registered = resources.filter((r) => r.custom && r.type.startsWith("aws:"));
      const counts: Record<string, number> = {};
      for (const r of registered) counts[r.type] = (counts[r.type] ?? 0) + 1;
      assert.deepStrictEqual(counts, registers);
      for (const r of registered)
        assert.ok(String(r.provider).includes(PROVIDER), `${r.type} ${r.name}: ${r.provider}`);
      const lookups = invokes.filter((i) => i.token.startsWith("aws:"));
      assert.deepStrictEqual([...new Set(lookups.map((i) => i.token))].sort(), reads);
      for (const { token, provider } of lookups)
        assert.ok(String(provider).includes(PROVIDER), `${token}: ${provider}`);
    });

    if (publishes) {
      it(`publishes exactly the public outputs of ${component}`, async () => {
        // A preview, as in a pull request: the outputs are registered even while AWS has computed none of them.
        await capturePreview(() => build({}));
        assert.deepStrictEqual(await publishedBy(`coder-blueprint:aws:${component}`), publishes);
      });
    }
  }
});
