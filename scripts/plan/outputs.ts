// Pure builders for the plan's files: the resource list, the state file in `pulumi stack export` form and
// one Kubernetes manifest per object. Everything secret is redacted here, before anything is written, and
// every value the cloud would compute stays visibly unknown.
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { isSecret, reveal } from "../../test/harness/secrets";
import { PROJECT } from "../../policy-pack/test/harness/analyzer";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** How a redacted secret reads in resources.json and the manifests (and what the CLI's analyzer sees). */
export const SECRET_TEXT = "[secret]";
/** How a value the cloud computes at deploy time reads in resources.json and the manifests. */
export const UNKNOWN_TEXT = "[unknown]";
/** The state file's unknown, which the CLI reads as computed (the SDK's unknownValue). */
export const STATE_UNKNOWN = unknownValue;

/** One resource the program registered, with the URNs of the stack it is planned for. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** The parent's URN; top-level resources hang off the stack resource, as in a real state file. */
  parent?: string;
  /** `<provider URN>::<provider ID>`, for custom resources. */
  provider?: string;
  /** As the program sent them: secrets wrapped, cloud-computed values unknown. Never written as they are. */
  inputs: Record<string, unknown>;
}

/** Maps secret and unknown values (at any depth) to what a given output shows for them. */
export function redact(
  value: unknown,
  show: { secret: (revealed: unknown) => unknown; unknown: () => unknown },
): unknown {
  if (pulumi.isUnknown(value)) return show.unknown();
  if (isSecret(value)) return reveal(value) === undefined ? undefined : show.secret(reveal(value));
  if (Array.isArray(value)) return value.map((v) => redact(v, show));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const shown = redact(v, show);
      if (shown !== undefined) out[k] = shown;
    }
    return out;
  }
  return value;
}

/** A secret map keeps its keys (`stringData`'s `tls.crt`), so a manifest stays a valid object; values go. */
function redactedShape(revealed: unknown): unknown {
  if (pulumi.isUnknown(revealed)) return SECRET_TEXT;
  if (Array.isArray(revealed)) return revealed.map(() => SECRET_TEXT);
  if (revealed !== null && typeof revealed === "object") {
    return Object.fromEntries(Object.keys(revealed).map((k) => [k, SECRET_TEXT]));
  }
  return SECRET_TEXT;
}

const readable = (v: unknown) => redact(v, { secret: redactedShape, unknown: () => UNKNOWN_TEXT });

/** resources.json: every registered resource, in registration order. */
export function resourceList(resources: readonly PlannedResource[]): unknown[] {
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.provider ? { provider: r.provider } : {}),
    inputs: readable(r.inputs),
  }));
}

export const stackUrn = (stack: string) => `urn:pulumi:${stack}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stack}`;

const forState = (v: unknown) =>
  redact(v, {
    // A plaintext secret needs no secrets manager to read: the CLI's analyzer sees exactly `[secret]`, the
    // value its own offline redaction gives every secret it cannot decrypt.
    secret: () => ({ [specialSigKey]: specialSecretSig, plaintext: JSON.stringify(SECRET_TEXT) }),
    unknown: () => STATE_UNKNOWN,
  });

/**
 * The plan as `pulumi stack export` writes a stack (apitype.UntypedDeployment, deployment version 3): the
 * stack resource first, then every resource with its inputs. A preview has no provider outputs, so each
 * resource's outputs are its inputs, which is what the mock runtime answers too; `pulumi policy analyze`
 * judges inputs per resource and outputs for the stack, so both see the same values.
 */
export function stateFile(
  stack: string,
  resources: readonly PlannedResource[],
  stackOutputs: Record<string, unknown>,
  pulumiVersion: string,
): unknown {
  const root = {
    urn: stackUrn(stack),
    custom: false,
    type: "pulumi:pulumi:Stack",
    outputs: forState(stackOutputs),
  };
  return {
    version: 3,
    deployment: {
      manifest: { time: new Date(0).toISOString(), magic: "", version: pulumiVersion },
      resources: [
        root,
        ...resources.map((r) => {
          const inputs = forState(r.inputs);
          return {
            urn: r.urn,
            ...(r.custom ? { id: r.type.startsWith("pulumi:providers:") ? `${r.name}-id` : "" } : {}),
            custom: r.custom,
            type: r.type,
            inputs,
            outputs: inputs,
            parent: r.parent ?? root.urn,
            ...(r.provider ? { provider: r.provider } : {}),
          };
        }),
      ],
    },
  };
}

/** Kubernetes object types, `kubernetes:<group>/<version>:<Kind>`; Helm releases are not objects. */
const K8S_OBJECT = /^kubernetes:(?!helm\.sh\/)([a-z0-9.]+)\/([a-z0-9]+):([A-Za-z]+)$/;

type KubernetesObject = Record<string, unknown> & {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
};

export interface Manifest {
  file: string;
  object: KubernetesObject;
}

/** A redacted map whose keys are unknown too (a secret built from cloud-computed values) has no shape to keep. */
export const SHAPELESS = "coder-blueprint.dev/plan-redacted";

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^-|-$/g, "");

/** One manifest per Kubernetes object, numbered in registration order so `kubectl apply -f` keeps it. */
export function manifests(resources: readonly PlannedResource[]): Manifest[] {
  const objects = resources.filter((r) => r.custom && K8S_OBJECT.test(r.type));
  const width = String(objects.length).length;
  return objects.map((r, i) => {
    const [, group, version, type] = K8S_OBJECT.exec(r.type)!;
    // A `...Patch` resource changes fields of an object that already exists (server-side apply); as a
    // manifest it is that object with only those fields, which `kubectl apply` merges the same way.
    const patch = type.endsWith("Patch");
    const kind = patch ? type.slice(0, -"Patch".length) : type;
    const { apiVersion: _apiVersion, kind: _kind, ...fields } = readable(r.inputs) as KubernetesObject;
    const object: KubernetesObject = {
      apiVersion: group === "core" ? version : `${group}/${version}`,
      kind,
      ...fields,
    };
    for (const field of ["data", "stringData"]) {
      if (kind !== "Secret" || object[field] === undefined || typeof object[field] === "object") continue;
      object.metadata = {
        ...object.metadata,
        annotations: {
          ...object.metadata?.annotations,
          [SHAPELESS]: `${field}: secret, computed at deploy time`,
        },
      };
      object[field] = {};
    }
    if (kind === "Secret" && object.data) {
      // `data` holds base64; the redaction is encoded so the manifest still parses as a Secret.
      object.data = Object.fromEntries(
        Object.entries(object.data as Record<string, string>).map(([k, v]) => [
          k,
          v === SECRET_TEXT ? Buffer.from(SECRET_TEXT).toString("base64") : v,
        ]),
      );
    }
    const ns = object.metadata?.namespace;
    const name = object.metadata?.name ?? r.name;
    const file =
      `${String(i + 1).padStart(width, "0")}-${patch ? "patch-" : ""}${slug(kind)}-` +
      `${ns ? `${slug(ns)}-` : ""}${slug(name)}.yaml`;
    return { file, object };
  });
}

export const manifestYaml = (m: Manifest) => stringify(m.object, { lineWidth: 0 });
