// Mutation testing with StrykerJS; run it through `npm run mutation -- <folder>` (scripts/mutation.sh), which
// sets MUTATION_SCOPE. One folder (or sub-folder, or file) at a time keeps a run within the hour on a two-core
// machine; docs/testing.md lists the folders, their run times and their scores.
import fs from "node:fs";
import path from "node:path";

// The source trees whose code is mutated. Any folder or .ts file below one of them is a scope of its own.
const ROOTS = ["config", "components", "policy-pack"];

const scope = (process.env.MUTATION_SCOPE ?? "").replace(/\/+$/, "");
if (scope && !ROOTS.some((root) => scope === root || scope.startsWith(`${root}/`))) {
  throw new Error(`mutation scope "${scope}" is not under ${ROOTS.join(", ")}`);
}
if (scope && !fs.existsSync(scope)) {
  throw new Error(`mutation scope "${scope}" does not exist`);
}
const targets = scope ? [scope] : ROOTS;
const mutate = fs.globSync(
  targets.map((t) => (t.endsWith(".ts") ? t : `${t}/**/*.ts`)),
  { exclude: ["**/node_modules", "**/*.spec.ts", "**/*.d.ts", "policy-pack/test"] },
);
// `--staticOnly` (scripts/mutation.sh) runs Stryker twice: "plan" writes where the static mutants are (see
// scripts/mutation-static-plan.mjs) and stops; "run" mutates the files that hold them, ignoring the rest.
const staticStep = process.env.MUTATION_STATIC_STEP ?? "";
const staticFiles = () => [
  ...new Set(JSON.parse(fs.readFileSync(process.env.MUTATION_STATIC_PLAN, "utf8")).map(({ file }) => file)),
];
// Most of config/ and the policies' metadata run while modules load ("static" mutants), and Stryker runs every
// selected spec for each of those; with all 776 specs, config/ alone would take hours. So a scope's mutants
// must be killed by the specs that own its code: the config specs for config/, each policy's own spec (plus
// the registration spec that checks every policy's metadata) for policies, the pack's specs for the rest of
// the pack, the specs of its layer (AWS or Kubernetes) for a component. With no scope (the whole tree) every spec
// runs, of which perTest coverage picks those that reach each mutant.
// MUTATION_SPECS (comma-separated globs) overrides the choice. The list goes to mocha as its spec files, not
// to Stryker's `testFiles`: Stryker hands static mutants that list of file paths as a test-name filter, which
// the mocha runner matches against test titles, so every static mutant would run no test and "survive".
const PACK_SPECS = "{test/policies,policy-pack/test}/**";
const specPatterns = (() => {
  if (scope === "config" || scope.startsWith("config/")) {
    // config/policy-pack.ts is the program's refusal to run without the pack; its spec is named after that.
    return ["test/config*.spec.ts", "test/config/**/*.spec.ts", "test/policy-pack-guard.spec.ts"];
  }
  if (scope.startsWith("policy-pack/policies")) {
    const policies = mutate.filter((f) => !f.endsWith("/index.ts")).map((f) => path.basename(f, ".ts"));
    return [`${PACK_SPECS}/registration.spec.ts`, ...policies.map((p) => `${PACK_SPECS}/${p}.spec.ts`)];
  }
  if (scope.startsWith("policy-pack/contract")) {
    // The contract is shared: the program's specs exercise it as much as the pack's.
    // The admission rules' CEL is evaluated by test/admission-rules.spec.ts, with a CEL interpreter; what each
    // rule matches is pinned by the admission component's spec.
    return [
      `${PACK_SPECS}/*.spec.ts`,
      "test/contract*.spec.ts",
      "test/network-rules.spec.ts",
      "test/admission-rules.spec.ts",
      "test/components-admission.spec.ts",
      "test/config*.spec.ts",
    ];
  }
  if (scope.startsWith("policy-pack")) {
    return [`${PACK_SPECS}/*.spec.ts`];
  }
  // A component is pinned by the specs of its layer. The program-wide specs (every stack planned, the
  // policy verdicts on them) reach every component too, but each of their tests runs a whole program, so a
  // surviving component mutant would cost tens of seconds.
  const AWS_SPECS = ["test/aws-*.spec.ts"];
  const KUBERNETES_SPECS = [
    "test/{kubernetes-layer,coder-deployment,network-rules,admission-rules}.spec.ts",
    "test/components-*.spec.ts",
  ];
  if (scope.startsWith("components/aws")) return AWS_SPECS;
  if (scope.startsWith("components/")) return KUBERNETES_SPECS;
  if (scope === "components") return [...AWS_SPECS, ...KUBERNETES_SPECS];
  return undefined;
})();
// Resolved here, like `mutate`, so that a pattern for a layout the tree does not have stays quiet.
const chosen = process.env.MUTATION_SPECS ? process.env.MUTATION_SPECS.split(",") : specPatterns;
const ALL_SPECS = ["test/**/*.spec.ts", "policy-pack/test/**/*.spec.ts"];
// Stryker stops a mutant's run at its first failing test, and a static mutant runs every selected spec, so the
// order matters: the scope's own unit specs (e.g. policy-pack/test/lib/ for policy-pack/lib) go first and the
// specs that plan whole programs (seconds per test) go last, so a killed mutant rarely waits for them.
// The policies' static mutants are mostly their metadata, which the registration spec checks for every policy.
// The components' whole-stack specs deploy every shipped stack in before() hooks, which reach every component.
const WHOLE_PROGRAM_SPECS = [
  "test/policies/shipped-stacks.spec.ts",
  "policy-pack/test/analyzer.spec.ts",
  "test/coder-deployment.spec.ts",
  "test/kubernetes-layer.spec.ts",
  "test/aws-stacks.spec.ts",
];
const METADATA_SPEC = "test/policies/registration.spec.ts";
const ownSpecs = scope.replace(/^policy-pack\//, "policy-pack/test/").replace(/\.ts$/, "");
// A component's unit specs are named after it: test/components-rbac*.spec.ts for components/rbac,
// test/aws-nodes*.spec.ts for components/aws/nodes.
const component = scope.startsWith("components/") ? scope.slice("components/".length).replace(/\.ts$/, "") : "";
const componentSpec = (component.startsWith("aws/") ? component : `components-${component}`).replaceAll("/", "-");
// A folder's own specs sit below ownSpecs; a file's is ownSpecs.spec.ts.
const leads = (spec) =>
  spec.startsWith(`${ownSpecs}/`) ||
  spec === `${ownSpecs}.spec.ts` ||
  (component !== "" && path.basename(spec).startsWith(componentSpec)) ||
  (spec === METADATA_SPEC && scope.startsWith("policy-pack/policies"));
const rank = (spec) => (WHOLE_PROGRAM_SPECS.includes(spec) ? 2 : leads(spec) ? 0 : 1);
const specs = fs
  .globSync(chosen ?? ALL_SPECS, { exclude: ["**/node_modules"] })
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
// Each scope keeps its own reports and incremental results, so running one folder keeps another's.
// A static-only run keeps its own, so that it does not overwrite the full run's results.
const out = `reports/mutation/${scope ? scope.replaceAll("/", "-") : "all"}${staticStep ? "-static" : ""}`;

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  // Listed files rather than globs, so that an exclusion with nothing to exclude in a scope stays quiet.
  mutate: staticStep === "run" ? staticFiles() : mutate,
  testRunner: "mocha",
  // Leaves settings' and policies' descriptions out; see the plugin for why.
  plugins: ["@stryker-mutator/*", "./scripts/mutation-ignore-prose.mjs", "./scripts/mutation-static-plan.mjs"],
  ignorers: staticStep === "run" ? ["prose", "non-static"] : ["prose"],
  // .mocharc.json supplies ts-node (transpile-only), the extension and the timeout; the specs are the scope's.
  mochaOptions: { config: ".mocharc.json", spec: specs },
  // Runs only the specs that reach a mutant; mutants that run while modules load get every selected spec.
  coverageAnalysis: "perTest",
  // Stryker's timer for a static mutant's run also covers the fresh worker loading every spec (ts-node,
  // @pulumi/pulumi, the instrumented sources), which takes seconds on a busy machine; with the default 5 s a
  // slow load was reported "Timeout", which counts as killed. 30 s leaves room for the load and still catches
  // a mutant that loops forever.
  timeoutMS: 30000,
  // Everything runs transpile-only, so sandbox files need no `// @ts-nocheck`; specs that read source
  // headers (the policy registration spec) would see it as the first line.
  disableTypeChecks: false,
  // The plan needs no type check: the checker runs after it.
  checkers: staticStep === "plan" ? [] : ["typescript"],
  tsconfigFile: "tsconfig.mutation.json",
  // Both cores: Stryker's own process mostly waits on its workers. Pass --concurrency 1 on a busy machine.
  concurrency: 2,
  // Reuses the results of mutants whose code and covering specs have not changed since the last run.
  // The static plan's step would replace the results with its own early ones.
  incremental: staticStep !== "plan",
  incrementalFile: `${out}/incremental.json`,
  reporters: staticStep === "plan" ? ["static-plan"] : ["progress", "clear-text", "html", "json"],
  // The per-file score table is the console summary; every mutant, with its diff, is in the HTML and JSON reports.
  clearTextReporter: { reportMutants: false, reportTests: false },
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/report.json` },
  // The sandbox is a copy of the tree (so specs find stacks/, docs/ and policy-pack/ beside them) with every
  // node_modules, policy-pack's included, linked in; build and tool output is left out.
  ignorePatterns: ["/bin", "/out", "/.cache", "/.pulumi"],
};
