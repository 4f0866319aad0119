// actionlint over every workflow, with the binary the toolchain builds from its Go module: here it is
// required (the unit suite skips when a machine has not built it yet), so CI always lints the workflows.
import * as assert from "assert";
import { findActionlint, runActionlint } from "../harness/workflows";
import * as path from "path";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

describe("workflows under actionlint", () => {
  it("are clean", () => {
    const bin = findActionlint();
    assert.ok(bin, "actionlint is not built: scripts/e2e-tools.sh actionlint");
    const { status, out } = runActionlint(bin, PROJECT_ROOT);
    assert.strictEqual(status, 0, out);
  });
});
