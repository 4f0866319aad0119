// What a component publishes: the outputs it registers (ComponentResource.registerOutputs) are what
// `pulumi stack` and the state show for it, and they must be exactly its public outputs.
import { takeRegisteredOutputs } from "./mocks";

/**
 * The names of the outputs the last component of `type` registered, sorted. registerOutputs waits for the
 * component's outputs, which can settle after `capture` returns, so this waits for it a little.
 */
export async function publishedBy(type: string): Promise<string[] | undefined> {
  let found: string[] | undefined;
  for (let round = 0; round < 40 && found === undefined; round++) {
    for (const entry of takeRegisteredOutputs()) if (entry.type === type) found = entry.outputs;
    if (found === undefined) await new Promise((r) => setTimeout(r, 25));
  }
  return found;
}
