// Turns what a program registered under the unit-test mocks into the resources the analyzer would be
// given: inputs as props, URNs in the engine's form, and provider information from the recorded
// provider reference. A custom resource registered without a provider gets the engine's default
// provider for its package (`default_<version>`), exactly what the ambient-provider rule must catch.
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource } from "./mocks";
import { ProviderUnderTest, ResourceUnderTest, unknown, urnOf } from "../../policy-pack/test/harness/analyzer";

/**
 * A preview's inputs hold the SDK's `Unknown` where a value depends on what the cloud computes; the engine
 * hands those to the analyzer as its unknown sentinel, which the policy SDK turns into a preview gap. Sent
 * as a plain object instead, a policy would judge `{}` and report a violation no real preview reports.
 */
function withEngineUnknowns(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return unknown.string;
  if (Array.isArray(value)) return value.map(withEngineUnknowns);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withEngineUnknowns(v)]));
  }
  return value;
}

export function defaultProvider(pkg: string, stack: string): ProviderUnderTest {
  let version = "0.0.0";
  try {
    version = require(`@pulumi/${pkg}/package.json`).version;
  } catch {
    // A package without an SDK here still gets the engine's unversioned default name.
  }
  const name = version === "0.0.0" ? "default" : `default_${version.replace(/[.\-+]/g, "_")}`;
  const type = `pulumi:providers:${pkg}`;
  return { type, name, urn: urnOf(stack, type, name), props: { version } };
}

/** "urn:...::pulumi:providers:kubernetes::cluster::cluster-id" -> the provider's type and name. */
function parseReference(ref: string): { type: string; name: string } {
  const urn = ref.slice(0, ref.lastIndexOf("::"));
  const parts = urn.split("::");
  const qualifiedType = parts[parts.length - 2];
  return { type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1), name: parts[parts.length - 1] };
}

export function toPolicyResources(recorded: RecordedResource[], stack: string): ResourceUnderTest[] {
  const providerInputs = new Map<string, unknown>();
  for (const r of recorded)
    if (r.type.startsWith("pulumi:providers:")) providerInputs.set(`${r.type}::${r.name}`, r.inputs);

  return recorded.map((r) => {
    const base = {
      type: r.type,
      name: r.name,
      urn: urnOf(stack, r.type, r.name),
      props: (withEngineUnknowns(r.inputs) ?? {}) as Record<string, unknown>,
    };
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return { ...base, provider: null };
    if (!r.provider) return { ...base, provider: defaultProvider(r.type.split(":")[0], stack) };
    const { type, name } = parseReference(r.provider);
    const props = providerInputs.get(`${type}::${name}`);
    if (props === undefined) throw new Error(`${r.type} ${r.name}: provider ${r.provider} was not registered`);
    return {
      ...base,
      provider: { type, name, urn: urnOf(stack, type, name), props: props as Record<string, unknown> },
    };
  });
}
