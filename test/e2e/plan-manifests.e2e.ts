// The manifests `npm run plan` writes, judged by the real kube-apiserver rather than a client-side schema: every
// file of every shipped stack is submitted with server-side dry-run (`?dryRun=All`, strict field validation),
// so the API server's defaulting, validation (CEL of the admission policies included), RBAC escalation checks
// and admission all run and nothing is stored. Objects are created as on a first deployment; a `patch-`
// manifest is server-side applied to the object the platform ships (a stand-in made first, as EKS, kind or
// the controller-manager would), as the program's Patch resources do. The namespaces the objects target are
// dry-run themselves, then created.
//
// Placeholders are submitted as they are: `[unknown]` (a KMS key ARN) and `[secret]` are strings where the
// schema wants strings, which is what the API server judges; whether the real value is right is the cloud's
// and the policy pack's business; a secret whose very keys are computed is submitted with an empty map, as
// the plan writes it. A kind the API server does not serve (a CRD-backed one) is skipped, named
// and counted in the output.
import "../harness/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { plan } from "../../scripts/plan/cli";
import { SHIPPED_STACKS } from "../harness/stacks";
import {
  ApiResource,
  discoveryPath,
  isPatch,
  ManifestObject,
  PATCH_TARGETS,
  redactions,
  resourcePath,
} from "./api-dry-run";
import { startCluster, TestCluster } from "./harness/cluster";
import { KubeApi } from "./harness/kube-api";

const DRY_RUN = "dryRun=All&fieldValidation=Strict";
const APPLY = `${DRY_RUN}&fieldManager=coder-blueprint-plan&force=true`;

type Outcome = "created" | "patched" | "skipped" | "rejected";

interface Submitted {
  file: string;
  outcome: Outcome;
  /** The API server's message for a rejection, the reason for a skip. */
  detail?: string;
}

interface Manifest {
  file: string;
  object: ManifestObject;
}

function readManifests(dir: string): Manifest[] {
  return fs
    .readdirSync(dir)
    .sort()
    .map((file) => ({ file, object: parse(fs.readFileSync(path.join(dir, file), "utf8")) as ManifestObject }));
}

const message = (status: number, body: unknown) =>
  `${status} ${(body as { message?: string } | undefined)?.message ?? JSON.stringify(body)}`;

describe("the plan's manifests, server-side dry-run on the real kube-apiserver", function () {
  this.timeout(900_000);
  let workDir: string;
  let cluster: TestCluster | undefined;
  let kube: KubeApi;
  const manifests: Record<string, Manifest[]> = {};
  const discovery = new Map<string, Promise<ApiResource[]>>();

  /** The resources the API server serves for `apiVersion`; none when it does not serve that group version. */
  const served = (apiVersion: string): Promise<ApiResource[]> => {
    if (!discovery.has(apiVersion)) {
      discovery.set(
        apiVersion,
        kube.get(discoveryPath(apiVersion)).then((r) => (r.status === 200 ? (r.body.resources as ApiResource[]) : [])),
      );
    }
    return discovery.get(apiVersion)!;
  };

  /** Creates, for real, the object a patch changes when the cluster lacks it, as the platform would have. */
  async function ensurePatchTarget(object: ManifestObject, named: string, collection: string): Promise<void> {
    if ((await kube.get(named)).status === 200) return;
    const standIn = PATCH_TARGETS[`${object.kind}/${object.metadata.name}`];
    assert.ok(standIn, `no stand-in for ${object.kind} "${object.metadata.name}", which a manifest patches`);
    const created = await kube.post(collection, standIn(object.metadata.namespace));
    assert.ok([201, 409].includes(created.status), `stand-in for ${named}: ${message(created.status, created.body)}`);
  }

  async function submit(m: Manifest): Promise<Submitted> {
    const resources = await served(m.object.apiVersion);
    const collection = resourcePath(m.object, resources);
    if (!collection) {
      return {
        file: m.file,
        outcome: "skipped",
        detail: `the API server serves no ${m.object.kind} in ${m.object.apiVersion} (a CRD-backed kind)`,
      };
    }
    if (isPatch(m.file)) {
      const named = resourcePath(m.object, resources, true)!;
      await ensurePatchTarget(m.object, named, collection);
      const r = await kube.request("PATCH", `${named}?${APPLY}`, m.object, "application/apply-patch+yaml");
      return r.status === 200
        ? { file: m.file, outcome: "patched" }
        : { file: m.file, outcome: "rejected", detail: message(r.status, r.body) };
    }
    const r = await kube.post(`${collection}?${DRY_RUN}`, m.object);
    return r.status === 201
      ? { file: m.file, outcome: "created" }
      : { file: m.file, outcome: "rejected", detail: message(r.status, r.body) };
  }

  before(async function () {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-blueprint-plan-manifests-e2e-"));
    const out = path.join(workDir, "plan");
    await plan(["--out", out, "--analyzer", "harness", "--quiet"]);
    for (const stack of SHIPPED_STACKS) manifests[stack] = readManifests(path.join(out, stack, "manifests"));
    cluster = startCluster(path.join(workDir, "kube"));
    kube = new KubeApi(cluster);
  });

  after(function () {
    if (cluster) cluster.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("accepts every manifest of every shipped stack", async () => {
    const started = Date.now();
    const results: Record<string, Submitted[]> = {};
    // Every stack's namespaces are dry-run before any exists (stacks share `coder`), then created.
    const namespaces = new Map<string, ManifestObject>();
    for (const stack of SHIPPED_STACKS) {
      results[stack] = [];
      for (const m of manifests[stack].filter((n) => n.object.kind === "Namespace")) {
        results[stack].push(await submit(m));
        if (!namespaces.has(m.object.metadata.name)) namespaces.set(m.object.metadata.name, m.object);
      }
    }
    for (const ns of namespaces.values()) {
      const created = await kube.post("/api/v1/namespaces", ns);
      assert.strictEqual(
        created.status,
        201,
        `namespace ${ns.metadata.name}: ${message(created.status, created.body)}`,
      );
    }
    for (const stack of SHIPPED_STACKS) {
      for (const m of manifests[stack].filter((n) => n.object.kind !== "Namespace")) {
        results[stack].push(await submit(m));
      }
    }

    const count = (stack: string, outcome: Outcome) => results[stack].filter((r) => r.outcome === outcome).length;
    for (const stack of SHIPPED_STACKS) {
      console.log(
        `      ${stack}: ${manifests[stack].length} manifests; ${count(stack, "created")} created and ` +
          `${count(stack, "patched")} patched (dry-run), ${count(stack, "skipped")} skipped, ` +
          `${count(stack, "rejected")} rejected`,
      );
      for (const r of results[stack].filter((s) => s.outcome === "skipped")) {
        console.log(`        skipped ${r.file}: ${r.detail}`);
      }
      for (const m of manifests[stack]) {
        for (const p of redactions(m.object)) console.log(`        placeholder in ${m.file}: ${p}`);
      }
    }
    console.log(`      submitted in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const rejected = SHIPPED_STACKS.flatMap((stack) =>
      results[stack].filter((r) => r.outcome === "rejected").map((r) => `${stack}/${r.file}: ${r.detail}`),
    );
    assert.deepStrictEqual(rejected, [], "manifests the API server rejects");
    for (const stack of SHIPPED_STACKS) {
      assert.strictEqual(results[stack].length, manifests[stack].length, `${stack}: a manifest was not submitted`);
      assert.ok(count(stack, "created") > 0 && count(stack, "patched") > 0, `${stack}: nothing was dry-run`);
    }
  });

  // The check can fail: the same submission reports what the API server refuses, with the file's name.
  it("reports a manifest the API server refuses, by file, with the API server's message", async () => {
    const policy = manifests.local.find((m) => m.object.kind === "NetworkPolicy")!;
    const spec = policy.object.spec as Record<string, unknown>;
    const broken: Manifest[] = [
      { file: "bad-policy-type.yaml", object: { ...policy.object, spec: { ...spec, policyTypes: ["Sideways"] } } },
      { file: "unknown-field.yaml", object: { ...policy.object, spec: { ...spec, podSelectr: {} } } },
    ];
    const results = await Promise.all(broken.map(submit));
    assert.deepStrictEqual(
      results.map((r) => [r.file, r.outcome]),
      broken.map((b) => [b.file, "rejected"]),
    );
    assert.match(results[0].detail!, /policyTypes/);
    assert.match(results[1].detail!, /podSelectr/);
  });
});
