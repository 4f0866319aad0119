// The EKS API endpoint is public and open to 0.0.0.0/0 unless told otherwise, so any leaked kubeconfig
// or token is usable from anywhere. Outside production an allowlist of CIDRs is acceptable; with
// `production: true` the endpoint must be private.
import { everywhereCovered } from "../../contract";
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { AWS } from "../../lib/types";
import { definePolicy } from "../../lib/metadata";

export interface EksPublicEndpointConfig {
  production: boolean;
}

export const eksPublicEndpoint = definePolicy(
  {
    responsibilities: ["control-plane-access"],
    severity: "high",
    forbids: "Public endpoint whose CIDRs together cover 0.0.0.0/0 or ::/0; any public endpoint in production",
    references: { cisEks: ["5.4.1", "5.4.2"], checkov: ["CKV_AWS_38", "CKV_AWS_39"] },
  },
  {
    name: "eks-public-endpoint",
    description:
      "EKS clusters must not expose a public API endpoint to 0.0.0.0/0, and in production must not expose it at all.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set vpcConfig.endpointPrivateAccess: true and vpcConfig.endpointPublicAccess: false; outside production, at " +
      "least restrict vpcConfig.publicAccessCidrs to your admin networks.",
    configSchema: {
      properties: {
        production: {
          type: "boolean",
          default: false,
          description: "Production stacks must keep the API endpoint private.",
        },
      },
    },
    validateResource: forTypes([AWS.eksCluster], (props, args, report) => {
      const { production } = args.getConfig<EksPublicEndpointConfig>();
      const who = subjectOfArgs(args);
      const vpc = props.vpcConfig ?? {};
      // The EKS API enables the public endpoint unless endpointPublicAccess is false.
      if (vpc.endpointPublicAccess === false) return;
      if (production) {
        report(
          `${who}: has a public API endpoint in a production stack (CKV_AWS_39); set ` +
            `vpcConfig.endpointPublicAccess: false and endpointPrivateAccess: true.`,
        );
        return;
      }
      const cidrs: unknown[] = vpc.publicAccessCidrs ?? [];
      // Judged by what the ranges cover together: 0.0.0.0/1 plus 128.0.0.0/1 is the whole internet too.
      const open =
        cidrs.length === 0
          ? ["0.0.0.0/0 (the EKS default when publicAccessCidrs is empty)"]
          : everywhereCovered(cidrs).map((all) =>
              cidrs.includes(all) ? all : `${all} (together: ${cidrs.join(", ")})`,
            );
      if (open.length > 0) {
        report(
          `${who}: public API endpoint is open to ${open.join(", ")} (CKV_AWS_38); set ` +
            `vpcConfig.endpointPublicAccess: false, or restrict vpcConfig.publicAccessCidrs to your admin networks.`,
        );
      }
    }),
  },
);
