import { coderReleaseOwnerWorkspaceAccess } from "../policies/coder/coder-release-owner-workspace-access";
import { expectPass, expectSettingsRefused, expectViolation } from "./expect";
import { compliantCoderRelease, envEntry, removeEnv, secretRef } from "./fixtures/coder";
import { mutate } from "./fixtures/resources";

const WHO = 'Release "coder"';
const VARIABLE = "CODER_DISABLE_OWNER_WORKSPACE_ACCESS";
const withValue = (value: string) => mutate(compliantCoderRelease(), (p) => (envEntry(p, VARIABLE).value = value));

describe("coder-release-owner-workspace-access", () => {
  it("passes owners' access turned off, in every spelling coderd reads as true", async () => {
    for (const value of ["true", "1", "t", "T", "TRUE", "True"])
      await expectPass(coderReleaseOwnerWorkspaceAccess, withValue(value));
  });

  it("fails the setting left out, which is Coder's default of owners having access", async () => {
    await expectViolation(
      coderReleaseOwnerWorkspaceAccess,
      mutate(compliantCoderRelease(), (p) => removeEnv(p, VARIABLE)),
      WHO,
      /CODER_DISABLE_OWNER_WORKSPACE_ACCESS is not set \(Coder's default: owners have access\), so every owner can SSH into/,
    );
  });

  for (const value of ["false", "0", "F", "off"]) {
    it(`fails owners' access re-enabled with ${JSON.stringify(value)}`, async () => {
      await expectViolation(
        coderReleaseOwnerWorkspaceAccess,
        withValue(value),
        WHO,
        new RegExp(`${VARIABLE} is "${value}", so every owner .* set ${VARIABLE} to "true"`),
      );
    });
  }

  it("fails a value from a Secret, which cannot be verified", async () => {
    await expectViolation(
      coderReleaseOwnerWorkspaceAccess,
      mutate(compliantCoderRelease(), (p) => {
        const e = envEntry(p, VARIABLE);
        delete e.value;
        e.valueFrom = secretRef("coder-flags", "owner");
      }),
      WHO,
      /read from a Secret or ConfigMap, which this policy cannot verify/,
    );
  });

  it("accepts owners' access when the stack's policy settings allow it", async () => {
    await expectPass(coderReleaseOwnerWorkspaceAccess, withValue("false"), {
      config: { "coder-release-owner-workspace-access": { allowOwnerWorkspaceAccess: true } },
    });
  });

  // A string "false" would read as true and accept owners' access.
  it("refuses an allowOwnerWorkspaceAccess that is not a boolean before judging anything", () => {
    expectSettingsRefused(
      coderReleaseOwnerWorkspaceAccess,
      { allowOwnerWorkspaceAccess: "false" },
      /allowOwnerWorkspaceAccess: Invalid type\. Expected: boolean/,
    );
  });

  it("reads the flag over the variable, as coderd does", async () => {
    for (const flag of ["--disable-owner-workspace-access", "--disable-owner-workspace-access=TRUE"])
      await expectPass(
        coderReleaseOwnerWorkspaceAccess,
        mutate(compliantCoderRelease(), (p) => {
          removeEnv(p, VARIABLE);
          p.values.coder.commandArgs = ["server", flag];
        }),
      );
    for (const value of ["false", "0"])
      await expectViolation(
        coderReleaseOwnerWorkspaceAccess,
        mutate(
          compliantCoderRelease(),
          (p) => (p.values.coder.commandArgs = ["server", `--disable-owner-workspace-access=${value}`]),
        ),
        WHO,
        new RegExp(
          `${VARIABLE} is "${value}" \\(coder\\.commandArgs flag --disable-owner-workspace-access\\), so every owner.*; ` +
            `remove the flag --disable-owner-workspace-access from values\\.coder\\.commandArgs and set ${VARIABLE} ` +
            `to "true" in values\\.coder\\.env\\.$`,
        ),
      );
  });
});
