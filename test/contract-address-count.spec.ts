// How many addresses of one family a set of NetworkPolicy ipBlocks admits together (addressCount): each
// row starts from blocks the API server accepts and changes one thing about how they overlap, are ordered,
// or are carved out by `except`.
import * as assert from "assert";
import { Block, IpFamily, addressCount } from "../policy-pack/contract";

describe("contract: addressCount counts each admitted address once", () => {
  const rows: Array<[string, Block[], IpFamily, bigint]> = [
    ["one block", [{ cidr: "10.0.0.0/24" }], "ipv4", 256n],
    ["two disjoint blocks in address order", [{ cidr: "10.0.0.0/30" }, { cidr: "10.0.1.0/30" }], "ipv4", 8n],
    ["two disjoint blocks in reverse order", [{ cidr: "10.0.1.0/30" }, { cidr: "10.0.0.0/30" }], "ipv4", 8n],
    [
      "three disjoint blocks, unsorted",
      [{ cidr: "10.0.2.0/30" }, { cidr: "10.0.0.0/30" }, { cidr: "10.0.1.0/31" }],
      "ipv4",
      10n,
    ],
    [
      "four disjoint blocks, unsorted",
      [{ cidr: "10.0.1.0/30" }, { cidr: "10.0.3.0/31" }, { cidr: "10.0.0.0/32" }, { cidr: "10.0.2.0/30" }],
      "ipv4",
      11n,
    ],
    ["the same block twice", [{ cidr: "10.0.0.0/24" }, { cidr: "10.0.0.0/24" }], "ipv4", 256n],
    ["a block nested in an earlier one", [{ cidr: "10.0.0.0/24" }, { cidr: "10.0.0.16/28" }], "ipv4", 256n],
    ["a block nested in a later one", [{ cidr: "10.0.0.128/25" }, { cidr: "10.0.0.0/24" }], "ipv4", 256n],
    ["adjacent blocks", [{ cidr: "10.0.0.0/25" }, { cidr: "10.0.0.128/25" }], "ipv4", 256n],
    [
      // The carved block's remainder [10.0.0.1, 10.0.0.3] starts on the last address of 10.0.0.0/31.
      "a remainder that starts on the last address of another block",
      [{ cidr: "10.0.0.0/31" }, { cidr: "10.0.0.0/30", except: ["10.0.0.0/32"] }],
      "ipv4",
      4n,
    ],
    [
      // 10.0.0.0/24 less 10.0.0.64/28 leaves [.0, .63] and [.80, .255]; 10.0.0.64/27 overlaps the second.
      "a block that overlaps part of another block's remainder",
      [{ cidr: "10.0.0.0/24", except: ["10.0.0.64/28"] }, { cidr: "10.0.0.64/27" }],
      "ipv4",
      256n,
    ],
    ["an except inside the block", [{ cidr: "10.0.0.0/24", except: ["10.0.0.0/25"] }], "ipv4", 128n],
    ["an except in the middle", [{ cidr: "10.0.0.0/24", except: ["10.0.0.64/26"] }], "ipv4", 192n],
    [
      "two excepts, each cutting a different remainder",
      [{ cidr: "10.0.0.0/24", except: ["10.0.0.64/26", "10.0.0.0/26"] }],
      "ipv4",
      128n,
    ],
    ["an except outside the block", [{ cidr: "10.0.0.0/24", except: ["10.0.1.0/24"] }], "ipv4", 256n],
    [
      "an except outside the block after one inside it",
      [{ cidr: "10.0.0.0/24", except: ["10.0.0.0/26", "192.168.0.0/16"] }],
      "ipv4",
      192n,
    ],
    ["an except covering the whole block", [{ cidr: "10.0.0.0/24", except: ["10.0.0.0/16"] }], "ipv4", 0n],
    [
      "an except carves only its own block",
      [{ cidr: "10.0.0.0/25", except: ["10.0.1.0/24"] }, { cidr: "10.0.1.0/25" }],
      "ipv4",
      256n,
    ],
    ["an IPv6 except on an IPv4 block", [{ cidr: "10.0.0.0/24", except: ["::/0"] }], "ipv4", 256n],
    ["an IPv4 except on an IPv6 block", [{ cidr: "fd00::/120", except: ["0.0.0.0/0"] }], "ipv6", 256n],
    ["an except that is not a CIDR", [{ cidr: "10.0.0.0/24", except: ["10.0.0.0", 7, "10.0.0.0/33"] }], "ipv4", 256n],
    ["a block that is not a CIDR", [{ cidr: "10.0.0.1" }, { cidr: 10 }, { cidr: "10.0.0.0/30" }], "ipv4", 4n],
    ["a block without a cidr", [{ except: ["10.0.0.0/24"] }], "ipv4", 0n],
    ["no blocks", [], "ipv4", 0n],
    ["an IPv6 block, counting IPv4", [{ cidr: "fd00::/120" }, { cidr: "10.0.0.0/30" }], "ipv4", 4n],
    ["an IPv4 block, counting IPv6", [{ cidr: "10.0.0.0/24" }, { cidr: "fd00::/126" }], "ipv6", 4n],
    ["everywhere in IPv4", [{ cidr: "0.0.0.0/0" }, { cidr: "::/0" }], "ipv4", 2n ** 32n],
    ["everywhere in IPv6", [{ cidr: "0.0.0.0/0" }, { cidr: "::/0" }], "ipv6", 2n ** 128n],
    [
      "IPv6 blocks, unsorted and overlapping, with an except",
      [{ cidr: "fd00::100/120" }, { cidr: "fd00::/119", except: ["fd00::/121"] }, { cidr: "fd00::80/122" }],
      "ipv6",
      384n,
    ],
  ];
  for (const [what, blocks, family, expected] of rows) {
    it(`${what}: ${JSON.stringify(blocks)} (${family}) -> ${expected}`, () => {
      assert.strictEqual(addressCount(blocks, family), expected);
    });
  }
});

describe("contract: addressCount takes out excepts that cover or straddle what is left", () => {
  // Both excepts are strict subsets of the block, as the API server requires; the second contains the first,
  // so it covers one remainder and overlaps the start of the other.
  const rows: Array<[string, Block[], bigint]> = [
    [
      "a later except containing an earlier one",
      [{ cidr: "10.0.0.0/24", except: ["10.0.0.64/28", "10.0.0.64/26"] }],
      192n,
    ],
    [
      "a later except containing two earlier ones",
      [{ cidr: "10.0.0.0/24", except: ["10.0.0.0/27", "10.0.0.64/27", "10.0.0.0/25"] }],
      128n,
    ],
    ["the same except twice", [{ cidr: "10.0.0.0/24", except: ["10.0.0.0/25", "10.0.0.0/25"] }], 128n],
    ["an except on the block's last address", [{ cidr: "10.0.0.0/30", except: ["10.0.0.3/32"] }], 3n],
    ["an except on the block's first address", [{ cidr: "10.0.0.0/30", except: ["10.0.0.0/32"] }], 3n],
    ["the block itself as its except", [{ cidr: "10.0.0.0/24", except: ["10.0.0.0/24"] }], 0n],
  ];
  for (const [what, blocks, expected] of rows) {
    it(`${what}: ${JSON.stringify(blocks)} -> ${expected}`, () => {
      assert.strictEqual(addressCount(blocks, "ipv4"), expected);
    });
  }
});
