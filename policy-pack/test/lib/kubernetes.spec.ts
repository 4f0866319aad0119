import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { ROLE_LABEL } from "../../contract";
import { annotationsOf, byNamespace, labelsOf, managedNamespaces, namespaceOf } from "../../lib/kubernetes";
import { Props } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { PreviewGaps } from "../../lib/unknowns";

const resource = (type: string, props: Props): PolicyResource =>
  ({ type, props, name: "r" }) as unknown as PolicyResource;
const withProvider = (props: Props, provider: Props | undefined): Pick<PolicyResource, "props" | "provider"> =>
  ({ props, provider }) as unknown as Pick<PolicyResource, "props" | "provider">;

describe("lib/kubernetes labelsOf, annotationsOf", () => {
  it("are empty without metadata", () => {
    assert.deepStrictEqual(labelsOf({}), {});
    assert.deepStrictEqual(annotationsOf({}), {});
  });
});

describe("lib/kubernetes namespaceOf", () => {
  it("is metadata.namespace, else the provider's namespace, else default", () => {
    const team = { props: { namespace: "team" } };
    assert.strictEqual(namespaceOf(withProvider({ metadata: { namespace: "coder" } }, team)), "coder");
    assert.strictEqual(namespaceOf(withProvider({ metadata: {} }, team)), "team");
    assert.strictEqual(namespaceOf(withProvider({}, undefined)), "default");
  });

  it("is default when the provider has no props, or a namespace that is empty or not a string", () => {
    for (const provider of [{}, { props: {} }, { props: { namespace: "" } }, { props: { namespace: 5 } }]) {
      assert.strictEqual(namespaceOf(withProvider({ metadata: {} }, provider)), "default");
    }
  });
});

describe("lib/kubernetes managedNamespaces", () => {
  const labelled = (type: string, name: string) =>
    resource(type, { metadata: { name, labels: { [ROLE_LABEL]: "workspaces" } } });

  it("holds labelled Namespaces and NamespacePatches, nothing else, and nothing without a name", () => {
    const resources = [
      labelled(K8S.namespace, "coder-workspaces"),
      labelled(K8S.namespacePatch, "existing"),
      labelled(K8S.configMap, "not-a-namespace"),
      resource(K8S.namespace, {}),
      resource(K8S.namespace, { metadata: { labels: { [ROLE_LABEL]: "workspaces" } } }),
    ];
    const gaps = new PreviewGaps();
    assert.deepStrictEqual([...managedNamespaces(resources, gaps).keys()], ["coder-workspaces", "existing"]);
    gaps.settle();
  });
});

describe("lib/kubernetes byNamespace", () => {
  it("groups only the given types", () => {
    const inNs = (type: string) => resource(type, { metadata: { namespace: "coder" } });
    const groups = byNamespace([inNs(K8S.service), inNs(K8S.configMap)], [K8S.service], new PreviewGaps());
    assert.deepStrictEqual(
      [...groups].map(([ns, list]) => [ns, list.map((r) => r.type)]),
      [["coder", [K8S.service]]],
    );
  });
});
