// Every linked user's Git token sits in Coder's database, usable by whoever controls coderd or a
// workspace. Its scopes bound the damage: read and write on repositories is what cloning and pushing
// need; administering organisations, deleting repositories, editing CI workflows, publishing packages
// or acting as an instance admin is not. The scopes must also be pinned: left unset, Coder requests its
// built-in defaults for the type (github's are `repo workflow`), which can widen with an upgrade
// without any change here. Coder splits the value on single spaces (strings.Split(v, " ") in its server
// command) and some Git hosts split on commas as well, so any run of whitespace or commas separates scopes here,
// and scopes compare case-insensitively: no spelling hides a scope from this check. Each denylist names
// the broader aliases of what it forbids too (an `admin:` scope holds the `write:` one, GitLab's `api`
// holds every repository scope, `*_full` holds `*_manage`); GitHub's `repo` stays allowed, since cloning
// a private repository needs it (`public_repo` is the narrower choice where only public ones are used).
import {
  envOf,
  externalAuthProviders,
  providerField,
  providerLabel,
  providerType,
  validateCoderChart,
} from "../../lib/coder";
import { globToRegExp } from "../../lib/iam";
import { definePolicy } from "../../lib/metadata";

/**
 * Scopes beyond reading and writing repositories, per provider type (globs, case-insensitive). A type
 * that is not listed has no denylist but must still pin its scopes.
 */
export const FORBIDDEN_SCOPES: Record<string, readonly string[]> = {
  // repo / public_repo, read:user and user:email are enough.
  // write:public_key and the other key scopes let a workspace add its own key to the user's account.
  github: [
    "admin:*",
    "delete_repo",
    "write:org",
    "user",
    "write:packages",
    "delete:packages",
    "site_admin",
    "workflow",
    "manage_runners:*",
    "manage_billing:*",
    "write:public_key",
    "write:gpg_key",
    "write:ssh_signing_key",
    "codespace",
    "codespace:secrets",
  ],
  // write_repository (and read_repository, read_user, read_api: read-only) are enough; api is full
  // read/write API access.
  gitlab: ["api", "sudo", "admin_mode", "write_registry", "create_runner", "manage_runner", "k8s_proxy"],
  // write:repository and read:user are enough; `all` is the legacy everything-scope.
  gitea: ["write:admin", "sudo", "write:organization", "write:user", "write:package", "all"],
  // repository:write (and account for the user's identity) are enough; pipeline:variable reads CI secrets.
  // The granular API-token scopes name the action first (admin:repository:bitbucket, delete:...).
  "bitbucket-cloud": [
    "account:write",
    "team:write",
    "repository:admin",
    "repository:delete",
    "project:admin",
    "webhook",
    "pipeline:variable",
    "runner:write",
    "admin:*",
    "delete:*",
  ],
  // REPO_WRITE (and REPO_READ, PUBLIC_REPOS) are enough.
  "bitbucket-server": ["REPO_ADMIN", "PROJECT_ADMIN", "ADMIN", "SYSTEM_ADMIN"],
  // vso.code_write is enough; *_manage and *_full administer what *_write only edits.
  "azure-devops": ["*_manage", "*_full", "vso.profile_write", "vso.tokens", "vso.tokenadministration"],
  // The same scopes behind the Azure DevOps resource ID, plus Entra's catch-alls.
  "azure-devops-entra": ["*_manage", "*_full", "*vso.profile_write", "*.default", "*user_impersonation"],
};

/** A scope: a run of anything but whitespace and commas. */
const SCOPE = /[^\s,]+/g;

export function scopesOf(value: string): string[] {
  return value.match(SCOPE) ?? [];
}

/** The scopes in `scopes` that the type's denylist forbids. */
export function forbiddenScopes(type: string, scopes: readonly string[]): string[] {
  const patterns = (FORBIDDEN_SCOPES[type] ?? []).map(globToRegExp);
  return scopes.filter((scope) => patterns.some((p) => p.test(scope)));
}

export const coderReleaseBroadGitScopes = definePolicy(
  {
    responsibilities: ["git-oauth-linkage", "git-repo-access"],
    severity: "high",
    forbids:
      "Git providers without pinned `_SCOPES`, or with scopes beyond repository read/write (per-type denylist: " +
      "admin, delete, org, workflow, packages, `api`, `sudo`, `*_manage`, ...)",
    references: {
      other: [
        "Coder CODER_EXTERNAL_AUTH_<n>_SCOPES",
        "GitHub, GitLab, Gitea, Bitbucket and Azure DevOps OAuth scope references",
      ],
    },
  },
  {
    name: "coder-release-broad-git-scopes",
    description:
      "Every Git provider in the Coder release must pin CODER_EXTERNAL_AUTH_<n>_SCOPES to repository read/write " +
      "scopes; admin, delete, org, workflow, package and user-write scopes are forbidden.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Set CODER_EXTERNAL_AUTH_<n>_SCOPES inline for every provider (the blueprint writes the narrowest scopes per " +
      'type, e.g. github "repo", gitlab "write_repository"; override them with ' +
      "coder-blueprint:gitProviders[].scopes) and remove any admin, delete, org, workflow, package or user-write " +
      "scope.",
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      for (const provider of externalAuthProviders(envOf(coder, gaps))) {
        const variable = `${provider.key}_SCOPES`;
        const setting = provider.vars.get("SCOPES");
        if (!setting) {
          report(
            `${subject}: ${providerLabel(provider)} sets no ${variable}, so Coder requests its built-in default ` +
              `scopes for the type, which are broader than cloning needs and can widen with a Coder upgrade; ` +
              `pin ${variable} to repository read/write scopes (coder-blueprint:gitProviders[].scopes, or the ` +
              `blueprint's minimal scopes for the type).`,
          );
          continue;
        }
        if (!setting.hasValue) {
          report(
            `${subject}: ${providerLabel(provider)} reads ${variable} from a Secret or ConfigMap, which this ` +
              `policy cannot verify; ` +
              `write ${variable} inline in values.coder.env with repository read/write scopes only.`,
          );
          continue;
        }
        gaps.judge(() => {
          const value = providerField(provider, "SCOPES") ?? "";
          const scopes = scopesOf(value);
          if (scopes.length === 0) {
            report(
              `${subject}: ${providerLabel(provider)} sets ${variable} to ${JSON.stringify(value)}, which pins ` +
                `nothing; ` +
                `pin ${variable} to repository read/write scopes (coder-blueprint:gitProviders[].scopes, or the ` +
                `blueprint's minimal scopes for the type).`,
            );
            return;
          }
          const type = providerType(provider);
          const forbidden = forbiddenScopes(type, scopes);
          if (forbidden.length === 0) return;
          const list = forbidden.map((s) => JSON.stringify(s)).join(", ");
          report(
            `${subject}: ${providerLabel(provider)} (type "${type}") requests ${list} in ${variable}, beyond ` +
              `repository read/write, so every linked user's token lets Coder admins and workspaces act as that user ` +
              `on the Git host; ` +
              `remove ${list} from ${variable} (coder-blueprint:gitProviders[].scopes) and keep only repository ` +
              `read/write scopes.`,
          );
        });
      }
    }),
  },
);
