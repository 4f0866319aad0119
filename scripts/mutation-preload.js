// Required into every Stryker process by scripts/mutation.sh. @stryker-mutator/mocha-runner 10.1.1 requires
// mocha's cli helpers by an extensionless path (mocha/lib/cli/run-helpers); mocha 12 ships them as .cjs,
// which require() does not try, so the runner plugin would fail to load. Letting require() try .cjs too is
// the whole fix; stryker-js pull request 6205 makes the same change upstream, and this file goes once a
// release has it. (A CommonJS --require, not an --import: an --import would make node load every entry
// point, such as the policy pack the pack-server spec boots, as an ES module.)
const Module = require("node:module");

Module._extensions[".cjs"] ??= Module._extensions[".js"];
