import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { bindingJudge, bindingTarget, NAME_LABEL, nameOf } from "../../lib/admission";
import { Props } from "../../lib/policy";
import { isUnknownValueError, UnknownValueError } from "../../lib/unknowns";

const WORKSPACES = new Map([[NAME_LABEL, "coder-workspaces"]]);

/** A binding as the analyzer hands it over; `props` may hold getters that throw, as the SDK's proxy does. */
const resource = (props: Props, name = "pulumi-name"): PolicyResource => ({ props, name }) as unknown as PolicyResource;

// The SDK's proxy throws this for a value unknown during preview (its constructor takes the sentinel and path).
const Unknown = UnknownValueError as unknown as new (sentinel: string, path: string[]) => Error;
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** An object whose `key` is unknown during preview. */
function unknownAt(key: string, rest: Props = {}): Props {
  return Object.defineProperty({ ...rest }, key, {
    enumerable: true,
    get: () => {
      throw new Unknown(UNKNOWN_SENTINEL, [key]);
    },
  });
}

function compliantBinding(): Props {
  return {
    metadata: { name: "coder-workspace-pods" },
    spec: {
      policyName: "coder-workspace-pods",
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchLabels: { [NAME_LABEL]: "coder-workspaces" } } },
    },
  };
}

describe("lib/admission nameOf", () => {
  it("is metadata.name, else the Pulumi name when metadata is absent or its name unknown", () => {
    assert.strictEqual(nameOf(resource(compliantBinding())), "coder-workspace-pods");
    assert.strictEqual(nameOf(resource({})), "pulumi-name");
    assert.strictEqual(nameOf(resource({ metadata: unknownAt("name") })), "pulumi-name");
  });
});

describe("lib/admission bindingTarget", () => {
  it("is spec.policyName", () => {
    const props = compliantBinding();
    props.metadata.name = "renamed-binding";
    assert.strictEqual(bindingTarget(resource(props)), "coder-workspace-pods");
  });

  it("is metadata.name when the binding has no spec, or its policyName is unknown during preview", () => {
    assert.strictEqual(bindingTarget(resource({ metadata: { name: "coder-workspace-pods" } })), "coder-workspace-pods");
    const props = compliantBinding();
    props.spec = unknownAt("policyName", props.spec);
    assert.strictEqual(bindingTarget(resource(props)), "coder-workspace-pods");
  });

  it("is empty when neither names a policy", () => {
    assert.strictEqual(bindingTarget(resource({})), "");
    assert.strictEqual(bindingTarget(resource({ spec: {} })), "");
  });

  it("lets an error other than an unknown value through", () => {
    const props = compliantBinding();
    Object.defineProperty(props.spec, "policyName", {
      get: () => {
        throw new TypeError("broken");
      },
    });
    assert.throws(() => bindingTarget(resource(props)), TypeError);
  });
});

describe("lib/admission bindingJudge", () => {
  const judged = (change: (p: Props) => void) => {
    const props = compliantBinding();
    change(props);
    return bindingJudge(resource(props), false)(WORKSPACES);
  };

  it("passes a Deny binding selecting the namespace by name", () => {
    assert.strictEqual(
      judged(() => undefined),
      undefined,
    );
  });

  it("fails an objectSelector", () => {
    assert.strictEqual(
      judged((p) => (p.spec.matchResources.objectSelector = { matchLabels: { checked: "yes" } })),
      'binding "coder-workspace-pods": its matchResources.objectSelector checks only objects carrying its labels, ' +
        "so others are admitted unchecked",
    );
  });

  it("fails resourceRules, and passes an empty list of them", () => {
    assert.strictEqual(
      judged((p) => (p.spec.matchResources.resourceRules = [])),
      undefined,
    );
    assert.strictEqual(
      judged((p) => (p.spec.matchResources.resourceRules = [{ resources: ["pods"], operations: ["CREATE"] }])),
      'binding "coder-workspace-pods": its matchResources.resourceRules narrow the objects the policy checks',
    );
  });

  it("throws the unknown value when the namespaceSelector is unknown during preview", () => {
    const props = compliantBinding();
    props.spec.matchResources = unknownAt("namespaceSelector");
    const judge = bindingJudge(resource(props), false);
    assert.throws(() => judge(WORKSPACES), isUnknownValueError);
  });

  it("reports a known failure over an unknown namespaceSelector", () => {
    const props = compliantBinding();
    props.spec.validationActions = ["Warn"];
    props.spec.matchResources = unknownAt("namespaceSelector");
    assert.match(String(bindingJudge(resource(props), false)(WORKSPACES)), /do not include Deny/);
  });

  it("lets an error other than an unknown value in the namespaceSelector through at once", () => {
    const props = compliantBinding();
    Object.defineProperty(props.spec.matchResources, "namespaceSelector", {
      get: () => {
        throw new TypeError("broken");
      },
    });
    assert.throws(() => bindingJudge(resource(props), false), TypeError);
  });
});
