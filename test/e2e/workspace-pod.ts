// A workspace pod as a hardened Coder template creates it; the admission cases of the e2e suite each
// mutate one field of it.
export function workspacePod(name: string): any {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "dev",
          image: "ghcr.io/coder/enterprise-base:ubuntu",
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          resources: { limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": "1Gi" } },
        },
      ],
    },
  };
}
