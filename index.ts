import * as pulumi from "@pulumi/pulumi";
import { deployBlueprint } from "./blueprint";
import { loadConfig } from "./config";
import { requirePolicyPack } from "./config/policy-pack";

// The policy pack must run beside the program (config/policy-pack.ts); an explicit override is logged.
const override = requirePolicyPack();
if (override) void pulumi.log.warn(override);

// Config is validated in full, and the AWS layer's preflight (account, region, upgrade plan) has run,
// before the first resource is registered.
const config = loadConfig();

export = deployBlueprint(config);
