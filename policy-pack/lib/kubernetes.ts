// Facts about Kubernetes objects that several policies need: namespaces and their role label, and the
// namespace an object lands in.
import { PolicyResource } from "@pulumi/policy";
import { ROLE_LABEL } from "../contract";
import { Props } from "./policy";
import { K8S } from "./types";
import { PreviewGaps } from "./unknowns";

export function labelsOf(props: Props): Record<string, unknown> {
  return props.metadata?.labels ?? {};
}

export function annotationsOf(props: Props): Record<string, unknown> {
  return props.metadata?.annotations ?? {};
}

/**
 * The namespace an object is created in. Without metadata.namespace the Kubernetes provider uses its
 * own `namespace` setting, and failing that "default".
 */
export function namespaceOf(resource: Pick<PolicyResource, "props" | "provider">): string {
  return orProviderNamespace(resource.props.metadata?.namespace, resource);
}

/** The namespace a Helm release (or chart) installs into: its `namespace` input, else as for any object. */
export function releaseNamespaceOf(resource: Pick<PolicyResource, "props" | "provider">): string {
  return orProviderNamespace(resource.props.namespace, resource);
}

function orProviderNamespace(explicit: unknown, resource: Pick<PolicyResource, "provider">): string {
  if (typeof explicit === "string" && explicit) return explicit;
  const fromProvider = resource.provider?.props?.namespace;
  return typeof fromProvider === "string" && fromProvider ? fromProvider : "default";
}

export interface ManagedNamespace {
  name: string;
  role: string;
  resource: PolicyResource;
}

/**
 * Namespaces carrying the blueprint's role label, by name. A NamespacePatch that adds the label to an
 * existing namespace makes it managed too.
 */
export function managedNamespaces(resources: PolicyResource[], gaps: PreviewGaps): Map<string, ManagedNamespace> {
  const byName = new Map<string, ManagedNamespace>();
  for (const r of resources) {
    if (r.type !== K8S.namespace && r.type !== K8S.namespacePatch) continue;
    gaps.judge(() => {
      const role = labelsOf(r.props)[ROLE_LABEL];
      const name = r.props.metadata?.name;
      if (typeof role === "string" && typeof name === "string") byName.set(name, { name, role, resource: r });
    });
  }
  return byName;
}

/** Groups resources of the given types by the namespace they land in. */
export function byNamespace(
  resources: PolicyResource[],
  types: readonly string[],
  gaps: PreviewGaps,
): Map<string, PolicyResource[]> {
  const accepted = new Set(types);
  const groups = new Map<string, PolicyResource[]>();
  for (const r of resources) {
    if (!accepted.has(r.type)) continue;
    gaps.judge(() => {
      const ns = namespaceOf(r);
      const list = groups.get(ns);
      if (list) list.push(r);
      else groups.set(ns, [r]);
    });
  }
  return groups;
}
