// The pure parts of the e2e check that submits the plan's manifests to the API server with server-side
// dry-run (test/e2e/api-dry-run.ts): REST paths from discovery, the placeholders a manifest carries, and the
// platform's objects that the plan's patches change. The API server itself answers in the e2e suite.
import * as assert from "assert";
import { ApiResource, discoveryPath, isPatch, PATCH_TARGETS, redactions, resourcePath } from "./e2e/api-dry-run";
import { SECRET_TEXT, SHAPELESS, UNKNOWN_TEXT } from "../scripts/plan/outputs";

const NETWORKING: ApiResource[] = [
  { name: "networkpolicies", kind: "NetworkPolicy", namespaced: true },
  { name: "networkpolicies/status", kind: "NetworkPolicy", namespaced: true },
  { name: "ingressclasses", kind: "IngressClass", namespaced: false },
];

const policy = (namespace?: string) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "allow-dns", ...(namespace ? { namespace } : {}) },
});

describe("server-side dry-run of the plan's manifests: pure parts", () => {
  it("finds a kind's discovery document in the core group and in named groups", () => {
    assert.strictEqual(discoveryPath("v1"), "/api/v1");
    assert.strictEqual(discoveryPath("storage.k8s.io/v1"), "/apis/storage.k8s.io/v1");
  });

  it("builds the collection and object paths of namespaced and cluster-scoped kinds", () => {
    assert.strictEqual(
      resourcePath(policy("coder"), NETWORKING),
      "/apis/networking.k8s.io/v1/namespaces/coder/networkpolicies",
    );
    assert.strictEqual(
      resourcePath(policy("coder"), NETWORKING, true),
      "/apis/networking.k8s.io/v1/namespaces/coder/networkpolicies/allow-dns",
    );
    // No namespace: the API client's default, as `kubectl apply` would use.
    assert.strictEqual(
      resourcePath(policy(), NETWORKING),
      "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies",
    );
    const ingressClass = { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" } };
    assert.strictEqual(resourcePath(ingressClass, NETWORKING, true), "/apis/networking.k8s.io/v1/ingressclasses/nginx");
  });

  it("has no path for a kind the API server does not serve (a CRD-backed one)", () => {
    const monitor = { apiVersion: "networking.k8s.io/v1", kind: "ServiceMonitor", metadata: { name: "coder" } };
    assert.strictEqual(resourcePath(monitor, NETWORKING), undefined);
    assert.strictEqual(resourcePath(policy("coder"), []), undefined);
  });

  it("names every placeholder field, including base64 ones and maps with no keys", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "coder", annotations: { [SHAPELESS]: "stringData: secret" } },
      data: { "ca.crt": Buffer.from(SECRET_TEXT).toString("base64"), plain: "aGVsbG8=" },
      stringData: {},
      list: [UNKNOWN_TEXT, "x"],
    };
    assert.deepStrictEqual(redactions(secret), [
      `data.ca.crt = base64(${SECRET_TEXT})`,
      `list[0] = ${UNKNOWN_TEXT}`,
      "stringData: secret (submitted as {})",
    ]);
    assert.deepStrictEqual(redactions(policy("coder")), []);
  });

  // That every object the shipped stacks patch has a stand-in is checked against the plans in plan.spec.ts.
  it("knows the plan's patch manifests by name, and builds each stand-in under its own key", () => {
    assert.ok(isPatch("05-patch-storageclass-gp2.yaml"));
    assert.ok(!isPatch("23-storageclass-coder-encrypted-gp3.yaml"));
    assert.ok(!isPatch("patch-notes.yaml"));
    for (const [key, standIn] of Object.entries(PATCH_TARGETS)) {
      const object = standIn("coder");
      assert.strictEqual(`${object.kind}/${object.metadata.name}`, key);
    }
    assert.strictEqual(PATCH_TARGETS["ServiceAccount/default"]("coder-ws").metadata.namespace, "coder-ws");
  });
});
