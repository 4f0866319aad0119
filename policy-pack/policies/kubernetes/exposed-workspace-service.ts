// Workspaces are reached only through coderd (dev URLs, port forwarding over the agent tunnel). A
// LoadBalancer, NodePort or externalIPs Service in a workspace namespace bypasses coderd's
// authentication and opens a node port on every node. This is a stack policy because a Service names
// its namespace, but only the Namespace resource says it holds workspaces.
//
// node-port-or-external-ips also reports a NodePort or externalIPs Service here, so such a Service gets two
// violations. That is deliberate: a stack that turns the general policy off (to allow a NodePort for an
// ingress controller, say) must not thereby open workspaces, and a policy cannot see whether another is on.
import { ROLE_LABEL, ROLE_WORKSPACES } from "../../contract";
import { byNamespace } from "../../lib/kubernetes";
import { WORKSPACE_SETTINGS_SCHEMA, WorkspaceSettings, workspaceNamespaces } from "../../lib/workspaces";
import { subjectOfResource } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

const EXPOSING_TYPES = ["LoadBalancer", "NodePort"];

export const exposedWorkspaceService = definePolicy(
  {
    responsibilities: ["external-interactions", "ip-depletion-services"],
    severity: "high",
    forbids: "LoadBalancer/NodePort/externalIPs Services in workspace namespaces",
    references: { kyverno: ["restrict-nodeport", "no-loadbalancer-service", "restrict-service-external-ips"] },
  },
  {
    name: "exposed-workspace-service",
    description:
      `Services in workspace namespaces (pack settings, ${ROLE_LABEL}: ${ROLE_WORKSPACES}, or wherever coderd ` +
      "can create pods) must not be of type " +
      `LoadBalancer or NodePort, nor set externalIPs.`,
    enforcementLevel: "mandatory",
    remediationSteps: "Use a ClusterIP Service and reach the workspace through Coder (dev URLs or port forwarding).",
    configSchema: { properties: WORKSPACE_SETTINGS_SCHEMA },
    validateStack: (args, report) => {
      const gaps = new PreviewGaps();
      const namespaces = workspaceNamespaces(args.resources, args.getConfig<WorkspaceSettings>(), gaps);
      const services = byNamespace(args.resources, [K8S.service, K8S.servicePatch], gaps);
      for (const ns of namespaces.values()) {
        for (const svc of services.get(ns.name) ?? []) {
          gaps.judge(() => {
            const spec = svc.props.spec ?? {};
            const who = subjectOfResource(svc);
            if (EXPOSING_TYPES.includes(spec.type)) {
              report(
                `${who}: is of type ${spec.type} in workspace namespace "${ns.name}", which bypasses coderd's ` +
                  `authentication; use type ClusterIP and reach the workspace through Coder.`,
                svc.urn,
              );
            }
            if ((spec.externalIPs ?? []).length > 0) {
              report(
                `${who}: sets externalIPs in workspace namespace "${ns.name}", exposing the workspace outside the ` +
                  `cluster; remove spec.externalIPs.`,
                svc.urn,
              );
            }
          });
        }
      }
      gaps.settle();
    },
  },
);
