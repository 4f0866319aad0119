// Every default in the schema obeys its own setting's rules. zod hands a default back without checking it
// against the bounds, formats and refinements that an explicit value must pass, so a default outside them
// (a lifetime below its minimum, say) would reach the program unnoticed; this spec checks each one.
import * as assert from "assert";
import { z } from "zod";
import { blueprintSchema } from "../config/schema";

interface FoundDefault {
  path: string;
  inner: z.ZodType;
  value: unknown;
}

/** Each `.default(...)` below `schema`, with the dotted path of its setting (`[]` marks a list's items). */
function defaultsOf(schema: z.ZodType, path = "", seen = new Set<z.ZodType>()): FoundDefault[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const found: FoundDefault[] = [];
  if (schema instanceof z.ZodDefault) {
    found.push({ path, inner: schema.unwrap() as z.ZodType, value: schema.def.defaultValue });
  }
  // Walk the definition generically: objects keep their settings in `shape`, wrappers in `innerType`,
  // lists in `element`, unions in `options`, pipes in `in` and `out`, records in `valueType`.
  for (const [field, child] of Object.entries(schema.def as unknown as Record<string, unknown>)) {
    if (field === "defaultValue") continue;
    if (child instanceof z.ZodType) {
      found.push(...defaultsOf(child, field === "element" ? `${path}[]` : path, seen));
    } else if (Array.isArray(child)) {
      for (const c of child) if (c instanceof z.ZodType) found.push(...defaultsOf(c, path, seen));
    } else if (field === "shape" && child && typeof child === "object") {
      for (const [key, c] of Object.entries(child)) {
        if (c instanceof z.ZodType) found.push(...defaultsOf(c, path ? `${path}.${key}` : key, seen));
      }
    }
  }
  return found;
}

describe("config schema defaults", () => {
  const found = defaultsOf(blueprintSchema);

  it("finds the defaults of nested settings, in lists and in each variant", () => {
    const paths = new Set(found.map((f) => f.path));
    for (const path of ["aws.registry.untaggedExpiryDays", "aws.tags", "tls.validityHours", "workspaces.size.cpu"]) {
      assert.ok(paths.has(path), `${path} is not among the ${paths.size} settings with a default found`);
    }
    assert.ok(found.length >= 80, `only ${found.length} defaults found`);
  });

  it("keeps every default within the rules an explicit value must pass", () => {
    const broken = found
      .map(({ path, inner, value }) => ({ path, value, result: inner.safeParse(value) }))
      .filter(({ result }) => !result.success)
      .map(({ path, value, result }) => `${path} = ${JSON.stringify(value)}: ${result.error?.issues[0]?.message}`);
    assert.deepStrictEqual(broken, []);
  });

  it("catches a default outside its own bounds", () => {
    const schema = z.object({ lifetime: z.object({ hours: z.number().int().min(720).default(24) }) });
    const [bad] = defaultsOf(schema);
    assert.strictEqual(bad.path, "lifetime.hours");
    assert.strictEqual(bad.inner.safeParse(bad.value).success, false);
  });
});
