import { PolicyPack } from "@pulumi/policy";

new PolicyPack("coder-blueprint-policies", { policies: [] });
