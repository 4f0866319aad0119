import * as assert from "assert";
import { unapprovedMutatingWebhook } from "../policies/kubernetes/unapproved-mutating-webhook";
import { expectPass, expectNameListRefusesBadEntries, expectViolation } from "./expect";
import { defaultSettings } from "./harness/policy-config";
import { resource } from "./fixtures/resources";

const webhook = (name: string, version = "v1", patch = false) =>
  resource(
    `kubernetes:admissionregistration.k8s.io/${version}:MutatingWebhookConfiguration${patch ? "Patch" : ""}`,
    "w",
    {
      metadata: { name },
      webhooks: [{ name: `${name}.example.com`, rules: [{ operations: ["CREATE"], resources: ["pods"] }] }],
    },
  );
const APPROVED = {
  config: { "unapproved-mutating-webhook": { approvedMutatingWebhooks: ["aws-load-balancer-webhook"] } },
};

describe("unapproved-mutating-webhook", () => {
  it("passes a webhook named in the allowlist", async () => {
    await expectPass(unapprovedMutatingWebhook, webhook("aws-load-balancer-webhook"), APPROVED);
  });

  it("fails any webhook by default, in v1, v1beta1 and as a patch, and one not on the list", async () => {
    for (const w of [
      webhook("pod-injector"),
      webhook("pod-injector", "v1beta1"),
      webhook("pod-injector", "v1", true),
    ]) {
      await expectViolation(
        unapprovedMutatingWebhook,
        w,
        "MutatingWebhookConfiguration",
        /can rewrite every object it matches/,
      );
    }
    await expectViolation(
      unapprovedMutatingWebhook,
      webhook("pod-injector"),
      'MutatingWebhookConfiguration "pod-injector"',
      /approvedMutatingWebhooks/,
      APPROVED,
    );
  });

  // An empty entry names no object, and a number is no name: both are slips in the settings.
  it("refuses an empty or non-string approvedMutatingWebhooks entry before judging anything", () => {
    expectNameListRefusesBadEntries(unapprovedMutatingWebhook, "approvedMutatingWebhooks", "aws-load-balancer-webhook");
  });

  // No webhook is approved until a stack's settings name one.
  it("starts from an empty approvedMutatingWebhooks: the engine approves no webhook by default", () => {
    assert.deepStrictEqual(defaultSettings(unapprovedMutatingWebhook), { approvedMutatingWebhooks: [] });
  });

  it("fails a webhook that names itself nowhere", async () => {
    await expectViolation(
      unapprovedMutatingWebhook,
      resource("kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfigurationPatch", "w", { webhooks: [] }),
      "MutatingWebhookConfigurationPatch",
      /can rewrite every object it matches after the pack has judged it/,
      APPROVED,
    );
  });
});
