import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { multiplyQuantity, parseQuantity } from "../../config/quantity";
import { WORKSPACE_LIMITS, WORKSPACE_QUOTA } from "../../policy-pack/contract";
import { NamespaceRef } from "../types";

const smaller = (a: string, b: string) => (parseQuantity(a) <= parseQuantity(b) ? a : b);

export interface WorkspaceSize {
  /** CPU of one workspace (limit, and cap per container). */
  readonly cpu: string;
  /** Memory of one workspace (limit, and cap per container). */
  readonly memory: string;
  /** Size of one workspace's home volume. */
  readonly homeDisk: string;
  /** Node disk one workspace may fill outside its volume. */
  readonly ephemeralStorage: string;
}

export interface WorkspaceQuotasArgs {
  /** The workspace namespaces, each given its own quota and limits. */
  readonly namespaces: NamespaceRef[];
  /** Workspaces each namespace must hold; every total below is this times the per-workspace figure. */
  readonly maxWorkspaces: number;
  /** What one workspace may use. */
  readonly size: WorkspaceSize;
  /** Services (dev URLs, ports) one workspace may create. */
  readonly servicesPerWorkspace: number;
}

/** The ResourceQuota `hard` figures for one workspace namespace. */
export function quotaFor(
  args: Pick<WorkspaceQuotasArgs, "maxWorkspaces" | "size" | "servicesPerWorkspace">,
): Record<string, string> {
  const n = args.maxWorkspaces;
  const s = args.size;
  return {
    // Storage depletion: one home volume per workspace, each capped by the LimitRange below.
    "requests.storage": multiplyQuantity(s.homeDisk, n),
    persistentvolumeclaims: String(n),
    // Ephemeral depletion: node disk is shared by every pod on the node.
    "requests.ephemeral-storage": multiplyQuantity(s.ephemeralStorage, n),
    "limits.ephemeral-storage": multiplyQuantity(s.ephemeralStorage, n),
    // IP depletion: each workspace pod takes a pod IP, each dev-URL Service a service IP.
    pods: String(n),
    services: String(n * args.servicesPerWorkspace),
    "services.loadbalancers": "0",
    "services.nodeports": "0",
    "requests.cpu": multiplyQuantity(s.cpu, n),
    "limits.cpu": multiplyQuantity(s.cpu, n),
    "requests.memory": multiplyQuantity(s.memory, n),
    "limits.memory": multiplyQuantity(s.memory, n),
  };
}

/** LimitRange items: defaults so a pod without limits still counts against the quota, and per-object caps. */
export function limitsFor(size: WorkspaceSize): k8s.types.input.core.v1.LimitRangeItem[] {
  return [
    {
      type: "Container",
      default: { cpu: size.cpu, memory: size.memory, "ephemeral-storage": size.ephemeralStorage },
      // A request above the limit is invalid, so the modest default request never exceeds the size.
      defaultRequest: {
        cpu: smaller("250m", size.cpu),
        memory: smaller("512Mi", size.memory),
        "ephemeral-storage": smaller("1Gi", size.ephemeralStorage),
      },
      max: { cpu: size.cpu, memory: size.memory, "ephemeral-storage": size.ephemeralStorage },
    },
    { type: "PersistentVolumeClaim", max: { storage: size.homeDisk } },
  ];
}

/**
 * Quota and limits for each workspace namespace: the storage quotas and the three denial-of-service vectors
 * (PVC, ephemeral storage, pod and service IPs) of Coder's shared-responsibility model
 * (docs/responsibility.md), sized from how many workspaces a namespace serves.
 */
export class WorkspaceQuotas extends pulumi.ComponentResource {
  /** The ResourceQuota `hard` figures every workspace namespace gets. */
  readonly hard: Record<string, string>;

  constructor(name: string, args: WorkspaceQuotasArgs, opts?: pulumi.ComponentResourceOptions) {
    super("coder-blueprint:quotas:WorkspaceQuotas", name, {}, opts);
    const childOpts = { parent: this };
    const hard = quotaFor(args);
    this.hard = hard;
    const limits = limitsFor(args.size);

    for (const ns of args.namespaces) {
      new k8s.core.v1.ResourceQuota(
        `${name}-${ns.name}-quota`,
        { metadata: { name: WORKSPACE_QUOTA, namespace: ns.ref }, spec: { hard } },
        childOpts,
      );
      new k8s.core.v1.LimitRange(
        `${name}-${ns.name}-limits`,
        { metadata: { name: WORKSPACE_LIMITS, namespace: ns.ref }, spec: { limits } },
        childOpts,
      );
    }

    this.registerOutputs({ hard: this.hard });
  }
}
