// Required into every Stryker process by scripts/mutation.sh, beside mutation-preload.js.
//
// Stryker's mocha runner learns which tests reach a mutant from a root beforeEach hook that names the test
// about to run. Code that a describe block's before() hook runs (many specs deploy a component once there and
// assert on the result in several tests) is then credited to whichever test ran last, often one in another
// file, and the mutant is later run against that test alone: it "survives" although the tests that read the
// hook's result would kill it. During the dry run this credits what a before() hook reaches to every test of
// its describe block instead, so those tests run against the mutant (mocha runs the hook for them too).
const Mocha = require("mocha");

const { HOOK_TYPE_BEFORE_ALL } = Mocha.Suite.constants;
const runHooks = Mocha.Runner.prototype.hook;

const testsOf = (suite) => [...suite.tests, ...suite.suites.flatMap(testsOf)];

Mocha.Runner.prototype.hook = function (name, done) {
  const stryker = globalThis.__stryker__;
  // Only the dry run measures coverage; a mutant run has a mutant active.
  if (name !== HOOK_TYPE_BEFORE_ALL || !stryker || stryker.activeMutant !== undefined) {
    return runHooks.call(this, name, done);
  }
  const suite = this.suite;
  const hookId = `before() hooks of ${suite.fullTitle() || "the root suite"}`;
  const previous = stryker.currentTestId;
  stryker.currentTestId = hookId;
  return runHooks.call(this, name, (...args) => {
    stryker.currentTestId = previous;
    const perTest = stryker.mutantCoverage?.perTest;
    const reached = perTest?.[hookId];
    if (reached) {
      delete perTest[hookId];
      for (const test of testsOf(suite)) {
        const counts = (perTest[test.fullTitle()] ??= {});
        for (const [mutant, hits] of Object.entries(reached)) counts[mutant] = (counts[mutant] ?? 0) + hits;
      }
    }
    return done(...args);
  });
};
