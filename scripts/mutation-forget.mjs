// Forgets results in the scope's incremental file so that the next `stryker run` retests those mutants.
// scripts/mutation.sh calls it twice:
//
// - `alive`, before the first pass: every mutant that survived or had no coverage. Stryker reuses such a
//   result unless a spec covering the mutant was added or renamed; the mocha runner reports no test locations,
//   so Stryker cannot see a spec whose body changed (a new assertion in an existing test), and a survivor
//   that spec now kills would stay "Survived". Retesting the alive ones is cheap: they are few.
// - `static`, between the passes: every static mutant the first pass did not kill, so the second pass
//   retests it with the mutant active while modules load. The first pass (--ignoreStatic) skips purely
//   static mutants, which the second pass retests anyway, but runs "hybrid" ones (reached while loading and
//   by specs) with their specs only; a survival there is not final. Kills are final either way.
import fs from "node:fs";
import config from "../stryker.config.mjs";

const KEEP = {
  alive: (m) => m.status !== "Survived" && m.status !== "NoCoverage",
  static: (m) => !m.static || m.status === "Killed",
};
const which = process.argv[2];
const keep = KEEP[which];
if (!keep) {
  console.error(`usage: node scripts/mutation-forget.mjs ${Object.keys(KEEP).join("|")}`);
  process.exit(2);
}

const file = config.incrementalFile;
if (fs.existsSync(file)) {
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  let forgotten = 0;
  for (const result of Object.values(report.files)) {
    const kept = result.mutants.filter(keep);
    forgotten += result.mutants.length - kept.length;
    result.mutants = kept;
  }
  fs.writeFileSync(file, JSON.stringify(report));
  console.log(`mutation: ${forgotten} ${which} mutant(s) forgotten, to be retested`);
}
