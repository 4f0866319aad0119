// Pure parts of the plan-manifests e2e check: where the API server keeps a manifest's kind, which placeholder
// values a manifest carries, and the objects a cluster already has that the plan's patches change.
import { SECRET_TEXT, SHAPELESS, UNKNOWN_TEXT } from "../../scripts/plan/outputs";
import { KIND_DEFAULT_CLASS } from "../../scripts/sandbox/local-stack";

/** A manifest as the plan writes it, as far as this check reads it. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** One entry of an API group version's discovery document (`GET /apis/<group>/<version>`). */
export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** The discovery document's path for `apiVersion` (`v1` is the core group). */
export const discoveryPath = (apiVersion: string) =>
  apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;

/**
 * The REST path of `object`'s collection (or, with `named`, of the object itself), from the resources the
 * API server serves for its apiVersion; undefined when it serves no such kind (a CRD-backed one, say).
 */
export function resourcePath(
  object: ManifestObject,
  served: readonly ApiResource[],
  named = false,
): string | undefined {
  // Subresources (`pods/status`) share their parent's kind; only the top-level resource takes objects.
  const resource = served.find((r) => r.kind === object.kind && !r.name.includes("/"));
  if (!resource) return undefined;
  const scope = resource.namespaced ? `/namespaces/${object.metadata.namespace ?? "default"}` : "";
  return `${discoveryPath(object.apiVersion)}${scope}/${resource.name}${named ? `/${object.metadata.name}` : ""}`;
}

/** The dotted paths of the fields whose value is the plan's secret or unknown placeholder. */
export function placeholders(value: unknown, at = ""): string[] {
  if (value === SECRET_TEXT || value === UNKNOWN_TEXT) return [`${at} = ${value}`];
  // A Secret's `data` holds the placeholder base64-encoded.
  if (value === Buffer.from(SECRET_TEXT).toString("base64")) return [`${at} = base64(${SECRET_TEXT})`];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholders(v, `${at}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => placeholders(v, at ? `${at}.${k}` : k));
  }
  return [];
}

/** Every placeholder of a manifest, and the secret map the plan could not even give keys (submitted empty). */
export function redactions(object: ManifestObject): string[] {
  const shapeless = object.metadata.annotations?.[SHAPELESS];
  return [...placeholders(object), ...(shapeless ? [`${shapeless} (submitted as {})`] : [])];
}

/**
 * What the platform creates before the blueprint runs, for the objects its patches change: EKS's `gp2` class,
 * kind's `standard` class, and the `default` ServiceAccount kube-controller-manager puts in every namespace.
 * Keyed by `<kind>/<name>`; a patch of any other object has no stand-in and fails the check until it gets one.
 */
export const PATCH_TARGETS: Record<string, (namespace?: string) => ManifestObject> = {
  "StorageClass/gp2": () => ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "kubernetes.io/aws-ebs",
    parameters: { type: "gp2", fsType: "ext4" },
    volumeBindingMode: "WaitForFirstConsumer",
  }),
  "StorageClass/standard": () => KIND_DEFAULT_CLASS,
  "ServiceAccount/default": (namespace) => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "default", namespace },
  }),
};

/** The plan names a patch's manifest `NN-patch-<kind>-...yaml`. */
export const isPatch = (file: string) => /^\d+-patch-/.test(file);
