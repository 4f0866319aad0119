// Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE are pieces of root; several are enough on their
// own to escape a container. Any capability a workload needs must be approved by name in the policy
// config, so adding one is a reviewed change to the pack's configuration.
import { eachContainer, validatePodSpec } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

export interface AddedCapabilitiesConfig {
  allowedCapabilities: string[];
}

/** "CAP_NET_BIND_SERVICE" and "net_bind_service" both become "NET_BIND_SERVICE". */
export function normalizeCapability(cap: string): string {
  return cap.trim().toUpperCase().replace(/^CAP_/, "");
}

export const addedCapabilities = definePolicy(
  {
    responsibilities: ["node-user-accounts"],
    severity: "high",
    forbids: "Added capabilities beyond the allowlist",
    references: {
      kyverno: ["disallow-capabilities", "require-drop-all"],
      checkov: ["CKV_K8S_25", "CKV_K8S_37"],
      other: ["coder/coder#22543"],
    },
  },
  {
    name: "added-capabilities",
    description: "Containers must not add Linux capabilities beyond the configured allowlist (empty by default).",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove the capability from securityContext.capabilities.add, or, after review, list it in this policy's " +
      "allowedCapabilities config.",
    configSchema: {
      properties: {
        allowedCapabilities: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: 'Capabilities containers may add, e.g. ["NET_BIND_SERVICE"].',
        },
      },
    },
    validateResource: validatePodSpec(({ spec, subject, gaps, report, config }) => {
      const allowed = new Set(((config as AddedCapabilitiesConfig).allowedCapabilities ?? []).map(normalizeCapability));
      eachContainer(spec, gaps, ({ container, label }) => {
        const added: unknown[] = container.securityContext?.capabilities?.add ?? [];
        const extra = added
          .filter((c): c is string => typeof c === "string")
          .filter((c) => !allowed.has(normalizeCapability(c)));
        if (extra.length === 0) return;
        report(
          `${subject} ${label}: adds capabilities ${extra.join(", ")}, which are not in the approved list ` +
            `(${[...allowed].join(", ") || "none"}); ` +
            "remove them from securityContext.capabilities.add, or approve them in this policy's " +
            "allowedCapabilities config.",
        );
      });
    }),
  },
);
