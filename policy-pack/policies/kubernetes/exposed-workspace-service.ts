// Workspaces are reached only through coderd (dev URLs, port forwarding over the agent tunnel). A
// LoadBalancer, NodePort or externalIPs Service in a workspace namespace bypasses coderd's
// authentication and opens a node port on every node. This is a stack policy because a Service names
// its namespace, but only the Namespace resource says it holds workspaces.
//
// A NodePort is node-port-or-external-ips's, in every namespace: it reports it at the resource, whatever is
// known about the namespace, so this policy leaving it out gives the user one violation for it, not two.
// A policy sees only its own settings, not whether another policy is enforced, so a stack that disables
// node-port-or-external-ips (or makes it advisory) says so here too (nodePortPolicyEnforced: false), and
// this policy then reports NodePorts in workspace namespaces itself: a stack that allows NodePorts
// elsewhere must not thereby allow them in front of workspaces.
import { ROLE_LABEL, ROLE_WORKSPACES } from "../../contract";
import { byNamespace } from "../../lib/kubernetes";
import { WORKSPACE_SETTINGS_SCHEMA, WorkspaceSettings, workspaceNamespaces } from "../../lib/workspaces";
import { subjectOfResource } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

export interface ExposedWorkspaceServiceConfig extends WorkspaceSettings {
  nodePortPolicyEnforced: boolean;
}

export const exposedWorkspaceService = definePolicy(
  {
    responsibilities: ["external-interactions", "ip-depletion-services"],
    severity: "high",
    forbids:
      "LoadBalancer/externalIPs Services in workspace namespaces (NodePort too when `node-port-or-external-ips` " +
      "is not enforced: `nodePortPolicyEnforced: false`)",
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
    configSchema: {
      properties: {
        ...WORKSPACE_SETTINGS_SCHEMA,
        nodePortPolicyEnforced: {
          type: "boolean",
          default: true,
          description:
            "Whether node-port-or-external-ips is mandatory in this stack; it then reports NodePort Services " +
            "and this policy does not. Set false when that policy is disabled or advisory.",
        },
      },
    },
    validateStack: (args, report) => {
      const settings = args.getConfig<ExposedWorkspaceServiceConfig>();
      const exposing = settings.nodePortPolicyEnforced === false ? ["LoadBalancer", "NodePort"] : ["LoadBalancer"];
      const gaps = new PreviewGaps();
      const namespaces = workspaceNamespaces(args.resources, settings, gaps);
      const services = byNamespace(args.resources, [K8S.service, K8S.servicePatch], gaps);
      for (const ns of namespaces.values()) {
        for (const svc of services.get(ns.name) ?? []) {
          gaps.judge(() => {
            const spec = svc.props.spec ?? {};
            const who = subjectOfResource(svc);
            if (exposing.includes(spec.type)) {
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
