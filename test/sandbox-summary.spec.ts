// The sandbox's account of a deployed stack, from the state `pulumi stack export` gives.
import * as assert from "assert";
import { formatSummary, summarizeState } from "../scripts/sandbox/summary";
import { formatDuration, pathFromExports, toolLogLine } from "../scripts/sandbox/toolchain";

const resource = (type: string, name?: string) => ({
  urn: `urn:pulumi:local::coder-blueprint::${type}::${name ?? type}`,
  type,
  outputs: name ? { metadata: { name } } : {},
});

describe("sandbox summary", () => {
  const exported = {
    version: 3,
    deployment: {
      resources: [
        resource("pulumi:pulumi:Stack"),
        resource("pulumi:providers:kubernetes"),
        resource("kubernetes:core/v1:Namespace", "coder-workspaces"),
        resource("kubernetes:core/v1:Namespace", "coder"),
        resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "default-deny-all"),
        resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "default-deny-all"),
        resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "allow-dns"),
        resource("coder-blueprint:namespaces:Namespaces"),
      ],
    },
  };

  it("counts what the stack created by type, most frequent first, without the stack and providers", () => {
    const summary = summarizeState(exported);
    assert.strictEqual(summary.total, 6);
    assert.deepStrictEqual(summary.byType, [
      ["kubernetes:networking.k8s.io/v1:NetworkPolicy", 3],
      ["kubernetes:core/v1:Namespace", 2],
      ["coder-blueprint:namespaces:Namespaces", 1],
    ]);
    assert.deepStrictEqual(summary.namespaces, ["coder", "coder-workspaces"]);
  });

  it("prints the namespaces and an aligned table", () => {
    assert.deepStrictEqual(formatSummary(summarizeState(exported)), [
      "namespaces: coder, coder-workspaces",
      "6 resources by type:",
      "  3  kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "  2  kubernetes:core/v1:Namespace",
      "  1  coder-blueprint:namespaces:Namespaces",
    ]);
  });

  it("says so when the stack holds nothing", () => {
    assert.deepStrictEqual(summarizeState({ version: 3, deployment: {} }), { total: 0, byType: [], namespaces: [] });
    assert.deepStrictEqual(formatSummary(summarizeState({})), ["namespaces: none", "0 resources by type:"]);
  });

  it("reads the toolchain's PATH entries from the line e2e-tools.sh prints", () => {
    const text = `# generated\nexport E2E_CACHE='/c'\nexport PATH='/c/pulumi-3:/c/etcd-3':"$PATH"\n`;
    assert.strictEqual(pathFromExports(text), "/c/pulumi-3:/c/etcd-3");
    assert.strictEqual(pathFromExports("export PATH=/usr/bin"), undefined);
  });

  it("follows e2e-tools.sh's log: which tool, what it does; go's own lines are not steps", () => {
    assert.deepStrictEqual(toolLogLine("[e2e-tools 12:34:56] kube-apiserver: building in /c/tmp/x"), {
      tool: "kube-apiserver",
      message: "building in /c/tmp/x",
    });
    assert.deepStrictEqual(toolLogLine("[e2e-tools 00:00:01] language-nodejs: cached /c/host"), {
      tool: "language-nodejs",
      message: "cached /c/host",
    });
    assert.strictEqual(toolLogLine("go: downloading k8s.io/api v0.36.3"), undefined);
    assert.strictEqual(toolLogLine("[kube-up] starting etcd"), undefined);
  });

  it("prints durations as seconds, then minutes and padded seconds", () => {
    assert.deepStrictEqual([0.4, 59.4, 60, 125, 3725].map(formatDuration), ["0s", "59s", "1m00s", "2m05s", "62m05s"]);
  });
});
