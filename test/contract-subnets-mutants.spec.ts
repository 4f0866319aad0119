// Edges of subnet carving and sizing in policy-pack/contract: the bounds of the new prefix, IPv6 parents,
// the error text a caller sees, and the /0 and /128 ends of the prefix search.
import * as assert from "assert";
import { smallestPrefixHolding, subnetCidrs } from "../policy-pack/contract";

describe("contract: the new prefix may run from the parent's prefix to the family's width", () => {
  const rows: Array<[string, number, number, string[]]> = [
    ["10.0.0.0/24", 25, 2, ["10.0.0.0/25", "10.0.0.128/25"]],
    ["10.0.0.0/24", 24, 1, ["10.0.0.0/24"]],
    ["10.0.0.0/24", 32, 2, ["10.0.0.0/32", "10.0.0.1/32"]],
    // ip-num writes IPv6 subnets with every group spelled out.
    ["fd00::/56", 64, 2, ["fd00:0:0:0:0:0:0:0/64", "fd00:0:0:1:0:0:0:0/64"]],
    ["fd00::/127", 128, 2, ["fd00:0:0:0:0:0:0:0/128", "fd00:0:0:0:0:0:0:1/128"]],
  ];
  for (const [parent, prefix, count, expected] of rows) {
    it(`${parent} into ${count} /${prefix}`, () => {
      assert.deepStrictEqual(subnetCidrs(parent, prefix, count), expected);
    });
  }

  const outside: Array<[string, number, string]> = [
    ["10.0.0.0/24", 23, "24..32"],
    ["10.0.0.0/24", 33, "24..32"],
    ["fd00::/56", 129, "56..128"],
  ];
  for (const [parent, prefix, range] of outside) {
    it(`${parent} into /${prefix} throws`, () => {
      const expected = `cannot split ${parent} into /${prefix} subnets (prefix must be ${range})`;
      assert.throws(() => subnetCidrs(parent, prefix, 1), { message: expected });
    });
  }
});

describe("contract: a parent too small for the slice says what was asked", () => {
  it("counts the skipped and the taken subnets", () => {
    assert.throws(() => subnetCidrs("10.0.0.0/24", 26, 3, 2), {
      message: "10.0.0.0/24 holds 4 /26 subnets; 5 are needed (2 skipped, 3 taken)",
    });
  });

  it("counts IPv6 subnets at the IPv6 size", () => {
    assert.throws(() => subnetCidrs("fd00::/62", 64, 5), {
      message: "fd00::/62 holds 4 /64 subnets; 5 are needed (0 skipped, 5 taken)",
    });
  });
});

describe("contract: the smallest prefix holding a count reaches both ends", () => {
  const rows: Array<[number, number, "ipv4" | "ipv6", number | undefined]> = [
    [1, 0, "ipv6", 128],
    [256, 0, "ipv6", 120],
    [2 ** 32, 0, "ipv4", 0],
    [2 ** 31 + 1, 0, "ipv4", 0],
    [2 ** 31, 0, "ipv4", 1],
    [2 ** 32 - 4, 5, "ipv4", undefined],
  ];
  for (const [addresses, reserved, family, expected] of rows) {
    it(`${addresses} ${family} addresses with ${reserved} reserved -> ${expected}`, () => {
      assert.strictEqual(smallestPrefixHolding(addresses, reserved, family), expected);
    });
  }
});
