// An SSH key on the nodes is a standing credential to every workspace on them, outside Kubernetes RBAC
// and Coder's audit trail. Node access goes through SSM Session Manager, which is IAM-controlled and
// logged. Self-managed nodes (EC2 instances, launch configurations) are held to the same rule.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

const TYPES = [AWS.eksNodeGroup, AWS.launchTemplate, AWS.ec2Instance, AWS.launchConfiguration];

export const nodeRemoteAccess = definePolicy(
  {
    responsibilities: ["node-user-accounts"],
    severity: "high",
    forbids: "Node group `remoteAccess`; `keyName` on launch templates, instances and launch configurations",
    references: { checkov: ["CKV_AWS_100"], other: ["EKS Best Practices hosts (SSM Session Manager instead of SSH)"] },
  },
  {
    name: "node-remote-access",
    description:
      "EKS node groups must not configure remoteAccess, and launch templates, EC2 instances and launch " +
      "configurations must not set an SSH keyName.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove remoteAccess from the node group and keyName from the launch template; use AWS Systems Manager " +
      "Session Manager for node access.",
    validateResource: forTypes(TYPES, (props, args, report) => {
      const who = subjectOfArgs(args);
      if (args.type === AWS.eksNodeGroup) {
        if (props.remoteAccess !== undefined && props.remoteAccess !== null) {
          report(
            `${who}: configures remoteAccess (SSH key ${JSON.stringify(props.remoteAccess.ec2SshKey ?? "unset")}), ` +
              `opening SSH to its nodes; remove remoteAccess and use SSM Session Manager.`,
          );
        }
        return;
      }
      if ("keyName" in props && props.keyName !== "") {
        report(
          `${who}: sets keyName, installing an SSH key on every node; remove keyName and use SSM Session Manager.`,
        );
      }
    }),
  },
);
