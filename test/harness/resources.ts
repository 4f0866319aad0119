import { RecordedResource } from "./mocks";

export const ofType = (resources: RecordedResource[], type: string) => resources.filter((r) => r.type === type);

export const inNamespace = (resources: RecordedResource[], type: string, namespace: string) =>
  ofType(resources, type).filter((r) => r.inputs.metadata?.namespace === namespace);

export function single(resources: RecordedResource[], description: string): RecordedResource {
  if (resources.length !== 1) {
    throw new Error(
      `expected exactly one ${description}, found ${resources.length}: ${resources.map((r) => r.name).join(", ")}`,
    );
  }
  return resources[0];
}

/** The one resource registered under `name`. */
export const named = (resources: RecordedResource[], name: string): RecordedResource =>
  single(
    resources.filter((r) => r.name === name),
    name,
  );
