// A shared snapshot or AMI is a copy of the data handed to another account: EBS snapshots hold workspace
// home directories and node disks, RDS snapshots hold Coder's database with its encrypted secrets. No
// share is needed to run the platform, so none is allowed.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { listText } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

const TYPES = [AWS.ebsSnapshotCreateVolumePermission, AWS.amiLaunchPermission, AWS.rdsSnapshot, AWS.rdsClusterSnapshot];

export const snapshotSharedOutsideAccount = definePolicy(
  {
    responsibilities: ["storage-cloud-access"],
    severity: "critical",
    forbids: "EBS snapshot volume permissions, AMI launch permissions, RDS snapshots with `sharedAccounts`",
    references: {
      other: [
        "AWS Security Hub EC2.1 (EBS snapshots not publicly restorable)",
        "AWS Security Hub RDS.1 (RDS snapshots private)",
      ],
    },
  },
  {
    name: "snapshot-shared-outside-account",
    description:
      "EBS snapshots, AMIs and RDS snapshots must not be shared with other accounts, organizations or the public.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove the SnapshotCreateVolumePermission or AmiLaunchPermission resource, or the snapshot's " +
      "sharedAccounts; copy data to another account through a reviewed backup process instead.",
    validateResource: forTypes(TYPES, (props, args, report) => {
      const who = subjectOfArgs(args);
      if (args.type === AWS.rdsSnapshot || args.type === AWS.rdsClusterSnapshot) {
        const shared: unknown = props.sharedAccounts;
        if (!Array.isArray(shared) || shared.length === 0) return;
        report(`${who}: is shared with ${listText(shared)} ("all" makes it public); remove sharedAccounts.`);
        return;
      }
      const target =
        props.accountId ?? props.group ?? props.organizationArn ?? props.organizationalUnitArn ?? "another account";
      report(
        `${who}: shares ${args.type === AWS.amiLaunchPermission ? "an AMI" : "an EBS snapshot"} with ` +
          `${String(target)}; remove the permission.`,
      );
    }),
  },
);
