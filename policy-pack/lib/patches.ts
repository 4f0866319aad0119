// Kubernetes `*Patch` resources (server-side apply) change objects that may or may not be in the stack. A
// stack policy judges what the cluster ends up with: a patch of an object the stack creates is applied to
// it (maps merge, a patch's value or list replaces the object's), and a patch of an object the stack does
// not hold is judged as the object it describes. Values unknown during preview make the merged object
// unknown where they are read, never a pass.
import { PolicyResource } from "@pulumi/policy";
import { namespaceOf } from "./kubernetes";
import { Props } from "./policy";
import { PreviewGaps } from "./unknowns";

/** "kubernetes:networking.k8s.io/v1:NetworkPolicyPatch" -> its object's type. */
export function patchedType(type: string): string {
  return type.endsWith("Patch") ? type.slice(0, -"Patch".length) : type;
}

/** The patch type token of an object type. */
export function patchTypeOf(type: string): string {
  return `${type}Patch`;
}

const isPlainObject = (value: unknown): value is Props =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The object after the patch: maps merge key by key, anything else in the patch replaces what was there. */
export function applyPatch(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const merged: Props = { ...base };
  for (const key of Object.keys(patch)) {
    if (key === "__defaults") continue;
    merged[key] = applyPatch(base[key], patch[key]);
  }
  return merged;
}

/** Identity of a namespaced (or, with no namespace in it, cluster-scoped) object. */
function keyOf(r: PolicyResource, namespaced: boolean): string {
  const name: unknown = r.props.metadata?.name;
  return JSON.stringify([
    patchedType(r.type),
    namespaced ? namespaceOf(r) : null,
    typeof name === "string" ? name : r.urn,
  ]);
}

/** An object as the cluster will hold it, with the stack's patches of it in the order they apply. */
export interface PatchedObject {
  object: PolicyResource;
  /** Every patch applied to it; for an object the stack does not create, the patch that describes it. */
  patches: PolicyResource[];
}

/**
 * The objects of the given types as the cluster will hold them once every patch of them in the stack is
 * applied. Each result keeps the original resource's identity (urn, name, type) with merged props; the
 * patches themselves appear only when they patch an object the stack does not create, as that object.
 */
export function effectiveObjects(
  resources: PolicyResource[],
  types: readonly string[],
  gaps: PreviewGaps,
  namespaced = true,
): PolicyResource[] {
  return patchedObjects(resources, types, gaps, namespaced).map((o) => o.object);
}

/** effectiveObjects, each with the patches applied to it, for a policy that names the patch that set a value. */
export function patchedObjects(
  resources: PolicyResource[],
  types: readonly string[],
  gaps: PreviewGaps,
  namespaced = true,
): PatchedObject[] {
  const wanted = new Set(types);
  const patchTypes = new Set(types.map(patchTypeOf));
  // Insertion-ordered, so results follow the stack's order.
  const objects = new Map<string, PatchedObject>();
  const patches: PolicyResource[] = [];
  for (const r of resources) {
    if (patchTypes.has(r.type)) patches.push(r);
    else if (wanted.has(r.type)) {
      gaps.judge(() => {
        objects.set(keyOf(r, namespaced), { object: r, patches: [] });
      });
    }
  }
  for (const patch of patches) {
    gaps.judge(() => {
      const key = keyOf(patch, namespaced);
      const base = objects.get(key);
      if (!base) {
        objects.set(key, { object: { ...patch, type: patchedType(patch.type) }, patches: [patch] });
        return;
      }
      let props: Props;
      try {
        props = applyPatch(base.object.props, patch.props) as Props;
      } catch (e) {
        // What the patch sets is unknown, so the object is judged no further than that (any other error
        // aborts the whole judgement, so dropping the object then changes nothing).
        objects.delete(key);
        throw e;
      }
      objects.set(key, { object: { ...base.object, props }, patches: [...base.patches, patch] });
    });
  }
  return [...objects.values()];
}
