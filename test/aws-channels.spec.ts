// Upgrade channels: the one table from channel to Kubernetes minor, pins, support type, and add-on
// versions that follow the minor.
import "./harness/mocks";
import * as assert from "assert";
import { ADDONS, addonVersions } from "../components/aws/cluster/addons";
import {
  CHANNEL_TABLE,
  CHANNELS,
  minorOf,
  minorsBetween,
  nextMinor,
  resolveChannel,
} from "../components/aws/cluster/channels";
import { DEFAULT_SUPPORTED_VERSIONS } from "../policy-pack/policies/aws/eks-unsupported-version";
import { withInvokes } from "./harness/invokes";
import { valueOf } from "./harness/outputs";

describe("upgrade channels", () => {
  it("maps rapid, regular, stable to the newest EKS minor and one and two behind it", () => {
    assert.deepStrictEqual(
      CHANNELS.map((channel) => resolveChannel({ channel }).version),
      ["1.36", "1.35", "1.34", "1.33"],
    );
    assert.strictEqual(CHANNEL_TABLE.reviewed, "2026-12-01");
  });

  it("keeps every channel but extended inside the policy pack's default standard-support set", () => {
    for (const channel of ["rapid", "regular", "stable"] as const) {
      assert.ok(DEFAULT_SUPPORTED_VERSIONS.includes(resolveChannel({ channel }).version), channel);
    }
    assert.ok(!DEFAULT_SUPPORTED_VERSIONS.includes(resolveChannel({ channel: "extended" }).version));
  });

  it("chooses STANDARD support unless the channel is extended", () => {
    assert.strictEqual(resolveChannel({ channel: "regular" }).supportType, "STANDARD");
    assert.strictEqual(resolveChannel({ channel: "stable", version: "1.33" }).supportType, "STANDARD");
    assert.strictEqual(resolveChannel({ channel: "extended" }).supportType, "EXTENDED");
  });

  it("lets a pinned minor override the channel", () => {
    assert.deepStrictEqual(resolveChannel({ channel: "rapid", version: "1.34" }), {
      version: "1.34",
      source: "pinned",
      supportType: "STANDARD",
    });
    assert.strictEqual(resolveChannel({ channel: "rapid" }).source, "channel");
  });

  it("refuses a pin that is not a minor, and an unknown channel", () => {
    assert.throws(() => resolveChannel({ channel: "rapid", version: "1.34.2" }), /must be a Kubernetes minor/);
    assert.throws(() => resolveChannel({ channel: "rapid", version: "latest" }), /must be a Kubernetes minor/);
    assert.throws(() => resolveChannel({ channel: "beta" as never }), /unknown upgrade channel/);
  });

  it("lists every channel when it refuses an unknown one", () => {
    assert.throws(() => resolveChannel({ channel: "beta" as never }), {
      message: 'unknown upgrade channel "beta" (expected one of rapid, regular, stable, extended)',
    });
  });

  it("refuses a pin with anything before the minor, such as a v prefix or a second digit", () => {
    for (const version of ["v1.34", "11.34", "k8s-1.34"]) {
      assert.throws(() => resolveChannel({ channel: "rapid", version }), {
        message: `pinned version "${version}" must be a Kubernetes minor such as "1.35"`,
      });
    }
  });

  it("does minor arithmetic on EKS version strings", () => {
    assert.strictEqual(minorOf("v1.35.2-eks-1234"), "1.35");
    assert.strictEqual(minorsBetween("1.33", "1.36"), 3);
    assert.strictEqual(minorsBetween("1.36", "1.33"), -3);
    assert.strictEqual(nextMinor("1.34"), "1.35");
    assert.strictEqual(nextMinor("1.34", 2), "1.36");
    assert.throws(() => minorOf("one"), /not a Kubernetes version/);
  });
});

describe("add-on versions", () => {
  const catalogue = (token: string, inputs: any) =>
    token === "aws:eks/getAddonVersion:getAddonVersion"
      ? { version: `${inputs.addonName}@${inputs.kubernetesVersion}${inputs.mostRecent ? "-newest" : "-default"}` }
      : undefined;

  it("resolves EKS's default version of every add-on for the cluster's minor", async () => {
    const versions = await withInvokes(catalogue, () => valueOf(addonVersions("1.35")));
    assert.deepStrictEqual(Object.keys(versions), [...ADDONS]);
    assert.strictEqual(versions["vpc-cni"], "vpc-cni@1.35-default");
    assert.strictEqual(versions["eks-pod-identity-agent"], "eks-pod-identity-agent@1.35-default");
  });

  it("uses a pinned version instead", async () => {
    const versions = await withInvokes(catalogue, () =>
      valueOf(addonVersions("1.35", { coredns: "v1.12.1-eksbuild.2" })),
    );
    assert.strictEqual(versions.coredns, "v1.12.1-eksbuild.2");
    assert.strictEqual(versions["kube-proxy"], "kube-proxy@1.35-default");
  });
});
