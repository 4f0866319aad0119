// Evaluates a ValidatingAdmissionPolicy's CEL the way the API server does for one object: variables in
// order, exposed as `variables.<name>`, then every validation; a false result is a denial. A JavaScript CEL
// implementation stands in for the API server here; the end-to-end suite runs the same policies in a real
// kube-apiserver.
import { Environment } from "@marcbachmann/cel-js";
import { parseQuantity } from "../../config/quantity";

class Quantity {
  constructor(readonly value: number) {}
}

// Kubernetes adds a quantity library to CEL; only what the blueprint's rules use is provided here.
const env = new Environment({ unlistedVariablesAreDyn: true })
  .registerType("Quantity", Quantity)
  .registerFunction("quantity(string): Quantity", (text: string) => new Quantity(parseQuantity(text)))
  .registerFunction("Quantity.compareTo(Quantity): int", (a: Quantity, b: Quantity) =>
    BigInt(Math.sign(a.value - b.value)),
  );

export interface PolicySpec {
  variables?: Array<{ name: string; expression: string }>;
  validations: Array<{ expression: string; message: string }>;
}

/** The messages of every validation the object fails; empty when it is admitted. */
export function denials(spec: PolicySpec, object: unknown): string[] {
  const variables: Record<string, unknown> = {};
  for (const v of spec.variables ?? []) variables[v.name] = env.evaluate(v.expression, { object, variables });
  return spec.validations
    .filter((v) => env.evaluate(v.expression, { object, variables }) !== true)
    .map((v) => v.message);
}
