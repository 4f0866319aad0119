// Measures how the policy pack scales with stack size: the local stack's Kubernetes layer is deployed under
// the unit-test mocks with more and more workspace namespaces, and every stack policy, then the whole pack,
// is timed over the result. Stack policies must stay linear in the number of resources (index once, look
// up), so time per resource should hold roughly steady as the stack grows.
//
//   npm run bench            # sizes 25, 50, 100, 200 workspace namespaces
//   npm run bench -- 400     # custom sizes
import "../test/harness/mocks";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policy-pack/policies";
import { deployUnderMocks } from "../test/harness/deploy";
import { runPack, runStackPolicy } from "../policy-pack/test/harness/analyzer";
import type { PackConfigFile, StackValidationPolicy } from "../policy-pack/test/harness/analyzer";
import { toPolicyResources } from "../test/harness/policy-resources";
import { PROJECT_ROOT, stackConfig } from "../test/harness/stacks";

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const namespaceCounts = sizes.length > 0 ? sizes : [25, 50, 100, 200];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

async function main() {
  const config = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, "stacks", "policy.local.json"), "utf8"),
  ) as PackConfigFile;
  const stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p);
  const rows: string[] = [];
  for (const count of namespaceCounts) {
    const namespaces = Array.from({ length: count }, (_, i) => `ws-${i}`);
    const cfg = stackConfig("local", { workspaces: { namespaces, maxWorkspaces: 10 } });
    const resources = toPolicyResources(await deployUnderMocks(cfg), "local");
    const perPolicy: string[] = [];
    let stackTotal = 0;
    for (const policy of stackPolicies) {
      const [, ms] = await timed(() => runStackPolicy(policy, resources, { config, stack: "local" }));
      stackTotal += ms;
      perPolicy.push(`${policy.name}=${ms.toFixed(1)}ms`);
    }
    const [violations, packMs] = await timed(() => runPack(policies, resources, { config, stack: "local" }));
    const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
    const cells = [
      count,
      resources.length,
      stackTotal.toFixed(1),
      ((stackTotal * 1000) / resources.length).toFixed(1),
      packMs.toFixed(0),
      ((packMs * 1000) / resources.length).toFixed(0),
      heapMiB.toFixed(0),
      violations.filter((v) => v.enforcementLevel === "mandatory").length,
    ];
    rows.push(`| ${cells.join(" | ")} |`);
    console.error(`${count} namespaces, ${resources.length} resources: ${perPolicy.join(", ")}`);
  }
  console.log(
    "| workspace namespaces | resources | all stack policies (ms) | stack µs/resource | whole pack (ms) " +
      "| pack µs/resource | heap used (MiB) | mandatory violations |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
  console.log(`\nnode ${process.version}, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
