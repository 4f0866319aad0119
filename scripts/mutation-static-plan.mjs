// Two Stryker plugins for `npm run mutation -- <folder> --staticOnly` (scripts/mutation.sh), which measures the
// static mutants (code that runs while modules load) alone. A full run spends most of its time on the ordinary
// mutants; once their results are known (from a run on another machine, say), the static ones can be measured
// on their own. The reporter writes where the plan's static mutants are and stops the run; in the second run,
// the ignorer leaves out every part of the code that holds none of those places. Mutation ranges (`file:1-2`)
// cannot do that: the range of a static mutant such as a whole policy object holds every ordinary mutant of the
// functions inside it. A part holding no static place is never run while modules load, so its own mutants are
// ordinary.
import fs from "node:fs";
import path from "node:path";
import { PlanKind } from "@stryker-mutator/api/core";
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const REASON = "not a static mutant (a --staticOnly run)";

let places;
const placesByFile = () => {
  if (!places) {
    places = new Map();
    for (const { file, location } of JSON.parse(fs.readFileSync(process.env.MUTATION_STATIC_PLAN, "utf8"))) {
      places.set(file, [...(places.get(file) ?? []), location]);
    }
  }
  return places;
};
const before = (a, b) => a.line < b.line || (a.line === b.line && a.column <= b.column);
// Stryker's locations count lines from 0, Babel's from 1.
const holds = (loc, { start, end }) =>
  before({ line: loc.start.line - 1, column: loc.start.column }, start) &&
  before(end, { line: loc.end.line - 1, column: loc.end.column });

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "non-static", {
    shouldIgnore: (nodePath) => {
      const loc = nodePath.node.loc;
      if (!loc) return undefined;
      const file = path.relative(process.cwd(), nodePath.hub.file.opts.filename);
      const inFile = placesByFile().get(file) ?? [];
      return inFile.some((place) => holds(loc, place)) ? undefined : REASON;
    },
  }),
  declareValuePlugin(PluginKind.Reporter, "static-plan", {
    onMutationTestingPlanReady({ mutantPlans }) {
      const places = mutantPlans
        .filter((plan) => plan.plan === PlanKind.Run && plan.mutant.static)
        .map(({ mutant }) => ({ file: path.relative(process.cwd(), mutant.fileName), location: mutant.location }));
      fs.writeFileSync(process.env.MUTATION_STATIC_PLAN, JSON.stringify(places, null, 1));
      console.log(`static-plan: ${places.length} static mutants written to ${process.env.MUTATION_STATIC_PLAN}`);
      // SIGINT is Stryker's own way to stop: it closes its workers and exits.
      process.kill(process.pid, "SIGINT");
    },
  }),
];
