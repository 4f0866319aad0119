import * as assert from "assert";
import { internetFacingReason, patchedSchemeReason } from "../../lib/exposure";

const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";
const TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";
const IN_TREE_DEFAULT = "the in-tree controller creates an internet-facing load balancer by default";

describe("lib/exposure patchedSchemeReason", () => {
  it("passes a patch that asks for internal in either controller's form", () => {
    assert.strictEqual(patchedSchemeReason({ [SCHEME]: "internal" }), undefined);
    for (const internal of ["true", true, "0.0.0.0/0"]) {
      assert.strictEqual(patchedSchemeReason({ [INTERNAL]: internal }), undefined);
    }
  });

  for (const internal of ["false", false, ""]) {
    it(`fails ${JSON.stringify(internal)} for ${INTERNAL}, which the in-tree controller reads as internet-facing`, () => {
      assert.strictEqual(
        patchedSchemeReason({ [INTERNAL]: internal }),
        `its ${INTERNAL} is ${JSON.stringify(internal)}`,
      );
    });
  }

  it("names the scheme annotation when both are set", () => {
    assert.strictEqual(
      patchedSchemeReason({ [SCHEME]: "internet-facing", [INTERNAL]: "false" }),
      `its ${SCHEME} is "internet-facing"`,
    );
  });
});

describe("lib/exposure internetFacingReason", () => {
  describe("the AWS Load Balancer Controller", () => {
    const controller = { [TYPE]: "external" };

    for (const internal of ["true", true]) {
      it(`passes ${INTERNAL}: ${JSON.stringify(internal)} without a scheme`, () => {
        assert.strictEqual(internetFacingReason({ ...controller, [INTERNAL]: internal }, undefined), undefined);
      });
    }

    it("fails an internet-facing scheme even with the in-tree internal annotation", () => {
      assert.strictEqual(
        internetFacingReason({ ...controller, [SCHEME]: "internet-facing", [INTERNAL]: "true" }, undefined),
        'its scheme is "internet-facing"',
      );
    });

    it("fails an internal annotation it does not read as true", () => {
      assert.strictEqual(
        internetFacingReason({ ...controller, [INTERNAL]: "0.0.0.0/0" }, "service.k8s.aws/nlb"),
        "the AWS Load Balancer Controller gets no internal-scheme annotation",
      );
    });
  });

  describe("the in-tree controller", () => {
    it("passes any internal annotation but false", () => {
      for (const internal of ["true", true, "0.0.0.0/0"]) {
        assert.strictEqual(internetFacingReason({ [INTERNAL]: internal }, undefined), undefined);
      }
    });

    for (const internal of ["false", false, ""]) {
      it(`fails ${INTERNAL}: ${JSON.stringify(internal)}`, () => {
        assert.strictEqual(internetFacingReason({ [INTERNAL]: internal }, undefined), IN_TREE_DEFAULT);
      });
    }
  });
});
