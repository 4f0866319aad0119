// Lists what a mutation run left alive: `node scripts/mutation-survivors.mjs <folder>` (the folder given to
// `npm run mutation`). Prints each file's score, then one line per surviving or uncovered mutant with the code
// it replaced, so the list can be worked through without opening the HTML report.
import fs from "node:fs";

const scope = (process.argv[2] ?? "").replace(/\/+$/, "");
const dir = `reports/mutation/${scope ? scope.replaceAll("/", "-") : "all"}`;
const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : -1);
// The incremental file is written at the end of each pass, the report only at the end of the scored one: a
// newer incremental file holds the results of a run still in its second pass (static mutants not yet tested).
// The scored pass writes both within seconds.
const inProgress = mtime(`${dir}/incremental.json`) > mtime(`${dir}/report.json`) + 60_000;
const file = `${dir}/${inProgress ? "incremental" : "report"}.json`;
if (mtime(file) < 0) {
  console.error(`no report in ${dir}: run \`npm run mutation -- ${scope}\` first`);
  process.exit(2);
}
if (inProgress) console.log(`(${file}: a run's first pass; static mutants may be missing)`);
const report = JSON.parse(fs.readFileSync(file, "utf8"));

// Stryker's own definition: timeouts count as detected; compile errors and ignored mutants count for neither side.
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/** The text a mutant's location covers, on one line and cut to a readable length. */
function excerpt(source, { start, end }) {
  const lines = source.split("\n").slice(start.line - 1, end.line);
  lines[lines.length - 1] = lines[lines.length - 1].slice(0, end.column - 1);
  lines[0] = lines[0].slice(start.column - 1);
  const text = lines.join(" ").replace(/\s+/g, " ").trim();
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

let detected = 0;
let undetected = 0;
const rows = [];
for (const [name, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const d = mutants.filter((m) => DETECTED.has(m.status)).length;
  const u = mutants.filter((m) => UNDETECTED.has(m.status));
  detected += d;
  undetected += u.length;
  const score = d + u.length ? ((100 * d) / (d + u.length)).toFixed(1) : "n/a";
  console.log(
    `${score.padStart(6)} %  ${String(d).padStart(4)} detected  ${String(u.length).padStart(3)} alive  ${name}`,
  );
  for (const m of u.sort((a, b) => a.location.start.line - b.location.start.line)) {
    const was = excerpt(source, m.location);
    rows.push(`${name}:${m.location.start.line}\t${m.status}\t${m.mutatorName}\t${was} => ${m.replacement ?? ""}`);
  }
}
const total = detected + undetected ? ((100 * detected) / (detected + undetected)).toFixed(1) : "n/a";
console.log(
  `${total.padStart(6)} %  ${String(detected).padStart(4)} detected  ${String(undetected).padStart(3)} alive  (all)`,
);
if (rows.length) console.log(`\n${rows.join("\n")}`);
