import * as assert from "assert";
import { addedCapabilities } from "../policies/kubernetes/added-capabilities";
import { expectPass, expectSettingsRefused, expectViolation } from "./expect";
import { compliantDeployment, mainContainer } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace" container "dev"';
const adding = (...caps: string[]) =>
  mutate(compliantDeployment(), (p) => (mainContainer(p).securityContext.capabilities.add = caps));

describe("added-capabilities", () => {
  it("passes containers that only drop capabilities", async () => {
    await expectPass(addedCapabilities, compliantDeployment());
  });

  // One name instead of a list would otherwise reach the policy as a string.
  it("refuses an allowedCapabilities that is not a list of names before judging anything", () => {
    for (const allowed of ["NET_BIND_SERVICE", [1]]) {
      expectSettingsRefused(
        addedCapabilities,
        { allowedCapabilities: allowed },
        /allowedCapabilities(\.0)?: Invalid type\. Expected: (array|string)/,
        JSON.stringify(allowed),
      );
    }
  });

  it("fails any added capability when the allowlist is empty (the default)", async () => {
    await expectViolation(
      addedCapabilities,
      adding("NET_BIND_SERVICE"),
      WHO,
      /adds capabilities NET_BIND_SERVICE, which are not in the approved list \(none\); remove them from securityContext\.capabilities\.add/,
    );
  });

  it("fails SYS_ADMIN even when another capability is approved", async () => {
    const config = { config: { "added-capabilities": { allowedCapabilities: ["NET_BIND_SERVICE"] } } };
    await expectViolation(
      addedCapabilities,
      adding("NET_BIND_SERVICE", "SYS_ADMIN"),
      WHO,
      /adds capabilities SYS_ADMIN, which are not in the approved list \(NET_BIND_SERVICE\)/,
      config,
    );
  });

  it("accepts an approved capability in any spelling", async () => {
    await expectPass(addedCapabilities, adding("cap_net_bind_service"), {
      config: { "added-capabilities": { allowedCapabilities: ["NET_BIND_SERVICE"] } },
    });
  });

  it("lists every unapproved capability and the normalised allowlist, trimming pasted spaces", async () => {
    const config = { config: { "added-capabilities": { allowedCapabilities: [" cap_chown", "NET_BIND_SERVICE "] } } };
    const v = await expectViolation(
      addedCapabilities,
      adding("CHOWN", "NET_RAW", "net_bind_service", "SYS_ADMIN"),
      WHO,
      /adds capabilities NET_RAW, SYS_ADMIN, which/,
      config,
    );
    assert.strictEqual(
      v.detail,
      `${WHO}: adds capabilities NET_RAW, SYS_ADMIN, which are not in the approved list (CHOWN, NET_BIND_SERVICE); ` +
        "remove them from securityContext.capabilities.add, or approve them in this policy's allowedCapabilities config.",
    );
  });

  it("strips CAP_ only as a prefix: approving SYS_ADMIN does not approve SYS_CAP_ADMIN", async () => {
    await expectViolation(
      addedCapabilities,
      adding("SYS_CAP_ADMIN"),
      WHO,
      /adds capabilities SYS_CAP_ADMIN, which are not in the approved list \(SYS_ADMIN\)/,
      { config: { "added-capabilities": { allowedCapabilities: ["SYS_ADMIN"] } } },
    );
  });

  it("passes containers without capabilities or without a securityContext at all", async () => {
    await expectPass(
      addedCapabilities,
      mutate(compliantDeployment(), (p) => delete mainContainer(p).securityContext.capabilities),
    );
    await expectPass(
      addedCapabilities,
      mutate(compliantDeployment(), (p) => delete mainContainer(p).securityContext),
    );
  });

  it("skips entries that are not names (the API server rejects them) and still judges the rest", async () => {
    await expectViolation(
      addedCapabilities,
      adding(42 as any, null as any, "SYS_ADMIN"),
      WHO,
      /adds capabilities SYS_ADMIN, which/,
    );
  });
});
