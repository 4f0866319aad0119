import { snapshotSharedOutsideAccount } from "../policies/aws/snapshot-shared-outside-account";
import { AWS } from "../lib/types";
import { expectPass, expectViolation } from "./expect";
import { compliantRdsSnapshot } from "./fixtures/aws";
import { mutate, resource } from "./fixtures/resources";

const FIX = /remove/;

describe("snapshot-shared-outside-account", () => {
  it("passes RDS snapshots kept in the account", async () => {
    await expectPass(snapshotSharedOutsideAccount, compliantRdsSnapshot());
    await expectPass(
      snapshotSharedOutsideAccount,
      mutate(compliantRdsSnapshot(), (p) => (p.sharedAccounts = [])),
    );
    await expectPass(
      snapshotSharedOutsideAccount,
      resource(AWS.rdsClusterSnapshot, "aurora-before-upgrade", {
        dbClusterIdentifier: "coder",
        dbClusterSnapshotIdentifier: "coder-before-upgrade",
      }),
    );
  });

  it("fails an RDS snapshot shared with another account or made public", async () => {
    await expectViolation(
      snapshotSharedOutsideAccount,
      mutate(compliantRdsSnapshot(), (p) => (p.sharedAccounts = ["999999999999"])),
      'RDS snapshot "coder-db-before-upgrade"',
      /is shared with \[999999999999\] \("all" makes it public\); remove sharedAccounts/,
    );
    await expectViolation(
      snapshotSharedOutsideAccount,
      resource(AWS.rdsClusterSnapshot, "aurora-public", {
        dbClusterIdentifier: "coder",
        dbClusterSnapshotIdentifier: "coder-public",
        sharedAccounts: ["all"],
      }),
      'RDS cluster snapshot "aurora-public"',
      /shared with \[all\]/,
    );
  });

  it("fails an EBS snapshot volume permission", async () => {
    await expectViolation(
      snapshotSharedOutsideAccount,
      resource(AWS.ebsSnapshotCreateVolumePermission, "share-home", {
        snapshotId: "snap-0123",
        accountId: "999999999999",
      }),
      'EBS snapshot volume permission "share-home"',
      /shares an EBS snapshot with 999999999999; remove the permission/,
    );
    await expectViolation(
      snapshotSharedOutsideAccount,
      resource(AWS.ebsSnapshotCreateVolumePermission, "share-unnamed", { snapshotId: "snap-0123" }),
      'EBS snapshot volume permission "share-unnamed"',
      /shares an EBS snapshot with another account; remove the permission/,
    );
  });

  it("fails AMI launch permissions for an account, the public group and an organization", async () => {
    const ami = (name: string, props: Record<string, unknown>) =>
      resource(AWS.amiLaunchPermission, name, { imageId: "ami-0123", ...props });
    await expectViolation(
      snapshotSharedOutsideAccount,
      ami("share-account", { accountId: "999999999999" }),
      'AMI launch permission "share-account"',
      /shares an AMI with 999999999999/,
    );
    await expectViolation(
      snapshotSharedOutsideAccount,
      ami("public", { group: "all" }),
      'AMI launch permission "public"',
      FIX,
    );
    await expectViolation(
      snapshotSharedOutsideAccount,
      ami("org", { organizationArn: "arn:aws:organizations::111111111111:organization/o-abc" }),
      'AMI launch permission "org"',
      /o-abc/,
    );
  });
});
