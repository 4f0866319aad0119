// Entry point the Pulumi engine runs (`pulumi preview|up --policy-pack policy-pack`). Constructing the
// pack starts its analyzer server, so nothing else may import this file; tests import ./policies.
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  policies,
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  description:
    "Blocks insecure changes to a dedicated Coder cluster, mapped to Coder's shared security responsibility model.",
  displayName: "Coder blueprint policies",
  tags: ["coder", "kubernetes", "eks", "security"],
});
