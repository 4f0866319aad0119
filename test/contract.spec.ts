// What the program and the policy pack both read from policy-pack/contract. Where the two former copies
// disagreed, these pin the behaviour kept.
import * as assert from "assert";
import {
  approvedImagePattern,
  cidrContains,
  cidrCovers,
  cidrFamily,
  cidrsOverlap,
  CLOUD_METADATA_CIDR,
  CLOUD_METADATA_CIDR_V6,
  dockerHubSpellings,
  EVERYWHERE,
  isApproved,
  isCidr,
  METADATA_ADDRESSES,
  normalizeImage,
  parseCidr,
  prefixLength,
  rangesCover,
  everywhereCovered,
  versionOf,
} from "../policy-pack/contract";

describe("contract: CIDR parsing", () => {
  it("accepts IPv4 and IPv6 CIDRs", () => {
    for (const c of ["10.0.0.0/16", "0.0.0.0/0", "::/0", "fd00:ec2::254/128", "::ffff:10.0.0.0/104"]) {
      assert.ok(isCidr(c), c);
    }
  });

  it("rejects what the API server rejects: short and hex IPv4, zone indexes, bad prefixes, bare addresses", () => {
    for (const c of ["10/8", "0xa.0.0.0/8", "10.0.0/8", "fe80::1%eth0/64", "10.0.0.0/33", "::/129", "10.0.0.0", "x"]) {
      assert.ok(!isCidr(c), c);
      assert.throws(() => parseCidr(c), /is not a CIDR/);
      assert.strictEqual(prefixLength(c), undefined, c);
    }
  });

  it("reads leading zeros as decimal, as the API server does, never as octal", () => {
    assert.strictEqual(parseCidr("010.0.0.0/8")[0].toString(), "10.0.0.0");
    // Octal would make this 169.254.169.172 and let it past the metadata check.
    assert.ok(cidrCovers("169.254.169.0254/32", METADATA_ADDRESSES[0]));
  });

  it("reports family and prefix length", () => {
    assert.strictEqual(cidrFamily("10.0.0.0/8"), "ipv4");
    assert.strictEqual(cidrFamily("::/0"), "ipv6");
    assert.strictEqual(prefixLength("10.0.0.0/8"), 8);
  });
});

describe("contract: containment and overlap", () => {
  it("contains a range inside, not one that only overlaps or is of the other family", () => {
    assert.ok(cidrContains("10.0.0.0/8", "10.1.0.0/16"));
    assert.ok(cidrContains("10.0.0.0/8", "10.0.0.0/8"));
    assert.ok(!cidrContains("10.1.0.0/16", "10.0.0.0/8"));
    assert.ok(!cidrContains("10.0.0.0/8", "11.0.0.0/16"));
    assert.ok(!cidrContains("::/0", "10.0.0.0/8"));
  });

  it("treats host bits as the network they fall in", () => {
    assert.ok(cidrContains("10.0.0.1/8", "10.200.0.0/16"));
  });

  it("overlaps in either direction, never across families", () => {
    assert.ok(cidrsOverlap("10.0.0.0/8", "10.1.0.0/16"));
    assert.ok(cidrsOverlap("10.1.0.0/16", "10.0.0.0/8"));
    assert.ok(!cidrsOverlap("10.0.0.0/16", "10.1.0.0/16"));
    assert.ok(!cidrsOverlap("0.0.0.0/0", "::/0"));
  });

  it("refuses to compare text that is not a CIDR", () => {
    assert.throws(() => cidrContains("10/8", "10.0.0.0/16"), /is not a CIDR/);
  });
});

describe("contract: set coverage", () => {
  it("sees ranges that only together cover everything", () => {
    assert.ok(rangesCover(["0.0.0.0/1", "128.0.0.0/1"], EVERYWHERE[0]));
    assert.ok(rangesCover(["::/1", "8000::/1"], EVERYWHERE[1]));
    assert.ok(!rangesCover(["0.0.0.0/1", "128.0.0.0/2"], EVERYWHERE[0]));
  });

  it("names each address family that a list covers in full, and only those", () => {
    assert.deepStrictEqual(everywhereCovered(["0.0.0.0/1", "128.0.0.0/1", "::/1"]), ["0.0.0.0/0"]);
    assert.deepStrictEqual(everywhereCovered(["::/0", "10.0.0.0/8"]), ["::/0"]);
    assert.deepStrictEqual(everywhereCovered(["203.0.113.0/24"]), []);
  });

  it("sees the metadata address covered by adjacent or overlapping pieces, and missed by a gap", () => {
    assert.ok(rangesCover(["169.254.169.0/25", "169.254.169.128/25"], METADATA_ADDRESSES[0]));
    assert.ok(rangesCover(["169.254.0.0/16", "169.254.169.0/24"], CLOUD_METADATA_CIDR));
    assert.ok(!rangesCover(["169.254.169.0/25", "169.254.169.128/26"], METADATA_ADDRESSES[0]));
    assert.ok(rangesCover(["fd00::/8"], CLOUD_METADATA_CIDR_V6));
  });

  it("covers a forbidden range only when all of it is covered", () => {
    assert.ok(rangesCover(["10.244.0.0/17", "10.244.128.0/17"], "10.244.0.0/16"));
    assert.ok(!rangesCover(["10.244.0.0/17"], "10.244.0.0/16"));
  });

  it("counts nothing from entries that are not CIDRs, or of the other family", () => {
    assert.ok(!rangesCover([METADATA_ADDRESSES[0], 42, null, "0xa9fea9fe/32"], METADATA_ADDRESSES[0]));
    assert.ok(!rangesCover(["::/0"], METADATA_ADDRESSES[0]));
    assert.ok(!rangesCover([], METADATA_ADDRESSES[0]));
    assert.ok(!cidrCovers("not-a-cidr", METADATA_ADDRESSES[0]));
  });
});

describe("contract: image references", () => {
  it("normalises every Docker Hub spelling to docker.io", () => {
    for (const image of [
      "nginx:1",
      "library/nginx:1",
      "docker.io/nginx:1",
      "docker.io/library/nginx:1",
      "index.docker.io/library/nginx:1",
      "registry-1.docker.io/library/nginx:1",
    ]) {
      assert.strictEqual(normalizeImage(image), "docker.io/library/nginx:1", image);
    }
  });

  it("reads docker.io/nginx as the official image, and docker.io/codercom as a namespace prefix", () => {
    assert.ok(isApproved("docker.io/nginx:1", ["docker.io/library/"]));
    assert.ok(!isApproved("docker.io/nginx:1", ["docker.io/someone/"]));
    assert.ok(isApproved("codercom/enterprise-base:ubuntu", ["docker.io/codercom"]));
    assert.ok(!isApproved("nginx:1", ["docker.io/codercom"]));
  });

  it("approves at a path boundary only", () => {
    assert.ok(isApproved("registry.example.com/coder/x:1", ["registry.example.com"]));
    assert.ok(!isApproved("registry.example.com.evil.io/coder/x:1", ["registry.example.com"]));
    assert.ok(!isApproved("ghcr.io/coder-evil/x:1", ["ghcr.io/coder"]));
    assert.ok(isApproved("registry-1.docker.io/codercom/x:1", ["codercom"]));
  });

  it("spells a Docker Hub prefix every way the runtime resolves, and nothing for other registries", () => {
    assert.deepStrictEqual(dockerHubSpellings("index.docker.io/codercom/"), [
      "docker.io/codercom/",
      "index.docker.io/codercom/",
      "registry-1.docker.io/codercom/",
      "codercom/",
    ]);
    assert.strictEqual(dockerHubSpellings("ghcr.io/coder/"), undefined);
    assert.strictEqual(dockerHubSpellings("docker.io/library/"), undefined);
    assert.strictEqual(dockerHubSpellings("docker.io/"), undefined);
    assert.strictEqual(dockerHubSpellings("docker.io/library/ubuntu/"), undefined, "an official image");
    assert.deepStrictEqual(dockerHubSpellings("docker.io/codercom/library/")?.at(-1), "codercom/library/");
  });
  it("trims blanks around an image and around an allowlist entry, and any trailing slashes of the entry", () => {
    assert.strictEqual(normalizeImage(" nginx:1 "), "docker.io/library/nginx:1");
    assert.ok(isApproved(" ghcr.io/coder/coder:v2 ", [" ghcr.io/coder// "]));
    assert.ok(isApproved("ghcr.io/coder", ["ghcr.io/coder//"]), "the repository itself, without a path below it");
    assert.ok(!isApproved("ghcr.io/coder/x:1", [""]), "an empty entry approves nothing");
    assert.ok(!isApproved("ghcr.io/coder/x:1", [" / "]), "nor does an entry of only a slash");
  });

  it("reads a first component with a dot, a port or named localhost as a registry, and any other as a namespace", () => {
    assert.strictEqual(normalizeImage("localhost/x:1"), "localhost/x:1");
    assert.strictEqual(normalizeImage("localhost:5000/x"), "localhost:5000/x");
    assert.strictEqual(normalizeImage("my.registry/x"), "my.registry/x");
    assert.strictEqual(normalizeImage("localhostx/x"), "docker.io/localhostx/x");
    assert.strictEqual(normalizeImage("codercom/x"), "docker.io/codercom/x");
    assert.strictEqual(normalizeImage("/x"), "docker.io//x", "an empty first component is no registry");
    assert.strictEqual(normalizeImage("docker.io:443/x"), "docker.io:443/x", "another port is another host name");
  });

  it("splits a reference into its tag and digest, a registry port being neither", () => {
    assert.deepStrictEqual(versionOf("nginx"), { tag: undefined, digest: undefined });
    assert.deepStrictEqual(versionOf("nginx:1.27"), { tag: "1.27", digest: undefined });
    assert.deepStrictEqual(versionOf("nginx@sha256:abc"), { tag: undefined, digest: "sha256:abc" });
    assert.deepStrictEqual(versionOf("nginx:1.27@sha256:abc"), { tag: "1.27", digest: "sha256:abc" });
    assert.deepStrictEqual(versionOf("localhost:5000/nginx"), { tag: undefined, digest: undefined });
    assert.deepStrictEqual(versionOf("localhost:5000/nginx:1"), { tag: "1", digest: undefined });
    assert.deepStrictEqual(versionOf("@sha256:abc"), { tag: undefined, digest: "sha256:abc" });
  });

  describe("approvedImagePattern matches, as written, exactly the references isApproved approves", () => {
    // Per allowlist entry: references the runtime resolves under it, then look-alikes that it must refuse.
    const CASES: [string, string[], string[]][] = [
      [
        "ghcr.io/coder/",
        ["ghcr.io/coder/coder:v2", "ghcr.io/coder@sha256:abc", "ghcr.io/coder", "ghcr.io/coder:1"],
        ["ghcr.io/coder-evil/x", "ghcr.io/coderx", "evil.io/ghcr.io/coder/x", "ghcrxio/coder/x", "coder/x"],
      ],
      [
        "registry.example.com",
        ["registry.example.com/x", "registry.example.com:5000/team/x:1", "registry.example.com@x/y"],
        ["registry.example.com", "registry.example.com.evil.io/x", "registry.example.comx/y", "registryxexample.com/x"],
      ],
      [
        "localhost:5000",
        ["localhost:5000/x", "localhost:5000/a/b:1"],
        ["localhost/x", "localhost:50000/x", "localhost:5000"],
      ],
      [
        "docker.io/",
        [
          "nginx",
          "nginx:1",
          "codercom/x",
          "docker.io/x",
          "index.docker.io/codercom/x",
          "registry-1.docker.io/x",
          "docker.io:443/x",
          "docker.io@x/y",
          "a/x",
          "localhos/x",
          "localhostx/x",
          "lOcalhost/x",
          "xocalhost/x",
          "localhosx/x",
          "lx/x",
        ],
        ["ghcr.io/x", "localhost/x", "localhost:5000/x", "my.registry/x", "index.docker.io:443/x", "a.b/x", "a:1/x"],
      ],
      ["index.docker.io", ["ubuntu", "codercom/x", "docker.io/codercom/x"], ["ghcr.io/x", "localhost/x"]],
      [
        "docker.io/codercom/",
        ["codercom/x", "docker.io/codercom/x", "index.docker.io/codercom/x:1", "registry-1.docker.io/codercom/x"],
        ["codercom", "codercom:1", "docker.io/codercom:1", "codercom-evil/x", "evil.io/codercom/x", "xcodercom/x"],
      ],
      // Longer than "library/": no part of the name may pass for an official image's.
      ["docker.io/jetbrains/", ["jetbrains/ide:1", "docker.io/jetbrains/x"], ["jetbrains", "s", "s:1", "docker.io/s"]],
      ["codercom", ["codercom/x", "docker.io/codercom/x:1"], ["codercom", "docker.io/codercom", "codercomx/y"]],
      [
        "docker.io/codercom/enterprise-base",
        [
          "codercom/enterprise-base",
          "codercom/enterprise-base:ubuntu",
          "docker.io/codercom/enterprise-base@sha256:1",
          "codercom/enterprise-base/sub",
        ],
        ["codercom/enterprise-basex", "codercom/x", "enterprise-base", "ghcr.io/codercom/enterprise-base"],
      ],
      [
        "docker.io/library/",
        ["ubuntu", "ubuntu:24.04", "docker.io/ubuntu", "library/ubuntu", "index.docker.io/library/ubuntu@sha256:1"],
        ["codercom/x", "ghcr.io/ubuntu", "localhost/ubuntu", "docker.io/codercom/x", "libraryx/ubuntu"],
      ],
      [
        "docker.io/library/ubuntu",
        ["ubuntu", "ubuntu:24.04", "docker.io/ubuntu@sha256:a", "library/ubuntu", "library/ubuntu/x", "ubuntu@x"],
        ["ubuntu-evil", "ubuntux:1", "ubuntu/x", "nginx", "library/ubuntux", "docker.io/ubuntux"],
      ],
      ["docker.io/my.org/x", ["docker.io/my.org/x/y", "index.docker.io/my.org/x:1"], ["my.org/x/y", "my.org/x"]],
    ];
    for (const [prefix, approved, refused] of CASES) {
      it(`under ${prefix}`, () => {
        const pattern = new RegExp(approvedImagePattern(prefix));
        for (const [images, verdict] of [
          [approved, true],
          [refused, false],
        ] as const) {
          for (const image of images) {
            assert.strictEqual(isApproved(image, [prefix]), verdict, `isApproved(${image})`);
            assert.strictEqual(pattern.test(image), verdict, `${pattern} on ${image}`);
          }
        }
      });
    }

    it("is anchored at the start, and escapes the dots of a registry host", () => {
      assert.match(approvedImagePattern("ghcr.io/coder"), /^\^ghcr\\\.io\/coder/);
      assert.match(approvedImagePattern("registry.example.com"), /^\^registry\\\.example\\\.com/);
    });
  });
});
