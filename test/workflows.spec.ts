// The repository's workflows keep their security properties (least-privilege tokens, OIDC instead of keys,
// actions pinned by commit, no secret printed, the policy pack on every Pulumi run) and do the jobs
// docs/deploying.md promises. The rules themselves are checked on a compliant fixture mutated one way at a time.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { findActionlint, loadWorkflowFiles, runActionlint, WorkflowFile, workflowFindings } from "./harness/workflows";
import { PROJECT_ROOT } from "./harness/stacks";

const PINNED_NODE: string = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).devDependencies
  .node;
const CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";
const AWS = "aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3";

const COMPLIANT = `
name: fixture
on:
  push:
    branches: [main]
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - uses: ./.github/actions/setup
      - uses: docker://alpine@sha256:${"a".repeat(64)}
      - run: npm test
  deploy:
    runs-on: ubuntu-latest
    needs: test
    environment: prod
    permissions:
      contents: read
      id-token: write
    concurrency:
      group: pulumi-prod
      cancel-in-progress: false
    env:
      PULUMI_ACCESS_TOKEN: \${{ secrets.PULUMI_ACCESS_TOKEN }}
      STACK: prod
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - uses: ${AWS}
        with:
          role-to-assume: \${{ vars.AWS_DEPLOY_ROLE_ARN }}
          aws-region: eu-west-1
      - run: |
          echo "deploying $STACK"
          pulumi stack select "$STACK"
          npm run up -- --yes
          pulumi policy analyze --stack "$STACK" \\
            --policy-pack policy-pack --policy-pack-config "stacks/policy.$STACK.json"
`;

function findings(text: string, file = ".github/workflows/fixture.yml"): string[] {
  return workflowFindings({ file, text }, PINNED_NODE);
}

/** The fixture with one change; fails loudly when the change no longer applies. */
function mutate(from: string | RegExp, to: string, base = COMPLIANT): string {
  const out = base.replace(from, to);
  assert.notStrictEqual(out, base, `mutation did not apply: ${String(from)}`);
  return out;
}

function assertFinding(text: string, expected: RegExp): void {
  const found = findings(text);
  assert.ok(
    found.some((f) => expected.test(f)),
    `expected a finding matching ${expected}, got: ${JSON.stringify(found)}`,
  );
}

describe("workflow security rules", () => {
  it("find nothing wrong with a compliant workflow", () => {
    assert.deepStrictEqual(findings(COMPLIANT), []);
  });

  describe("actions are pinned by full commit SHA with the release in a comment", () => {
    const cases: [string, string][] = [
      ["a major tag", "actions/checkout@v4"],
      ["a release tag", "actions/checkout@v7.0.1"],
      ["a branch", "actions/checkout@main"],
      ["a short SHA", "actions/checkout@3d3c42e # v7.0.1"],
      ["no ref at all", "actions/checkout"],
      ["a quoted tag", '"actions/checkout@v7"'],
    ];
    for (const [label, uses] of cases) {
      it(`rejects ${label}`, () => assertFinding(mutate(CHECKOUT, uses), /full 40-hex commit SHA/));
    }
    it("rejects a SHA without its release comment", () => {
      assertFinding(mutate(" # v7.0.1", ""), /# vX\.Y\.Z/);
      assertFinding(mutate(" # v7.0.1", " # latest"), /# vX\.Y\.Z/);
    });
    it("rejects a docker image by tag", () => {
      assertFinding(mutate(/alpine@sha256:a+/, "alpine:3.20"), /pinned by digest/);
    });
    it("checks a local composite action's steps too", () => {
      const action = `runs:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n`;
      assert.match(findings(action, ".github/actions/x/action.yml").join("\n"), /full 40-hex commit SHA/);
    });
  });

  describe("the token grants only what each job declares", () => {
    it("rejects a workflow without top-level permissions: {}", () => {
      assertFinding(mutate("permissions: {}\n", ""), /declare `permissions: \{\}`/);
      assertFinding(mutate("permissions: {}\n", "permissions: read-all\n"), /top level grants nothing/);
      assertFinding(mutate("permissions: {}\n", "permissions:\n  contents: read\n"), /top level grants nothing/);
    });
    it("rejects a job that does not declare its permissions", () => {
      assertFinding(mutate("    permissions:\n      contents: read\n    steps", "    steps"), /jobs\.test: declare/);
    });
    it("rejects write-all and read-all on a job", () => {
      const base = "    permissions:\n      contents: read\n    steps";
      assertFinding(mutate(base, "    permissions: write-all\n    steps"), /grants every scope/);
      assertFinding(mutate(base, "    permissions: read-all\n    steps"), /grants every scope/);
    });
    it("rejects write access a job does not need", () => {
      assertFinding(mutate("      contents: read\n    steps", "      contents: write\n    steps"), /contents: write/);
      const prs = "      contents: read\n      pull-requests: write\n    steps";
      assertFinding(mutate("      contents: read\n    steps", prs), /pull-requests: write/);
    });
    it("ties id-token: write to a step that uses it, and AWS credentials to OIDC", () => {
      const test = "    permissions:\n      contents: read\n    steps";
      const oidc = "    permissions:\n      contents: read\n      id-token: write\n    steps";
      assertFinding(mutate(test, oidc), /jobs\.test: id-token: write without/);
      assertFinding(mutate("      id-token: write\n", ""), /grant id-token: write/);
    });
    it("rejects long-lived AWS keys and a missing role", () => {
      const keys =
        "aws-access-key-id: ${{ secrets.AWS_KEY }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET }}";
      assertFinding(mutate("role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}", keys), /long-lived AWS keys/);
      assertFinding(mutate("role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}", keys), /assumes a role/);
    });
  });

  describe("secrets and untrusted input stay out of scripts", () => {
    it("rejects a secret expanded into a run script", () => {
      assertFinding(
        mutate('echo "deploying $STACK"', "pulumi login --token ${{ secrets.PULUMI_ACCESS_TOKEN }}"),
        /pass it in env/,
      );
    });
    it("rejects printing a secret that came in through env", () => {
      for (const print of [
        'echo "$PULUMI_ACCESS_TOKEN"',
        "printf '%s' \"${PULUMI_ACCESS_TOKEN}\"",
        "echo token=$PULUMI_ACCESS_TOKEN >> log",
      ]) {
        assertFinding(mutate('echo "deploying $STACK"', print), /prints the secret PULUMI_ACCESS_TOKEN/);
      }
    });
    it("rejects set -x, which traces every expanded value", () => {
      assertFinding(mutate('echo "deploying $STACK"', "set -euxo pipefail"), /set -x/);
    });
    it("rejects untrusted event fields expanded into a script", () => {
      for (const expr of [
        "${{ github.event.pull_request.title }}",
        "${{ github.head_ref }}",
        "${{ github.event.issue.body }}",
      ]) {
        assertFinding(mutate('echo "deploying $STACK"', `echo "${expr}"`), /untrusted input/);
      }
    });
  });

  describe("checkouts", () => {
    it("never leave the token in .git/config", () => {
      assertFinding(mutate("persist-credentials: false", "persist-credentials: true"), /persist-credentials: false/);
      assertFinding(
        mutate("        with:\n          persist-credentials: false\n      - uses: ./", "      - uses: ./"),
        /persist-credentials/,
      );
    });
    it("never check out a pull request's head in a pull_request_target run", () => {
      const target = mutate("  push:\n    branches: [main]", "  pull_request_target:");
      const refs = [
        "${{ github.event.pull_request.head.sha }}",
        "${{ github.event.pull_request.head.ref }}",
        "${{ github.head_ref }}",
        "refs/pull/${{ github.event.number }}/merge",
      ];
      for (const ref of refs) {
        const text = mutate("persist-credentials: false", `persist-credentials: false\n          ref: ${ref}`, target);
        assertFinding(text, /pull request's head in a privileged/);
      }
      // The base branch is what pull_request_target is for.
      const base = mutate("persist-credentials: false", "persist-credentials: false\n          ref: main", target);
      assert.ok(!findings(base).some((f) => /privileged/.test(f)), findings(base).join("\n"));
    });
  });

  describe("Pulumi runs and deployments", () => {
    it("reject pulumi preview, up or policy analyze without the policy pack", () => {
      const run = 'echo "deploying $STACK"';
      for (const cmd of ["pulumi up --yes", "pulumi preview --stack dev --diff", "pulumi policy analyze --stack dev"]) {
        assertFinding(mutate(run, cmd), /without --policy-pack/);
      }
      assertFinding(mutate("--policy-pack policy-pack ", ""), /without --policy-pack/);
    });
    it("reject a deployment outside an environment or from a pull request", () => {
      assertFinding(mutate("    environment: prod\n", ""), /outside a GitHub environment/);
      assertFinding(mutate("  push:\n    branches: [main]", "  pull_request:"), /deploys from a pull request/);
    });
    it("reject a job on a real stack that a newer run may cancel", () => {
      assertFinding(mutate("cancel-in-progress: false", "cancel-in-progress: true"), /concurrency group/);
      assertFinding(
        mutate("    concurrency:\n      group: pulumi-prod\n      cancel-in-progress: false\n", ""),
        /concurrency/,
      );
    });
    it("reject a Node version other than the pinned one", () => {
      const setup = `      - uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0\n        with:\n          node-version: `;
      const text = mutate("      - run: npm test", `${setup}22\n      - run: npm test`);
      assertFinding(text, /node-version "22"/);
      assert.deepStrictEqual(
        findings(mutate("      - run: npm test", `${setup}${PINNED_NODE}\n      - run: npm test`)),
        [],
      );
    });
  });
});

describe("this repository's workflows", () => {
  const files = loadWorkflowFiles(PROJECT_ROOT);
  const byName = (name: string): any => {
    const wf = files.find((f) => f.file === `.github/workflows/${name}.yml`);
    assert.ok(wf, `.github/workflows/${name}.yml is missing`);
    return parse(wf.text);
  };
  const runs = (job: any): string => (job.steps as any[]).map((s) => s.run ?? "").join("\n");

  it("keep every security rule", () => {
    assert.ok(files.length >= 4, files.map((f) => f.file).join(", "));
    const all = files.flatMap((wf: WorkflowFile) => workflowFindings(wf, PINNED_NODE).map((f) => `${wf.file}: ${f}`));
    assert.deepStrictEqual(all, []);
  });

  it("plan every shipped stack on pull requests and put its posture report in the job summary", () => {
    const shipped = fs
      .readdirSync(path.join(PROJECT_ROOT, "stacks"))
      .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
      .sort();
    const plan = byName("pull-request").jobs.plan;
    assert.deepStrictEqual([...plan.strategy.matrix.stack].sort(), shipped);
    assert.match(runs(plan), /npm run plan -- --stack "\$STACK"/);
    assert.match(runs(plan), /out\/plan\/\$STACK\/report\.md[\s\S]*>>"\$GITHUB_STEP_SUMMARY"/);
    // The base branch's pack judges the planned state too.
    assert.match(runs(plan), /pulumi policy analyze --file "out\/plan\/\$STACK\/state\.json"[\s\S]*base\/policy-pack/);
  });

  it("preview dev and prod on pull requests only for the repository's own branches", () => {
    const preview = byName("pull-request").jobs.preview;
    assert.deepStrictEqual(preview.strategy.matrix.stack, ["dev", "prod"]);
    assert.match(preview.if, /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
    assert.match(runs(preview), /npm run preview/);
  });

  it("deploy dev, then prod behind the prod environment, on pushes to main", () => {
    const deploy = byName("deploy");
    assert.deepStrictEqual(deploy.on.push.branches, ["main"]);
    assert.strictEqual(deploy.jobs.dev.environment, "dev");
    assert.strictEqual(deploy.jobs.prod.environment, "prod");
    assert.strictEqual(deploy.jobs.prod.needs, "dev");
    for (const stack of ["dev", "prod"]) {
      assert.strictEqual(deploy.jobs[stack].env.STACK, stack);
      assert.match(runs(deploy.jobs[stack]), /pulumi stack select "\$STACK"\s+npm run up -- --yes/);
    }
  });

  it("check drift and today's policy pack on a schedule", () => {
    const drift = byName("drift");
    assert.ok(drift.on.schedule?.[0]?.cron, "no schedule");
    const check = runs(drift.jobs.check);
    assert.match(check, /npm run preview -- --expect-no-changes/);
    assert.match(
      check,
      /pulumi policy analyze --stack "\$STACK"\s*\\\s*--policy-pack policy-pack --policy-pack-config "stacks\/policy\.\$STACK\.json"/,
    );
  });

  it("are clean under actionlint, when the toolchain has built it (scripts/e2e-tools.sh actionlint)", function () {
    const bin = findActionlint();
    if (!bin) this.skip();
    const { status, out } = runActionlint(bin, PROJECT_ROOT);
    assert.strictEqual(status, 0, out);
  });

  it("and actionlint does report a broken workflow (it really lints)", function () {
    const bin = findActionlint();
    if (!bin) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
    try {
      const broken = mutate(
        "runs-on: ubuntu-latest",
        "runs-on: ubuntu-latest\n    timeout-minutes: ${{ github.nope }}",
      );
      fs.writeFileSync(path.join(dir, "broken.yml"), broken);
      const { status, out } = runActionlint(bin, dir, ["broken.yml"]);
      assert.notStrictEqual(status, 0, out);
      assert.match(out, /nope/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
