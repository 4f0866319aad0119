// Edges of the CIDR spellings policy-pack/contract accepts: text around a valid CIDR, leading zeros, hex
// octets, bare addresses where only a range is allowed. Each row starts from a CIDR the API server accepts
// and changes one thing.
import * as assert from "assert";
import { cidrContains, cidrsOverlap, isCidr, rangesCover } from "../policy-pack/contract";

describe("contract: CIDR text the API server rejects is not a CIDR", () => {
  const rows: Array<[string, string, boolean]> = [
    ["a valid IPv4 CIDR", "10.0.0.0/8", true],
    ["a valid IPv6 CIDR", "fd00::/8", true],
    ["text before the address", "x/10.0.0.0/8", false],
    ["a second prefix after the first", "10.0.0.0/16/8", false],
    ["text after the prefix", "10.0.0.0/8x", false],
    ["text after the IPv6 prefix", "fd00::/8x", false],
    ["a hex last octet", "10.0.0.0x10/32", false],
    ["a hex first octet", "0xa.0.0.0/8", false],
  ];
  for (const [what, text, expected] of rows) {
    it(`${what}: ${text} -> ${expected}`, () => {
      assert.strictEqual(isCidr(text), expected);
    });
  }
});

describe("contract: leading zeros in an octet are decimal", () => {
  // ipaddr.js alone reads "010" as octal 8; the API server reads every leading zero as decimal.
  const rows: Array<[string, string]> = [
    ["10.0.0.10/32", "10.0.0.010/32"],
    ["10.0.0.10/32", "10.0.0.0010/32"],
    ["10.0.0.8/32", "10.0.0.0008/32"],
  ];
  for (const [plain, padded] of rows) {
    it(`${padded} is the same range as ${plain}`, () => {
      assert.strictEqual(cidrContains(plain, padded), true);
      assert.strictEqual(cidrContains(padded, plain), true);
    });
  }
});

describe("contract: containment and overlap take ranges, not bare addresses", () => {
  const rows: Array<[string, (a: string, b: string) => boolean]> = [
    ["cidrContains", cidrContains],
    ["cidrsOverlap", cidrsOverlap],
  ];
  for (const [name, check] of rows) {
    it(`${name} accepts the /32 and throws on the bare address`, () => {
      assert.strictEqual(check("10.0.0.0/8", "10.1.2.3/32"), true);
      assert.throws(() => check("10.0.0.0/8", "10.1.2.3"), /"10\.1\.2\.3" is not a CIDR/);
      assert.throws(() => check("10.1.2.3", "10.0.0.0/8"), /"10\.1\.2\.3" is not a CIDR/);
    });
  }
});

describe("contract: coverage by no usable range", () => {
  const rows: Array<[string, unknown[], boolean]> = [
    ["one range of the family", ["10.0.0.0/8"], true],
    ["no ranges", [], false],
    ["only the other family", ["::/0"], false],
    ["only entries that are not CIDRs", ["10.0.0.0", 10, "everywhere"], false],
  ];
  for (const [what, ranges, expected] of rows) {
    it(`${what} -> ${expected}`, () => {
      assert.strictEqual(rangesCover(ranges, "10.1.2.3"), expected);
    });
  }
});
