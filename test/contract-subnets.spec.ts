// Subnet sizing and carving from policy-pack/contract, which the AWS network layer uses for every CIDR it
// computes.
import * as assert from "assert";
import { cidrSize, networkOf, prefixSize, smallestPrefixHolding, subnetCidrs } from "../policy-pack/contract";

describe("contract: subnet sizes", () => {
  it("counts the addresses of a range and of a prefix length", () => {
    assert.strictEqual(cidrSize("10.0.0.0/16"), 65536n);
    assert.strictEqual(cidrSize("10.0.0.0/28"), 16n);
    assert.strictEqual(cidrSize("10.0.0.1/32"), 1n);
    assert.strictEqual(cidrSize("fd00::/64"), 18446744073709551616n);
    assert.strictEqual(prefixSize(19), 8192n);
    assert.strictEqual(prefixSize(120, "ipv6"), 256n);
  });

  it("normalises host bits away", () => {
    assert.strictEqual(networkOf("10.0.3.7/22"), "10.0.0.0/22");
  });

  it("finds the smallest block holding a number of addresses, with AWS's 5 reserved per subnet", () => {
    // 4091 usable in a /20 (4096 - 5); one more needs a /19.
    assert.strictEqual(smallestPrefixHolding(4091, 5), 20);
    assert.strictEqual(smallestPrefixHolding(4092, 5), 19);
    assert.strictEqual(smallestPrefixHolding(256), 24);
    assert.strictEqual(smallestPrefixHolding(257), 23);
    assert.strictEqual(smallestPrefixHolding(0), 32);
    assert.strictEqual(smallestPrefixHolding(2 ** 32 + 1), undefined);
  });
});

describe("contract: carving subnets", () => {
  it("takes consecutive equal subnets from the start of the range", () => {
    assert.deepStrictEqual(subnetCidrs("10.0.0.0/16", 19, 3), ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
  });

  it("skips subnets so two slices of one range never overlap", () => {
    assert.deepStrictEqual(subnetCidrs("10.0.0.0/16", 19, 2, 6), ["10.0.192.0/19", "10.0.224.0/19"]);
  });

  it("starts from the network address when the parent has host bits set", () => {
    assert.deepStrictEqual(subnetCidrs("100.64.7.0/16", 18, 1), ["100.64.0.0/18"]);
  });

  it("refuses more subnets than fit, and prefixes shorter than the parent's", () => {
    assert.throws(() => subnetCidrs("10.0.0.0/16", 19, 9), /holds 8 \/19 subnets; 9 are needed/);
    assert.throws(() => subnetCidrs("10.0.0.0/16", 19, 2, 7), /holds 8 \/19 subnets; 9 are needed/);
    assert.throws(() => subnetCidrs("10.0.0.0/16", 15, 1), /prefix must be 16\.\.32/);
  });
});
