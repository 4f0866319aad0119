// Cluster administrators as EKS access entries: scoped policies, cluster-admin for the break-glass role alone.
import * as assert from "assert";
import { accessGrants, ClusterAdmin } from "../components/aws/cluster/access";

const BREAK_GLASS = "arn:aws:iam::111122223333:role/break-glass";
const OPS = "arn:aws:iam::111122223333:role/teams/ops/Operators";

describe("cluster access grants", () => {
  it("scopes admin, edit and view to namespaces or the cluster", () => {
    const grants = accessGrants([
      { principalArn: OPS, access: "edit", namespaces: ["coder"] },
      { principalArn: "arn:aws:iam::111122223333:user/alice@example.com", access: "view" },
    ]);
    assert.deepStrictEqual(grants, [
      {
        key: "role-111122223333-Operators",
        principalArn: OPS,
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
        accessScope: { type: "namespace", namespaces: ["coder"] },
      },
      {
        key: "user-111122223333-alice-example-com",
        principalArn: "arn:aws:iam::111122223333:user/alice@example.com",
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        accessScope: { type: "cluster" },
      },
    ]);
  });

  it("writes the access policy ARN in the principal's partition", () => {
    const [grant] = accessGrants([{ principalArn: "arn:aws-us-gov:iam::111122223333:role/ops", access: "admin" }]);
    assert.strictEqual(grant.policyArn, "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy");
  });

  it("gives cluster-admin, at cluster scope, to the named break-glass role", () => {
    const [grant] = accessGrants([{ principalArn: BREAK_GLASS, access: "cluster-admin" }], BREAK_GLASS);
    assert.strictEqual(grant.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
    assert.deepStrictEqual(grant.accessScope, { type: "cluster" });
  });

  it("refuses cluster-admin for anyone else, or when no break-glass role is named", () => {
    const ops: ClusterAdmin = { principalArn: OPS, access: "cluster-admin" };
    assert.throws(() => accessGrants([ops], BREAK_GLASS), /reserved for the break-glass role .*break-glass/);
    assert.throws(
      () => accessGrants([{ principalArn: BREAK_GLASS, access: "cluster-admin" }]),
      /reserved for the break-glass role, and none is named/,
    );
  });

  it("refuses a break-glass principal that is not a role, and cluster-admin limited to namespaces", () => {
    const user = "arn:aws:iam::111122223333:user/root-ish";
    assert.throws(() => accessGrants([], user), /must be an IAM role ARN/);
    assert.throws(
      () => accessGrants([{ principalArn: BREAK_GLASS, access: "cluster-admin", namespaces: ["x"] }], BREAK_GLASS),
      /whole cluster/,
    );
  });

  it("refuses duplicates, malformed ARNs and namespace lists", () => {
    const view: ClusterAdmin = { principalArn: OPS, access: "view" };
    assert.throws(() => accessGrants([view, { ...view, access: "edit" }]), /listed twice/);
    assert.throws(() => accessGrants([{ principalArn: "arn:aws:iam::1:role/x", access: "view" }]), /not an IAM role/);
    assert.throws(() => accessGrants([{ ...view, principalArn: "*" }]), /not an IAM role/);
    // The whole text is the ARN: nothing before it, nothing after the name.
    for (const padded of [`x${OPS}`, `${OPS} `, `${OPS}/*`, `${OPS}\n`])
      assert.throws(() => accessGrants([{ ...view, principalArn: padded }]), /not an IAM role/, JSON.stringify(padded));
    assert.throws(() => accessGrants([{ ...view, namespaces: [] }]), /empty namespace list/);
    assert.throws(() => accessGrants([{ ...view, namespaces: ["Coder_NS"] }]), /invalid namespace names Coder_NS/);
    assert.throws(() => accessGrants([{ ...view, access: "owner" as never }]), /unknown access "owner"/);
  });

  it("names every invalid namespace of a principal in one refusal, keeping the valid ones out of it", () => {
    const admin: ClusterAdmin = { principalArn: OPS, access: "edit", namespaces: ["Coder_NS", "coder", "-ws"] };
    assert.throws(() => accessGrants([admin]), {
      message: `${OPS}: invalid namespace names Coder_NS, -ws`,
    });
  });
});
