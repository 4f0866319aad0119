// Remediations must return new props without reading values that are unknown during preview: reading
// through the unknown-checking proxy would throw. Property descriptors bypass the proxy's get trap, so
// copies made here carry unknown sentinels through untouched, as the engine expects.
import { Props } from "./policy";

function rawProperty(obj: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(obj, key)?.value;
}

function shallowCopy(obj: unknown): Props {
  const out: Props = {};
  if (obj && typeof obj === "object") for (const key of Object.keys(obj)) out[key] = rawProperty(obj, key);
  return out;
}

/**
 * Returns a copy of `root` with the object at `path` replaced by `update(copyOfIt)`; every object along
 * the path is copied, everything else is shared.
 */
export function updateIn(root: Props, path: readonly string[], update: (target: Props) => Props): Props {
  const copy = shallowCopy(root);
  if (path.length === 0) return update(copy);
  const [head, ...rest] = path;
  copy[head] = updateIn(shallowCopy(rawProperty(root, head)), rest, update);
  return copy;
}
