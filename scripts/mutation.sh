#!/usr/bin/env bash
# Mutation testing of one source folder: `npm run mutation -- config`, `-- components/network`,
# `-- policy-pack/policies/aws`; no folder runs them all. Further arguments go to `stryker run`
# (e.g. --concurrency 1, --force). stryker.config.mjs turns the folder into the files to mutate.
set -euo pipefail
cd "$(dirname "$0")/.."
scope=""
if [[ $# -gt 0 && $1 != -* ]]; then
  scope=$1
  shift
fi
# The preload works around a mocha 12 incompatibility of the mocha runner; see the file.
export NODE_OPTIONS="${NODE_OPTIONS:-} --require=$PWD/scripts/mutation-preload.js"
MUTATION_SCOPE=$scope exec stryker run stryker.config.mjs "$@"
