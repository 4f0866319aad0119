// Add-on versions follow the cluster's Kubernetes minor (docs/responsibility.md row `node-upgrades`).
// They are resolved with aws.eks.getAddonVersion (the default version EKS publishes for that minor), not a
// table in code: EKS ships new eksbuild versions for each minor every few weeks, so a hand-kept table would
// either go stale or hold build numbers nobody checked against the add-on catalogue. The default version
// (mostRecent: false) is the one EKS has validated for the minor, and it only changes when EKS moves it,
// so a preview does not show a new add-on version on every run. A stack may pin any add-on instead.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The EKS managed add-ons whose versions follow the control plane. */
export const ADDONS = ["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "eks-pod-identity-agent"] as const;
export type AddonName = (typeof ADDONS)[number];

/** Explicit add-on versions (e.g. "v1.20.4-eksbuild.1") that replace the resolved defaults. */
export type AddonPins = Readonly<Partial<Record<AddonName, string>>>;

/** Each add-on's version for the Kubernetes minor `kubernetesVersion`: the pin, else EKS's default. */
export function addonVersions(
  kubernetesVersion: pulumi.Input<string>,
  pins: AddonPins = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<Record<AddonName, string>> {
  const versions = ADDONS.map((addonName) => {
    const pinned = pins[addonName];
    if (pinned !== undefined) return pulumi.output(pinned);
    return aws.eks
      .getAddonVersionOutput({ addonName, kubernetesVersion, mostRecent: false }, opts)
      .apply((r) => r.version);
  });
  return pulumi
    .all(versions)
    .apply((resolved) => Object.fromEntries(ADDONS.map((a, i) => [a, resolved[i]])) as Record<AddonName, string>);
}
