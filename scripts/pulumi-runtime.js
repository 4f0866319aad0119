// Preloaded into the program's Node process by Pulumi.yaml (`nodeargs: --require ./scripts/pulumi-runtime.js`),
// before @pulumi/pulumi's run script connects to the engine. Plain JavaScript: it guards the compiled build.
//
// 1. The Node package.json pins (devDependency `node`, node_modules/node/bin/node) runs the program, however
//    `pulumi` was started: on any other Node this process re-runs itself, same arguments, on the pinned one
//    and exits with its status. Nothing has reached the engine yet, so the engine sees one program.
// 2. Node's compile cache (node_modules/.cache) keeps the V8 code of every module the program loads
//    (@pulumi/pulumi alone pulls in the TypeScript compiler for closure serialisation), so a preview after the
//    first compiles almost nothing.
// 3. The engine runs bin/ and policy-pack/bin/ (`npm run build`), not the TypeScript: a source newer than its
//    compiled file stops the run with the list, instead of previewing code that is not what is on disk.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
/** The compiled trees and the sources each is built from (tsconfig.build.json of each package). */
const BUILDS = [
  { dir: ROOT, sources: ["index.ts", "blueprint.ts", "config", "components", "policy-pack/contract"] },
  { dir: path.join(ROOT, "policy-pack"), sources: ["index.ts", "contract", "lib", "policies"] },
];

function pinnedNode() {
  const dir = path.join(ROOT, "node_modules", "node");
  try {
    const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const binary = path.join(dir, "bin", "node");
    return fs.existsSync(binary) ? { version: `v${version}`, binary } : undefined;
  } catch {
    return undefined;
  }
}

function reexecOnPinnedNode() {
  const pinned = pinnedNode();
  if (!pinned || process.version === pinned.version) return;
  const child = spawnSync(pinned.binary, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  if (child.error) {
    console.error(`pulumi-runtime: could not start the pinned Node ${pinned.binary}: ${child.error.message}`);
    process.exit(1);
  }
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}

function* typeScriptSources(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(file)) {
      if (entry !== "node_modules" && entry !== "test") yield* typeScriptSources(path.join(file, entry));
    }
  } else if (file.endsWith(".ts") && !file.endsWith(".spec.ts") && !file.endsWith(".d.ts")) {
    yield { file, mtimeMs: stat.mtimeMs };
  }
}

function staleOutputs() {
  const stale = [];
  for (const { dir, sources } of BUILDS) {
    for (const source of sources) {
      for (const { file, mtimeMs } of typeScriptSources(path.join(dir, source))) {
        const output = path.join(dir, "bin", path.relative(dir, file).replace(/\.ts$/, ".js"));
        let built = 0;
        try {
          built = fs.statSync(output).mtimeMs;
        } catch {
          // Never built: stale.
        }
        if (built < mtimeMs) stale.push(path.relative(ROOT, file));
      }
    }
  }
  return stale;
}

reexecOnPinnedNode();
// Node >= 22.1; on an older Node (no pinned one installed) the program runs uncached.
require("module").enableCompileCache?.(path.join(ROOT, "node_modules", ".cache", "node-compile-cache"));
const stale = staleOutputs();
if (stale.length > 0) {
  console.error(
    `The compiled program or policy pack is older than its TypeScript (${stale.slice(0, 5).join(", ")}` +
      `${stale.length > 5 ? `, and ${stale.length - 5} more` : ""}): run \`npm run build\`, then preview again.`,
  );
  // 32: @pulumi/pulumi's "already reported" exit code, so the engine adds no second, generic error.
  process.exit(32);
}
