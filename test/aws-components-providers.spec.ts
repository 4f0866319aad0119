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
import { capture } from "./harness/mocks";

const PROVIDER = "::target-account::";

const COMPONENTS: Array<[string, (opts: pulumi.ComponentResourceOptions) => unknown]> = [
  ["Keys", (opts) => new Keys("keys", keysArgs(), opts)],
  ["NodeGroups", (opts) => new NodeGroups("nodes", nodeGroupsArgs(), opts)],
  ["Database", (opts) => new Database("db", databaseArgs(), opts)],
  ["Registry", (opts) => new Registry("registry", registryArgs(), opts)],
];

describe("AWS components: the provider they are given", () => {
  for (const [component, build] of COMPONENTS) {
    it(`reaches every resource and lookup of ${component}`, async () => {
      const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
      const shared = monitor.mocks.call.bind(monitor.mocks);
      const lookups: Array<[string, string | undefined]> = [];
      monitor.mocks.call = (call) => {
        lookups.push([call.token, call.provider]);
        return shared(call);
      };
      let resources;
      try {
        resources = await capture(() => {
          build({ providers: { aws: new aws.Provider("target-account", { region: "eu-west-1" }) } });
          return {};
        });
      } finally {
        monitor.mocks.call = shared;
      }
      const registered = resources.filter((r) => r.custom && r.type.startsWith("aws:"));
      assert.ok(registered.length > 0, "registered no AWS resource");
      for (const r of registered)
        assert.ok(String(r.provider).includes(PROVIDER), `${r.type} ${r.name}: ${r.provider}`);
      for (const [token, provider] of lookups.filter(([t]) => t.startsWith("aws:"))) {
        assert.ok(String(provider).includes(PROVIDER), `${token}: ${provider}`);
      }
    });
  }
});
