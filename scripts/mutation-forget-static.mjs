// Between the two passes of scripts/mutation.sh: forgets, in the scope's incremental file, every static
// mutant the first pass did not kill, so the second pass retests it with the mutant active while modules
// load. The first pass (--ignoreStatic) skips purely static mutants, which the second pass retests anyway,
// but runs "hybrid" ones (reached while loading and by specs) with their specs only; a survival there is not
// final. Kills are final either way.
import fs from "node:fs";
import config from "../stryker.config.mjs";

const file = config.incrementalFile;
if (fs.existsSync(file)) {
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  let forgotten = 0;
  for (const result of Object.values(report.files)) {
    const kept = result.mutants.filter((m) => !m.static || m.status === "Killed");
    forgotten += result.mutants.length - kept.length;
    result.mutants = kept;
  }
  fs.writeFileSync(file, JSON.stringify(report));
  console.log(`mutation: ${forgotten} static mutant(s) left for the second pass`);
}
