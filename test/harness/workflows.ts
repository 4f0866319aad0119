// The security properties every GitHub workflow and local action of this repository must keep, as findings
// (one string per broken property), so that a spec can assert "none" on the real files and "this one" on a
// mutated fixture. actionlint checks syntax, expressions and shell; these are the repository's own rules.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { toolchainCache } from "../../scripts/sandbox/toolchain";

export interface WorkflowFile {
  /** Path relative to the repository root. */
  file: string;
  text: string;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
const RELEASE_COMMENT = /^v\d+\.\d+\.\d+$/;
/** Scopes a job may be granted write access to. An OIDC token is the only one any job here needs. */
const WRITABLE_SCOPES = new Set(["id-token"]);
/** Contexts an attacker controls in a pull request or issue: never expanded into a shell script. */
const UNTRUSTED_CONTEXT = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref\b|inputs\.)/;
const PR_HEAD_REF = /github\.event\.pull_request\.head\.|github\.head_ref\b|refs\/pull\//;
const AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials";

/** Every workflow (.github/workflows) and local action (.github/actions/<name>/action.yml) under `root`. */
export function loadWorkflowFiles(root: string): WorkflowFile[] {
  const files: string[] = [];
  const workflows = path.join(root, ".github", "workflows");
  if (fs.existsSync(workflows)) {
    for (const f of fs.readdirSync(workflows).sort()) {
      if (/\.ya?ml$/.test(f)) files.push(path.join(".github", "workflows", f));
    }
  }
  const actions = path.join(root, ".github", "actions");
  if (fs.existsSync(actions)) {
    for (const dir of fs.readdirSync(actions).sort()) {
      for (const name of ["action.yml", "action.yaml"]) {
        if (fs.existsSync(path.join(actions, dir, name))) files.push(path.join(".github", "actions", dir, name));
      }
    }
  }
  return files.map((file) => ({ file, text: fs.readFileSync(path.join(root, file), "utf8") }));
}

type Step = Record<string, any>;

function stepsOf(job: any): Step[] {
  return Array.isArray(job?.steps) ? job.steps : [];
}

function actionName(uses: string): string {
  return uses.split("@")[0].toLowerCase();
}

function triggers(doc: any): string[] {
  const on = doc?.on ?? doc?.true; // YAML 1.1 readers turn a bare `on` into true; the `yaml` package does not.
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === "object" ? Object.keys(on) : [];
}

/** `uses:` references: pinned by full commit SHA with a release comment, or local, or a docker digest. */
function pinningFindings(text: string): string[] {
  const findings: string[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    const m = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*?))?\s*$/.exec(line);
    if (!m) continue;
    const [, ref, comment] = m;
    const where = `line ${i + 1}: ${ref}`;
    if (ref.startsWith("./")) continue;
    if (ref.startsWith("docker://")) {
      if (!/@sha256:[0-9a-f]{64}$/.test(ref)) findings.push(`${where}: a docker image must be pinned by digest`);
      continue;
    }
    const at = ref.lastIndexOf("@");
    if (at < 0 || !FULL_SHA.test(ref.slice(at + 1))) {
      findings.push(`${where}: pin the action by its full 40-hex commit SHA`);
    } else if (!comment || !RELEASE_COMMENT.test(comment)) {
      findings.push(`${where}: say which release the SHA is with a "# vX.Y.Z" comment`);
    }
  }
  return findings;
}

function permissionFindings(doc: any): string[] {
  const findings: string[] = [];
  const top = doc.permissions;
  if (top === undefined)
    findings.push("permissions: declare `permissions: {}` at the top so no job inherits the default token");
  else if (typeof top !== "object" || top === null || Object.keys(top).length > 0) {
    findings.push("permissions: the top level grants nothing (`{}`); each job declares its own");
  }
  for (const [name, job] of Object.entries<any>(doc.jobs ?? {})) {
    const perms = job?.permissions;
    if (perms === undefined) {
      findings.push(`jobs.${name}: declare the job's permissions`);
      continue;
    }
    if (typeof perms !== "object" || perms === null) {
      findings.push(`jobs.${name}: permissions "${String(perms)}" grants every scope; list the scopes the job needs`);
      continue;
    }
    for (const [scope, level] of Object.entries(perms)) {
      if (level === "write" && !WRITABLE_SCOPES.has(scope))
        findings.push(`jobs.${name}: ${scope}: write is not needed`);
    }
    const usesAws = stepsOf(job).some(
      (s) => typeof s.uses === "string" && actionName(s.uses) === AWS_CREDENTIALS_ACTION,
    );
    if (perms["id-token"] === "write" && !usesAws) {
      findings.push(`jobs.${name}: id-token: write without a step that exchanges the token`);
    }
    if (usesAws && perms["id-token"] !== "write") {
      findings.push(`jobs.${name}: AWS credentials come from OIDC; grant id-token: write`);
    }
  }
  return findings;
}

function credentialFindings(doc: any): string[] {
  const findings: string[] = [];
  for (const [name, job] of jobsAndAction(doc)) {
    for (const step of stepsOf(job)) {
      if (typeof step.uses !== "string" || actionName(step.uses) !== AWS_CREDENTIALS_ACTION) continue;
      const w = step.with ?? {};
      if (!w["role-to-assume"]) findings.push(`${name}: configure-aws-credentials assumes a role (role-to-assume)`);
      if (w["aws-access-key-id"] || w["aws-secret-access-key"]) {
        findings.push(`${name}: long-lived AWS keys; assume a role through OIDC instead`);
      }
    }
  }
  return findings;
}

/** The jobs of a workflow, or the composite action's steps as one pseudo-job. */
function jobsAndAction(doc: any): [string, any][] {
  if (doc?.runs?.steps) return [["runs", doc.runs]];
  return Object.entries<any>(doc?.jobs ?? {}).map(([name, job]) => [`jobs.${name}`, job]);
}

function secretNames(...envs: any[]): Set<string> {
  const names = new Set<string>();
  for (const env of envs) {
    for (const [k, v] of Object.entries<any>(env ?? {})) if (/\bsecrets\./.test(String(v))) names.add(k);
  }
  return names;
}

function scriptFindings(doc: any): string[] {
  const findings: string[] = [];
  for (const [name, job] of jobsAndAction(doc)) {
    for (const [i, step] of stepsOf(job).entries()) {
      if (typeof step.run !== "string") continue;
      const where = `${name}.steps[${i}]`;
      const run: string = step.run;
      if (/\$\{\{[^}]*\bsecrets\./.test(run))
        findings.push(`${where}: a secret expanded into the script; pass it in env`);
      if (UNTRUSTED_CONTEXT.test(run))
        findings.push(`${where}: untrusted input expanded into the script; pass it in env`);
      for (const secret of secretNames(doc.env, job.env, step.env)) {
        const printed = new RegExp(`\\b(echo|printf)\\b[^\\n]*\\$\\{?${secret}\\b`);
        if (printed.test(run)) findings.push(`${where}: prints the secret ${secret}`);
      }
      if (/^\s*set\s+-[a-z]*x/m.test(run)) findings.push(`${where}: set -x traces every expanded value`);
      // The policy pack on every run: directly, or through the npm scripts that pass it.
      for (const cmd of run.match(/\bpulumi\s+(?:preview|up|policy\s+analyze)\b(?:\\\n|[^\n])*/g) ?? []) {
        if (!/--policy-pack[\s=]/.test(cmd)) findings.push(`${where}: "${cmd.split("\n")[0]}" without --policy-pack`);
      }
    }
  }
  return findings;
}

function checkoutFindings(doc: any): string[] {
  const findings: string[] = [];
  const prTarget = triggers(doc).some((t) => t === "pull_request_target" || t === "workflow_run");
  for (const [name, job] of jobsAndAction(doc)) {
    for (const [i, step] of stepsOf(job).entries()) {
      if (typeof step.uses !== "string" || actionName(step.uses) !== "actions/checkout") continue;
      const where = `${name}.steps[${i}]`;
      const w = step.with ?? {};
      if (w["persist-credentials"] !== false) findings.push(`${where}: checkout with persist-credentials: false`);
      if (prTarget && PR_HEAD_REF.test(`${String(w.ref ?? "")} ${String(w.repository ?? "")}`)) {
        findings.push(`${where}: checks out the pull request's head in a privileged (pull_request_target) run`);
      }
    }
  }
  return findings;
}

/** Jobs that reach a real stack (an OIDC token): one run per stack at a time, never cancelled mid-update. */
function deploymentFindings(doc: any): string[] {
  const findings: string[] = [];
  const fromPullRequest = triggers(doc).some((t) => t.startsWith("pull_request"));
  for (const [name, job] of Object.entries<any>(doc.jobs ?? {})) {
    if (job?.permissions?.["id-token"] === "write") {
      const c = job.concurrency;
      if (!c?.group || c["cancel-in-progress"] !== false) {
        findings.push(`jobs.${name}: a job on a real stack needs a concurrency group with cancel-in-progress: false`);
      }
    }
    const deploys = stepsOf(job).some((s) => typeof s.run === "string" && /\b(npm run up|pulumi up)\b/.test(s.run));
    if (deploys && fromPullRequest) findings.push(`jobs.${name}: deploys from a pull request`);
    if (deploys && !job.environment) findings.push(`jobs.${name}: deploys outside a GitHub environment`);
  }
  return findings;
}

/** Literal Node versions must be the one package.json pins. */
function nodeVersionFindings(doc: any, pinnedNode: string): string[] {
  const findings: string[] = [];
  for (const [name, job] of jobsAndAction(doc)) {
    for (const step of stepsOf(job)) {
      if (typeof step.uses !== "string" || actionName(step.uses) !== "actions/setup-node") continue;
      const v = String(step.with?.["node-version"] ?? "");
      if (!v.includes("${{") && v !== pinnedNode) findings.push(`${name}: node-version "${v}" is not ${pinnedNode}`);
    }
  }
  return findings;
}

/** Every finding for one workflow or local action file. */
export function workflowFindings(wf: WorkflowFile, pinnedNode: string): string[] {
  const doc = parse(wf.text);
  const isAction = wf.file.includes(".github/actions/");
  return [
    ...pinningFindings(wf.text),
    ...(isAction ? [] : permissionFindings(doc)),
    ...credentialFindings(doc),
    ...scriptFindings(doc),
    ...checkoutFindings(doc),
    ...(isAction ? [] : deploymentFindings(doc)),
    ...nodeVersionFindings(doc, pinnedNode),
  ];
}

/** actionlint: on PATH, else in the e2e toolchain's cache where scripts/e2e-tools.sh builds it. */
export function findActionlint(): string | undefined {
  const found = spawnSync("bash", ["-c", "command -v actionlint"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  const cache = toolchainCache();
  if (!fs.existsSync(cache)) return undefined;
  const dirs = fs.readdirSync(cache).filter((d) => d.startsWith("actionlint-"));
  return dirs.map((d) => path.join(cache, d, "actionlint")).find((bin) => fs.existsSync(bin));
}

/** Runs actionlint over the given files (default: every workflow under cwd); exit code and one line per error. */
export function runActionlint(bin: string, cwd: string, files: string[] = []): { status: number | null; out: string } {
  const r = spawnSync(bin, ["-no-color", "-oneline", ...files], { cwd, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}
