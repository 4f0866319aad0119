// Session tokens, OIDC callbacks and workspace agent traffic go through coderd's access URL. Without
// coder.tls.secretNames the chart serves plain HTTP on port 80, and everything between the client and
// coderd travels in clear text. A stack that terminates TLS on a load balancer or ingress says so
// explicitly through allowTlsTerminationElsewhere.
import { validateCoderChart } from "../../lib/coder";
import { definePolicy } from "../../lib/metadata";

export interface CoderReleaseWithoutTlsConfig {
  allowTlsTerminationElsewhere: boolean;
}

export const coderReleaseWithoutTls = definePolicy(
  {
    responsibilities: ["tls-coderd"],
    severity: "high",
    forbids: "Coder release without `coder.tls.secretNames`",
    references: { cisEks: ["5.4.5 (context)"], other: ["Coder chart coder.tls.secretNames"] },
  },
  {
    name: "coder-release-without-tls",
    description:
      "The Coder Helm release must serve TLS itself (coder.tls.secretNames), unless the policy config says TLS " +
      "terminates elsewhere.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Create a kubernetes.io/tls Secret in coderd's namespace and list it in values.coder.tls.secretNames; if a " +
      "load balancer or ingress terminates TLS, set allowTlsTerminationElsewhere: true in this policy's config.",
    configSchema: {
      properties: {
        allowTlsTerminationElsewhere: {
          type: "boolean",
          default: false,
          description:
            "Set when TLS for Coder's access URL terminates at a load balancer or ingress instead of coderd.",
        },
      },
    },
    validateResource: validateCoderChart(({ coder, subject, report, config }) => {
      if ((config as CoderReleaseWithoutTlsConfig).allowTlsTerminationElsewhere) return;
      const secretNames: unknown[] = coder.tls?.secretNames ?? [];
      if (secretNames.length > 0) return;
      report(
        `${subject}: coder.tls.secretNames is empty, so coderd serves plain HTTP and session tokens cross the ` +
          `network unencrypted; ` +
          "list a kubernetes.io/tls Secret in values.coder.tls.secretNames (or set allowTlsTerminationElsewhere in " +
          "this policy's config if a load balancer terminates TLS).",
      );
    }),
  },
);
