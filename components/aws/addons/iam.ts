// Policy documents for the add-ons' own roles. Each role is assumed only through EKS Pod Identity and only
// by the one service account it is for.

type Document = { Version: "2012-10-17"; Statement: Record<string, unknown>[] };

/**
 * Trust for a Pod Identity role: the EKS Pod Identity service may assume it and tag the session, and only
 * for the named cluster, namespace and service account (the session tags Pod Identity sets; EKS user
 * guide, "Create IAM role with trust policy required by EKS Pod Identity").
 */
export function podIdentityTrust(clusterName: string, namespace: string, serviceAccount: string): Document {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-name": clusterName,
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": serviceAccount,
          },
        },
      },
    ],
  };
}

/**
 * What the EBS CSI controller needs on the customer-managed key to create and attach encrypted volumes:
 * grants for EBS itself (only for AWS resources) and data-key use, on that key alone.
 */
export function ebsKmsPolicy(kmsKeyArn: string): Document {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: kmsKeyArn,
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: kmsKeyArn,
      },
    ],
  };
}

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * The AWS Load Balancer Controller's permissions for internal Network Load Balancers only: reads, the load
 * balancers, target groups, listeners and security groups it creates (tagged with the cluster by the
 * controller), and an explicit deny on internet-facing load balancers. No Application Load Balancer,
 * WAF, Shield or Cognito actions, and on IAM only the ELB service-linked role.
 */
export function loadBalancerControllerPolicy(): Document {
  const owned = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };
  const tagging = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "false" } };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ElbServiceLinkedRole",
        Effect: "Allow",
        Action: "iam:CreateServiceLinkedRole",
        Resource: "arn:aws:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/*",
        Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
      },
      {
        Sid: "Read",
        Effect: "Allow",
        Action: [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInstances",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeRouteTables",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeTags",
          "ec2:DescribeVpcs",
          "ec2:GetSecurityGroupsForVpc",
          "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeSSLPolicies",
          "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetHealth",
          "acm:DescribeCertificate",
          "acm:ListCertificates",
        ],
        Resource: "*",
      },
      {
        Sid: "NodeIngressForTargets",
        Effect: "Allow",
        Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        Resource: "*",
      },
      {
        Sid: "CreateOwned",
        Effect: "Allow",
        Action: [
          "ec2:CreateSecurityGroup",
          "elasticloadbalancing:CreateLoadBalancer",
          "elasticloadbalancing:CreateTargetGroup",
        ],
        Resource: "*",
        Condition: tagging,
      },
      {
        Sid: "TagSecurityGroupOnCreate",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: "*",
        Condition: { ...tagging, StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" } },
      },
      {
        Sid: "TagElbOnCreate",
        Effect: "Allow",
        Action: "elasticloadbalancing:AddTags",
        Resource: "*",
        Condition: {
          ...tagging,
          StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
        },
      },
      {
        Sid: "ManageOwned",
        Effect: "Allow",
        Action: [
          "ec2:CreateTags",
          "ec2:DeleteTags",
          "ec2:DeleteSecurityGroup",
          "elasticloadbalancing:AddTags",
          "elasticloadbalancing:RemoveTags",
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:DeleteTargetGroup",
        ],
        Resource: "*",
        Condition: owned,
      },
      {
        Sid: "Listeners",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:CreateListener",
          "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:ModifyListenerAttributes",
        ],
        Resource: "*",
      },
      {
        Sid: "Targets",
        Effect: "Allow",
        Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
      },
      {
        // The Kubernetes layer only asks for internal NLBs; IAM makes that hold even if a Service asks otherwise.
        Sid: "NoInternetFacing",
        Effect: "Deny",
        Action: "elasticloadbalancing:CreateLoadBalancer",
        Resource: "*",
        Condition: { StringEquals: { "elasticloadbalancing:Scheme": "internet-facing" } },
      },
    ],
  };
}
