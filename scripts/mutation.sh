#!/usr/bin/env bash
# Mutation testing of one source folder: `npm run mutation -- config`, `-- components/network`,
# `-- policy-pack/policies/aws`; no folder runs them all. Further arguments go to `stryker run`
# (e.g. --concurrency 1, --force). stryker.config.mjs turns the folder into the files to mutate.
#
# Two passes, because of how Stryker schedules static mutants (code that runs while modules load): it needs a
# fresh test worker for each, and a fresh one again for the next ordinary mutant after it. Mutants leave the
# type checker in source order, static and ordinary mixed, so in one pass nearly every mutant paid a worker
# restart (loading ts-node, @pulumi/pulumi and the specs: 3-5 s on a busy machine). Pass 1 (--ignoreStatic)
# tests the ordinary mutants in one warm worker. Pass 2 is the scored run: incremental mode reuses pass 1's
# results and tests the static mutants, each in a fresh worker with the mutant active from the first require.
# Its report holds every mutant. Passing --ignoreStatic yourself runs pass 1 only.
# --staticOnly measures the static mutants alone (when the ordinary ones are measured already, e.g. on another
# machine): a first run lists where they are and stops after its dry run, a second mutates those places only.
# Its reports go to reports/mutation/<folder>-static/.
set -euo pipefail
cd "$(dirname "$0")/.."
scope=""
if [[ $# -gt 0 && $1 != -* ]]; then
  scope=$1
  shift
fi
# The preload works around a mocha 12 incompatibility of the mocha runner; the hook coverage credits what a
# describe block's before() hook reaches to that block's tests. See the files.
export NODE_OPTIONS="${NODE_OPTIONS:-} --require=$PWD/scripts/mutation-preload.js --require=$PWD/scripts/mutation-hook-coverage.js"
export MUTATION_SCOPE=$scope
if [[ " $* " == *" --staticOnly "* ]]; then
  args=()
  for arg in "$@"; do [[ $arg == --staticOnly ]] || args+=("$arg"); done
  export MUTATION_STATIC_PLAN="reports/mutation/$(tr / - <<<"${scope:-all}")-static/plan.json"
  mkdir -p "$(dirname "$MUTATION_STATIC_PLAN")"
  rm -f "$MUTATION_STATIC_PLAN"
  # The plan step stops itself with SIGINT once the plan is written, so its exit status is not the verdict.
  MUTATION_STATIC_STEP=plan stryker run stryker.config.mjs --concurrency 1 || true
  [[ -s $MUTATION_STATIC_PLAN ]] || { echo "no static plan was written" >&2; exit 1; }
  export MUTATION_STATIC_STEP=run
  node scripts/mutation-forget.mjs alive
  exec stryker run stryker.config.mjs "${args[@]}"
fi
# Survivors of earlier runs are always retested: Stryker cannot tell that a spec they ran against changed.
node scripts/mutation-forget.mjs alive
# --force (retest everything) applies to pass 1; pass 2 must reuse what pass 1 just measured.
later=()
for arg in "$@"; do
  [[ $arg == --ignoreStatic ]] && exec stryker run stryker.config.mjs "$@"
  [[ $arg == --force ]] || later+=("$arg")
done
stryker run stryker.config.mjs --ignoreStatic "$@"
node scripts/mutation-forget.mjs static
exec stryker run stryker.config.mjs "${later[@]}"
