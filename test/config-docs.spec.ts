// The README's configuration reference is generated from the schema; these fail when it is stale or
// when a setting has no meaning written down.
import * as assert from "assert";
import * as fs from "fs";
import { configReference, README, renderReadme } from "../scripts/config-docs";

describe("configuration reference", () => {
  it("documents every setting with a description", () => {
    const { undocumented } = configReference();
    assert.deepStrictEqual(undocumented, [], `add a .describe() in config/schema.ts for: ${undocumented.join(", ")}`);
  });

  it("in README.md matches what the schema generates", () => {
    const readme = fs.readFileSync(README, "utf8");
    assert.ok(readme === renderReadme(readme), "README.md's configuration reference is stale; run `npm run docs`");
  });

  it("lists every secret field as a secret, and each setting once", () => {
    const { table } = configReference();
    const keys = table.split("\n").flatMap((line) => /^\| `([^`]+)` \|/.exec(line)?.[1] ?? []);
    assert.ok(keys.length > 100, `only ${keys.length} settings listed`);
    assert.strictEqual(new Set(keys).size, keys.length, "a setting appears twice");
    for (const key of ["database.connectionUrl", "gitProviders[].clientSecret", "tls.ca.privateKey"]) {
      const row = table.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));
      assert.match(row ?? "", /A secret: set it with `pulumi config set --secret/, key);
    }
  });
});
