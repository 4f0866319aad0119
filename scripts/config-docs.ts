// Generates the README's configuration reference from the zod schema, so the meaning and default of a
// setting are written once (in config/schema.ts) and the table cannot drift from what the program
// accepts. `npm run docs` rewrites the table between the markers; test/config-docs.spec.ts fails when the
// README differs from what this produces.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { renderIpPlan } from "../components/aws/network/ip-plan";
import { awsIpPlan } from "../config/aws";
import { blueprintSchema } from "../config/schema";
import { SECRET_FIELDS } from "../config/secrets";
// The stacks are validated exactly as the program validates them; the plan reads no secret, so the tests'
// stand-ins fill the credentials a stack file never holds.
import { SHIPPED_STACKS, stackConfig } from "../test/harness/stacks";

export const START_MARKER = "<!-- config-reference:start -->";
export const END_MARKER = "<!-- config-reference:end -->";
export const README = path.resolve(__dirname, "..", "README.md");
export const PLAN_START_MARKER = "<!-- ip-plan:start -->";
export const PLAN_END_MARKER = "<!-- ip-plan:end -->";

/** The subset of JSON Schema that z.toJSONSchema produces for this schema. */
interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  not?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

interface Row {
  key: string;
  default: string;
  meaning: string;
}

const SECRET_PATHS = new Set<string>(SECRET_FIELDS.map((f) => f.path));

function code(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value).replace(/,/g, ", ");
  return `\`${text}\``;
}

function defaultOf(schema: JsonSchema, required: boolean): string {
  if (schema.default !== undefined) return code(schema.default);
  return required ? "required" : "unset";
}

/** A union's variants, and the property that tells them apart when every variant pins it to a constant. */
function variantsOf(schema: JsonSchema): { variants: JsonSchema[]; discriminator?: string } | undefined {
  const variants = schema.oneOf ?? schema.anyOf;
  if (!variants?.every((v) => v.properties)) return undefined;
  const discriminator = Object.keys(variants[0].properties ?? {}).find((name) =>
    variants.every((v) => v.properties?.[name]?.const !== undefined),
  );
  return { variants, discriminator };
}

function isForbidden(schema: JsonSchema): boolean {
  return schema.not !== undefined && Object.keys(schema).length === 1;
}

class Generator {
  readonly rows: Row[] = [];
  readonly undocumented: string[] = [];

  private row(key: string, defaultText: string, meaning: string | undefined) {
    if (!meaning) this.undocumented.push(key);
    const secret = SECRET_PATHS.has(key) ? " A secret: set it with `pulumi config set --secret --path`." : "";
    this.rows.push({ key, default: defaultText, meaning: `${meaning ?? ""}${secret}` });
  }

  setting(key: string, schema: JsonSchema, required: boolean) {
    const union = variantsOf(schema);
    if (union) return this.union(key, schema, required, union.variants, union.discriminator);
    this.row(key, defaultOf(schema, required), schema.description);
    if (schema.properties) this.children(key, [schema]);
    else if (schema.items?.properties) this.children(`${key}[]`, [schema.items]);
  }

  private union(key: string, schema: JsonSchema, required: boolean, variants: JsonSchema[], disc?: string) {
    this.row(key, defaultOf(schema, required), schema.description);
    if (disc) {
      const choices = variants.map((v) => {
        if (!v.description) this.undocumented.push(`${key}.${disc}: ${String(v.properties?.[disc]?.const)}`);
        return `${code(v.properties?.[disc]?.const)}: ${v.description ?? ""}`;
      });
      const fallback = variants.find((v) => v.properties?.[disc]?.default !== undefined);
      this.row(
        `${key}.${disc}`,
        fallback ? code(fallback.properties?.[disc]?.default) : "required",
        `One of ${choices.join("; ")}.`,
      );
    }
    this.children(key, variants, disc);
  }

  /** The properties of one object, or merged across a union's variants (one row per name). */
  private children(key: string, variants: JsonSchema[], disc?: string) {
    const label = (v: JsonSchema) => (disc ? code(v.properties?.[disc]?.const) : undefined);
    const names = [...new Set(variants.flatMap((v) => Object.keys(v.properties ?? {})))].filter((n) => n !== disc);
    for (const name of names) {
      const holders = variants.filter((v) => v.properties?.[name] && !isForbidden(v.properties[name]));
      if (holders.length === 0) continue;
      const childKey = `${key}.${name}`;
      const first = holders[0].properties![name];
      const defaults = holders.map((v) => defaultOf(v.properties![name], v.required?.includes(name) ?? false));
      const sameDefault = defaults.every((d) => d === defaults[0]);
      const union = variantsOf(first);
      if (holders.length === 1 && (first.properties || first.items?.properties || union)) {
        this.setting(childKey, first, holders[0].required?.includes(name) ?? false);
        if (disc && holders.length < variants.length) this.qualify(childKey, holders.map(label), disc);
        continue;
      }
      this.row(
        childKey,
        sameDefault || !disc ? defaults[0] : defaults.map((d, i) => `${d} (${label(holders[i])})`).join("; "),
        first.description,
      );
      if (disc && holders.length < variants.length) this.qualify(childKey, holders.map(label), disc);
      if (first.items?.properties) this.children(`${childKey}[]`, [first.items]);
    }
  }

  /** Marks a row, and the rows under it, as belonging to some variants only. */
  private qualify(key: string, labels: Array<string | undefined>, disc: string) {
    const note = ` Only with ${disc} ${labels.join(" or ")}.`;
    for (const row of this.rows) {
      if (row.key === key) row.meaning += note;
    }
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The reference table, and the settings that have no description. */
export function configReference(): { table: string; undocumented: string[] } {
  const root = z.toJSONSchema(blueprintSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const generator = new Generator();
  for (const [key, schema] of Object.entries(root.properties ?? {})) {
    generator.setting(key, schema, root.required?.includes(key) ?? false);
  }
  const lines = [
    "| Key | Default | Meaning |",
    "| --- | --- | --- |",
    ...generator.rows.map((r) => `| \`${r.key}\` | ${cell(r.default)} | ${cell(r.meaning)} |`),
  ];
  return { table: lines.join("\n"), undocumented: generator.undocumented };
}

/** The IP capacity plan of every shipped stack that builds its own VPC, as `pulumi up` would output it. */
export function shippedIpPlans(): string {
  return SHIPPED_STACKS.flatMap((stack) => {
    const cfg = stackConfig(stack);
    if (!cfg.aws) return [];
    return [`#### \`${stack}\`\n\n${renderIpPlan(awsIpPlan(cfg, cfg.aws)).trim()}`];
  }).join("\n\n");
}

function between(text: string, startMarker: string, endMarker: string, body: string): string {
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${startMarker} and ${endMarker}`);
  return `${text.slice(0, start + startMarker.length)}\n\n${body}\n\n${text.slice(end)}`;
}

/** The README with the generated configuration table and the shipped stacks' IP plans between their markers. */
export function renderReadme(readme: string): string {
  const withTable = between(readme, START_MARKER, END_MARKER, configReference().table);
  return between(withTable, PLAN_START_MARKER, PLAN_END_MARKER, shippedIpPlans());
}

if (require.main === module) {
  const { undocumented } = configReference();
  if (undocumented.length > 0) {
    console.error(`Settings without a .describe() in config/schema.ts:\n  ${undocumented.join("\n  ")}`);
    process.exitCode = 1;
  }
  fs.writeFileSync(README, renderReadme(fs.readFileSync(README, "utf8")));
}
