import { deployBlueprint } from "./blueprint";
import { loadConfig } from "./config";

// Config is validated in full, and the AWS layer's preflight (account, region, upgrade plan) has run,
// before the first resource is registered.
const config = loadConfig();

export = deployBlueprint(config);
