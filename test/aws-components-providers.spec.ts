// Every AWS component hands its provider to everything it registers and looks up: a stack that deploys into
// another account or region passes one provider to the component, and nothing may fall back to the ambient
// default provider (which would create the resource, or read the account ID, somewhere else).
import "./harness/mocks";
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Database } from "../components/aws/database";
import { Keys } from "../components/aws/keys";
import { NodeGroups } from "../components/aws/nodes";
import { Registry } from "../components/aws/registry";
import { databaseArgs, keysArgs, nodeGroupsArgs, registryArgs } from "./fixtures/aws-components";
import { publishedBy } from "./harness/component-outputs";
import { invokesDuring } from "./harness/invokes";
import { capture, capturePreview } from "./harness/mocks";

const PROVIDER = "::target-account::";

/**
 * The data sources each component reads: the account, region and partition the key policy names, and the
 * node release SSM recommends. Database and Registry are given their account and region and read none.
 */
const LOOKUPS: Record<string, string[]> = {
  Keys: [
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
  ],
  NodeGroups: ["aws:ssm/getParameter:getParameter"],
  Database: [],
  Registry: [],
};

const COMPONENTS: Array<[string, (opts: pulumi.ComponentResourceOptions) => unknown, string[]]> = [
  ["Keys", (opts) => new Keys("keys", keysArgs(), opts), ["aliasName", "keyArn", "keyId"]],
  [
    "NodeGroups",
    (opts) => new NodeGroups("nodes", nodeGroupsArgs(), opts),
    ["nodeGroups", "nodeRoleArn", "nodeRoleName", "placements"],
  ],
  [
    "Database",
    (opts) => new Database("db", databaseArgs(), opts),
    [
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
  ],
  [
    "Registry",
    (opts) => new Registry("registry", registryArgs(), opts),
    ["approvedPrefix", "approvedPrefixes", "pullPolicyArn", "repositoryArns", "repositoryUrls"],
  ],
];

describe("AWS components: the provider they are given, and what they publish", () => {
  for (const [component, build, outputs] of COMPONENTS) {
    it(`reaches every resource and lookup of ${component}`, async () => {
      const { result: resources, invokes } = await invokesDuring(() =>
        capture(() => {
          build({ providers: { aws: new aws.Provider("target-account", { region: "eu-west-1" }) } });
          return {};
        }),
      );
      const registered = resources.filter((r) => r.custom && r.type.startsWith("aws:"));
      assert.ok(registered.length > 0, "registered no AWS resource");
      for (const r of registered)
        assert.ok(String(r.provider).includes(PROVIDER), `${r.type} ${r.name}: ${r.provider}`);
      const lookups = invokes.filter((i) => i.token.startsWith("aws:"));
      assert.deepStrictEqual([...new Set(lookups.map((i) => i.token))].sort(), LOOKUPS[component]);
      for (const { token, provider } of lookups)
        assert.ok(String(provider).includes(PROVIDER), `${token}: ${provider}`);
    });

    it(`publishes exactly the public outputs of ${component}`, async () => {
      // A preview, as in a pull request: the outputs are registered even while AWS has computed none of them.
      await capturePreview(() => build({}));
      assert.deepStrictEqual(await publishedBy(`coder-blueprint:aws:${component}`), outputs);
    });
  }
});
