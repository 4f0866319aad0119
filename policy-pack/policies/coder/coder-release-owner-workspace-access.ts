// By default a Coder owner can SSH into, open apps of and use the terminal of every user's workspace, and
// so reach each user's linked Git tokens and secrets inside it. CODER_DISABLE_OWNER_WORKSPACE_ACCESS
// removes that; the blueprint sets it. Only a value coderd reads as true passes: unset is Coder's default
// (access on), and a value from a Secret or ConfigMap cannot be verified. A stack that deliberately keeps
// owners' access sets allowOwnerWorkspaceAccess in its policy settings.
import { validateCoderChart } from "../../lib/coder";
import { coderSwitch, setSettingFix } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";

const VARIABLE = "CODER_DISABLE_OWNER_WORKSPACE_ACCESS";

export interface CoderReleaseOwnerWorkspaceAccessConfig {
  allowOwnerWorkspaceAccess: boolean;
}

export const coderReleaseOwnerWorkspaceAccess = definePolicy(
  {
    responsibilities: ["git-oauth-linkage", "oidc-impersonation"],
    severity: "high",
    forbids:
      "`CODER_DISABLE_OWNER_WORKSPACE_ACCESS` unset, false or unverifiable (owners reach every workspace), " +
      "unless `allowOwnerWorkspaceAccess`",
    references: { other: ["Coder CODER_DISABLE_OWNER_WORKSPACE_ACCESS (Disable Owner Workspace Access)"] },
  },
  {
    name: "coder-release-owner-workspace-access",
    description:
      `The Coder release must set ${VARIABLE} to true, so that owners cannot open other users' workspaces ` +
      "and the Git credentials in them.",
    enforcementLevel: "mandatory",
    remediationSteps:
      `Add {name: ${VARIABLE}, value: "true"} to values.coder.env ` +
      "(coder-blueprint:coder.disableOwnerWorkspaceAccess); " +
      'to keep owners\' access on purpose, set {"coder-release-owner-workspace-access": ' +
      '{"allowOwnerWorkspaceAccess": true}} in the stack\'s policy settings.',
    configSchema: {
      properties: {
        allowOwnerWorkspaceAccess: {
          type: "boolean",
          default: false,
          description: "Accept a release in which owners keep SSH, app and terminal access to every workspace.",
        },
      },
    },
    validateResource: validateCoderChart(({ coder, subject, gaps, report, config }) => {
      if ((config as CoderReleaseOwnerWorkspaceAccessConfig).allowOwnerWorkspaceAccess) return;
      gaps.judge(() => {
        const state = coderSwitch(coder, VARIABLE, gaps);
        if (state.kind === "set" && state.on) return;
        const actual =
          state.kind === "unset"
            ? "not set (Coder's default: owners have access)"
            : state.kind === "unverifiable"
              ? "read from a Secret or ConfigMap, which this policy cannot verify"
              : state.shown;
        report(
          `${subject}: ${VARIABLE} is ${actual}, so every owner can SSH into, open apps of and use the terminal ` +
            `of any user's workspace, with the Git credentials linked there; ` +
            `${setSettingFix(state.kind === "unset" ? undefined : state.setting, VARIABLE, "true")}.`,
        );
      });
    }),
  },
);
