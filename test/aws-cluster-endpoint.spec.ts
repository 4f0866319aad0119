// Who reaches the EKS API: the endpoint settings and the extra 443 rule, with the contract's set coverage.
import * as assert from "assert";
import { apiIngress, checkApiCidrs, endpointAccess } from "../components/aws/cluster/endpoint";

describe("cluster API endpoint access", () => {
  it("is private only unless public CIDRs are listed", () => {
    assert.deepStrictEqual(endpointAccess(), { endpointPrivateAccess: true, endpointPublicAccess: false });
    assert.deepStrictEqual(endpointAccess([]), { endpointPrivateAccess: true, endpointPublicAccess: false });
    assert.deepStrictEqual(endpointAccess(["198.51.100.7/32"]), {
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["198.51.100.7/32"],
    });
  });

  it("refuses lists that cover a whole address family, however they are split", () => {
    assert.throws(
      () => endpointAccess(["0.0.0.0/0"]),
      (e: Error) => e.message.startsWith("publicAccessCidrs together cover 0.0.0.0/0, "),
    );
    const quarters = ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"];
    assert.throws(() => endpointAccess(quarters), /cover 0\.0\.0\.0\/0/);
    assert.doesNotThrow(() => endpointAccess(quarters.slice(0, 3)));
    assert.throws(
      () => checkApiCidrs("publicApiCidrs", ["::/1", "8000::/1"]),
      (e: Error) =>
        e.message ===
        "publicApiCidrs together cover ::/0, which opens the Kubernetes API to the internet; " +
          "list only your administrators' networks",
    );
  });

  it("refuses entries that are not CIDRs", () => {
    assert.throws(() => endpointAccess(["203.0.113.5"]), /203\.0\.113\.5 is not a CIDR/);
    assert.throws(() => endpointAccess(["a/8", "b/8"]), /a\/8, b\/8 are not CIDRs/);
  });

  it("opens 443 alone to the listed networks, split by family", () => {
    assert.deepStrictEqual(apiIngress(["10.8.0.0/16", "2001:db8::/48"]), {
      description: "Kubernetes API from the listed administrator networks",
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrBlocks: ["10.8.0.0/16"],
      ipv6CidrBlocks: ["2001:db8::/48"],
    });
    assert.throws(() => apiIngress(["0.0.0.0/1", "128.0.0.0/1"]), /privateApiCidrs together cover/);
  });
});
