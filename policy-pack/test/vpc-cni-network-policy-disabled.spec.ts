import { vpcCniNetworkPolicyDisabled } from "../policies/aws/vpc-cni-network-policy-disabled";
import { expectPass, expectViolation } from "./expect";
import { compliantVpcCniAddon } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const WHO = 'EKS add-on "coder-vpc-cni"';
const withValues = (values: unknown) => mutate(compliantVpcCniAddon(), (p) => (p.configurationValues = values));
const FIX = /does not enforce NetworkPolicies \(.*\); set configurationValues to \{"enableNetworkPolicy": "true"\}/;

describe("vpc-cni-network-policy-disabled", () => {
  it("passes network policy on, with the node agent on or left at its default", async () => {
    await expectPass(vpcCniNetworkPolicyDisabled, compliantVpcCniAddon());
    await expectPass(
      vpcCniNetworkPolicyDisabled,
      withValues(JSON.stringify({ enableNetworkPolicy: "true", nodeAgent: { enabled: "true" } })),
    );
    await expectPass(vpcCniNetworkPolicyDisabled, withValues(JSON.stringify({ enableNetworkPolicy: true })));
  });

  it("ignores other add-ons", async () => {
    await expectPass(
      vpcCniNetworkPolicyDisabled,
      mutate(compliantVpcCniAddon(), (p) => {
        p.addonName = "coredns";
        delete p.configurationValues;
      }),
    );
  });

  it("fails the add-on without configurationValues (network policy off by default)", async () => {
    await expectViolation(
      vpcCniNetworkPolicyDisabled,
      withValues(undefined),
      WHO,
      /configurationValues is unset, so enableNetworkPolicy keeps its default \(off\)/,
    );
    for (const empty of [null, ""]) {
      await expectViolation(vpcCniNetworkPolicyDisabled, withValues(empty), WHO, /configurationValues is unset/);
    }
  });

  it("fails configuration without enableNetworkPolicy", async () => {
    await expectViolation(
      vpcCniNetworkPolicyDisabled,
      withValues(JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: "true" } })),
      WHO,
      /enableNetworkPolicy is "unset", not "true"/,
    );
  });

  it("fails every spelling of false", async () => {
    for (const value of ["false", "False", false, "0", "no", ""]) {
      await expectViolation(
        vpcCniNetworkPolicyDisabled,
        withValues(JSON.stringify({ enableNetworkPolicy: value })),
        WHO,
        FIX,
      );
    }
  });

  it("fails a padded true, which the add-on is not known to trim", async () => {
    for (const value of [" true", "true ", " TRUE "]) {
      await expectViolation(
        vpcCniNetworkPolicyDisabled,
        withValues(JSON.stringify({ enableNetworkPolicy: value })),
        WHO,
        FIX,
      );
    }
  });

  it("fails a disabled node agent, which enforces the policies", async () => {
    await expectViolation(
      vpcCniNetworkPolicyDisabled,
      withValues(JSON.stringify({ enableNetworkPolicy: "true", nodeAgent: { enabled: "false" } })),
      WHO,
      /nodeAgent\.enabled is "false"/,
    );
  });

  it("fails JSON that is not an object", async () => {
    for (const values of ["null", "5", '"true"']) {
      await expectViolation(
        vpcCniNetworkPolicyDisabled,
        withValues(values),
        WHO,
        /does not enforce NetworkPolicies \(configurationValues is not an object\)/,
      );
    }
  });

  it("fails configuration the pack cannot read as JSON", async () => {
    await expectViolation(
      vpcCniNetworkPolicyDisabled,
      withValues("enableNetworkPolicy: 'true'"),
      WHO,
      /not JSON, so the pack cannot confirm enableNetworkPolicy/,
    );
  });
});
