// The IP capacity plan (components/aws/network/ip-plan.ts), checked against figures worked out by hand.
import * as assert from "assert";
import { addressesPerNode, IpPlanInput, planIpCapacity, renderIpPlan } from "../components/aws/network/ip-plan";

// The shared figures, by hand:
//   3 AZs, one lost -> S = 2 surviving AZs
//   P = 466 workspaces × 1 + 3 coderd + 11 system + 10 nodes × 2 DaemonSet pods = 500 pods
//   per AZ: nodes ceil(10 / 2) = 5, pods ceil(500 / 2) = 250, per node ceil(250 / 5) = 50 (max-pods 110)
//   secondary IPs, ENI size 50 (49 pod slots per ENI), WARM_ENI_TARGET=1:
//     ENIs in use ceil(50 / 49) = 2, one spare -> 3 ENIs, ips = 3 × 49 = 147, ENI primaries ceil(147 / 49) = 3
//     per node 147 + 3 = 150; per AZ 5 × 150 = 750
//   prefix delegation, WARM_PREFIX_TARGET=1:
//     prefixes ceil(50 / 16) = 4, +1 warm = 5, +1 /28 broken by the ENI primary = 6 /28s = 96 addresses
//     per AZ 5 × 96 = 480
//   services: 466 × 1 + 6 others + 1 kubernetes = 473
const base: IpPlanInput = {
  azCount: 3,
  nodeSubnetCidrs: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
  totalWorkspaces: 466,
  coderdReplicas: 3,
  systemPods: 11,
  daemonSetPodsPerNode: 2,
  nodeCount: 10,
  maxPodsPerNode: 110,
  cni: { prefixDelegation: false, eniAddresses: 50 },
  servicesPerWorkspace: 1,
  otherServices: 6,
  serviceCidr: "172.20.0.0/16",
};

// /23 node subnets: 512 addresses. Secondary IPs: 512 - 5 = 507 < 750, short by 243.
// Whole /28s: 512 / 16 = 32, minus the first and last = 30 /28s = 480 addresses: exactly the 480 needed.
const small: IpPlanInput = {
  ...base,
  nodeSubnetCidrs: ["10.0.0.0/23", "10.0.2.0/23", "10.0.4.0/23"],
};

describe("aws ip plan", () => {
  it("fits a roomy plan, with the hand-computed per-AZ figures", () => {
    const plan = planIpCapacity(base);
    assert.strictEqual(plan.fits, true, renderIpPlan(plan));
    assert.deepStrictEqual(plan.problems, []);
    assert.strictEqual(plan.survivingAzs, 2);
    assert.strictEqual(plan.totalPods, 500);
    assert.strictEqual(plan.nodesPerAz, 5);
    assert.strictEqual(plan.podsPerAz, 250);
    assert.strictEqual(plan.podsPerNode, 50);
    assert.strictEqual(plan.addressesPerNode, 150);
    // /19: 8192 - 5 = 8187 available.
    assert.deepStrictEqual(
      plan.subnets.map((s) => [s.az, s.role, s.needed, s.available, s.fits]),
      [
        [0, "nodes and pods", 750, 8187, true],
        [1, "nodes and pods", 750, 8187, true],
        [2, "nodes and pods", 750, 8187, true],
      ],
    );
    // /16 service range: 65536 - 2 = 65534.
    assert.deepStrictEqual(plan.services, { cidr: "172.20.0.0/16", needed: 473, available: 65534, fits: true });
  });

  it("reports the node subnet shortfall and the smallest fixes", () => {
    const plan = planIpCapacity(small);
    assert.strictEqual(plan.fits, false);
    assert.strictEqual(plan.problems.length, 1, renderIpPlan(plan));
    const [problem] = plan.problems;
    assert.strictEqual(problem.shortfall, 243);
    assert.match(problem.message, /nodes and pods need 750 addresses per AZ with one AZ lost/);
    assert.match(problem.message, /AZ 0 10\.0\.0\.0\/23 offers 507/);
    // 750 + 5 = 755 needs 1024 addresses: a /22.
    // Prefix delegation alone fits (480 of 480, see above).
    // Custom networking: a /22 pod subnet per AZ (1024 - 5 = 1019 >= 750); three /22s are 3072 addresses,
    // which only a /20 (4096) holds.
    assert.deepStrictEqual(problem.fixes, [
      "node subnets /23 → /22",
      "turn prefix delegation on (WARM_PREFIX_TARGET=1)",
      "add a 100.64.0.0/20 secondary CIDR with a /22 pod subnet per AZ (custom networking)",
    ]);
  });

  it("fits the same subnets with prefix delegation on, to the last /28", () => {
    const plan = planIpCapacity({ ...small, cni: { prefixDelegation: true } });
    assert.strictEqual(plan.fits, true, renderIpPlan(plan));
    assert.strictEqual(plan.addressesPerNode, 96);
    assert.deepStrictEqual(
      plan.subnets.map((s) => [s.needed, s.available]),
      [
        [480, 480],
        [480, 480],
        [480, 480],
      ],
    );
    // One more warm prefix per node: 7 /28s × 16 = 112 per node, 560 per AZ; 560 + 32 = 592 needs a /22.
    const warmer = planIpCapacity({ ...small, cni: { prefixDelegation: true, warmPrefixTarget: 2 } });
    assert.strictEqual(warmer.fits, false);
    assert.strictEqual(warmer.problems[0].shortfall, 80);
    // Prefix delegation is already on: the fixes are a larger subnet or a pod subnet per AZ (560 + 32 = 592 in a
    // /22; three /22s in a /20), never turning it on again, though the default warm target would fit.
    assert.deepStrictEqual(warmer.problems[0].fixes, [
      "node subnets /23 → /22",
      "add a 100.64.0.0/20 secondary CIDR with a /22 pod subnet per AZ (custom networking)",
    ]);
  });

  it("fits the same node subnets once pods take their addresses from a secondary CIDR", () => {
    const plan = planIpCapacity({
      ...small,
      podSubnetCidrs: ["100.64.0.0/19", "100.64.32.0/19", "100.64.64.0/19"],
    });
    assert.strictEqual(plan.fits, true, renderIpPlan(plan));
    // Node subnets keep only the 5 nodes' primaries per AZ; pod subnets the 750 pod-side addresses.
    assert.deepStrictEqual(
      plan.subnets.filter((s) => s.az === 0).map((s) => [s.role, s.needed, s.available]),
      [
        ["nodes", 5, 507],
        ["pods", 750, 8187],
      ],
    );
    // /24 pod subnets (251) are short by 499, and a /22 fixes them.
    const tight = planIpCapacity({
      ...small,
      podSubnetCidrs: ["100.64.0.0/24", "100.64.1.0/24", "100.64.2.0/24"],
    });
    assert.strictEqual(tight.problems.length, 1);
    assert.strictEqual(tight.problems[0].shortfall, 499);
    assert.deepStrictEqual(tight.problems[0].fixes, ["pod subnets /24 → /22"]);
  });

  it("sizes every AZ for the loss of one: a fourth AZ makes the /23s fit", () => {
    // 4 AZs, S = 3: nodes ceil(10 / 3) = 4, pods ceil(500 / 3) = 167, per node ceil(167 / 4) = 42;
    // ENIs ceil(42 / 49) = 1 + 1 spare = 2, ips 98, + 2 primaries = 100 per node, 400 per AZ <= 507.
    const plan = planIpCapacity({
      ...small,
      azCount: 4,
      nodeSubnetCidrs: [...small.nodeSubnetCidrs, "10.0.6.0/23"],
    });
    assert.strictEqual(plan.fits, true, renderIpPlan(plan));
    assert.deepStrictEqual([plan.nodesPerAz, plan.podsPerAz, plan.podsPerNode], [4, 167, 42]);
    assert.strictEqual(plan.subnets[0].needed, 400);
    // A single AZ cannot be lost at all.
    const single = planIpCapacity({ ...base, azCount: 1, nodeSubnetCidrs: ["10.0.0.0/16"] });
    assert.strictEqual(single.fits, false);
    assert.deepStrictEqual(single.problems[0].fixes, ["azCount 1 → 2"]);
  });

  it("judges the smallest subnet, whichever AZ it is in", () => {
    const plan = planIpCapacity({ ...base, nodeSubnetCidrs: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/24"] });
    assert.strictEqual(plan.fits, false);
    assert.match(plan.problems[0].message, /AZ 2 10\.0\.64\.0\/24 offers 251/);
    // 750 - 251 = 499.
    assert.strictEqual(plan.problems[0].shortfall, 499);
    // Prefix delegation would not help: the /24 offers 224 of the 480 addresses a prefix plan needs.
    assert.deepStrictEqual(plan.problems[0].fixes, [
      "node subnets /24 → /22",
      "add a 100.64.0.0/20 secondary CIDR with a /22 pod subnet per AZ (custom networking)",
    ]);
  });

  it("names every short subnet and sizes the fix for the shortest, wherever it is listed", () => {
    // /25: 128 - 5 = 123 (short by 627); /24: 251 (short by 499). The /25 decides, first or last.
    for (const nodeSubnetCidrs of [
      ["10.0.0.0/25", "10.0.1.0/24", "10.0.64.0/19"],
      ["10.0.1.0/24", "10.0.64.0/19", "10.0.0.0/25"],
    ]) {
      const [problem] = planIpCapacity({ ...base, nodeSubnetCidrs }).problems;
      assert.strictEqual(problem.shortfall, 627, nodeSubnetCidrs.join(" "));
      assert.match(
        problem.message,
        /\(2 AZs hold everything\); AZ \d 10\.0\.\S+ offers \d+, AZ \d 10\.0\.\S+ offers \d+$/,
      );
      assert.match(problem.fixes[0], /^node subnets \/2[45], \/2[45] → \/22$/);
    }
  });

  it("sizes a prefix-delegation subnet fix in whole /28s, the first and last one reserved", () => {
    // 10 pods over 2 nodes, one per surviving AZ: 5 pods, (1 + 1 warm + 1) /28s = 48 addresses per node.
    // A /26 holds 64 / 16 - 2 = 2 whole /28s (32 addresses); 48 + 32 = 80 needs a /25.
    const plan = planIpCapacity({
      ...base,
      cni: { prefixDelegation: true },
      totalWorkspaces: 10,
      coderdReplicas: 0,
      systemPods: 0,
      daemonSetPodsPerNode: 0,
      nodeCount: 2,
      nodeSubnetCidrs: ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26"],
    });
    assert.deepStrictEqual(plan.problems[0].fixes, [
      "node subnets /26 → /25",
      "add a 100.64.0.0/23 secondary CIDR with a /25 pod subnet per AZ (custom networking)",
    ]);
  });

  it("sizes node subnets under custom networking by node primaries alone, prefix delegation or not", () => {
    // 30 nodes, 15 per surviving AZ, in /28 node subnets (16 - 5 = 11): short by 4, and a /27 (27) holds 15.
    const plan = planIpCapacity({
      ...base,
      cni: { prefixDelegation: true },
      nodeCount: 30,
      nodeSubnetCidrs: ["10.0.0.0/28", "10.0.0.16/28", "10.0.0.32/28"],
      podSubnetCidrs: ["100.64.0.0/19", "100.64.32.0/19", "100.64.64.0/19"],
    });
    assert.strictEqual(plan.problems.length, 1, renderIpPlan(plan));
    assert.strictEqual(plan.problems[0].shortfall, 4);
    assert.match(plan.problems[0].message, /^nodes need 15 addresses per AZ/);
    assert.deepStrictEqual(plan.problems[0].fixes, ["node subnets /28 → /27"]);
  });

  it("offers custom networking only while a /16 secondary CIDR holds a pod subnet per AZ", () => {
    const roomy = (totalWorkspaces: number, nodeCount: number) =>
      planIpCapacity({
        ...base,
        totalWorkspaces,
        nodeCount,
        nodeSubnetCidrs: ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
      }).problems[0].fixes;
    // 9,000 addresses per AZ: /18 pod subnets, three of them exactly a /16.
    assert.deepStrictEqual(roomy(6000, 120), [
      "node subnets /20 → /18",
      "add a 100.64.0.0/16 secondary CIDR with a /18 pod subnet per AZ (custom networking)",
    ]);
    // 18,000 per AZ: /17 pod subnets, three of which need a /15, larger than any VPC block.
    assert.deepStrictEqual(roomy(12000, 240), ["node subnets /20 → /17"]);
  });

  it("keeps two AZs apart from one: losing either leaves the other", () => {
    const plan = planIpCapacity({ ...base, azCount: 2, nodeSubnetCidrs: ["10.0.0.0/19", "10.0.32.0/19"] });
    assert.strictEqual(plan.fits, true, renderIpPlan(plan));
    assert.strictEqual(plan.survivingAzs, 1);
    assert.strictEqual(plan.subnets[0].needed, 1500);
    const single = planIpCapacity({ ...base, azCount: 1, nodeSubnetCidrs: ["10.0.0.0/24"] });
    assert.deepStrictEqual(
      single.problems.map((p) => p.message),
      [
        "a single AZ cannot be lost: every address and every node goes with it",
        "nodes and pods need 1500 addresses per AZ with one AZ lost (1 AZs hold everything); " +
          "AZ 0 10.0.0.0/24 offers 251",
      ],
    );
    assert.strictEqual(single.problems[0].shortfall, 1);
  });

  it("proposes no subnet size when no IPv4 subnet could hold the demand", () => {
    // 10^10 workspaces: some 5 × 10^9 addresses per AZ, more than the whole IPv4 space.
    const [, subnets] = planIpCapacity({ ...base, totalWorkspaces: 1e10 }).problems;
    assert.match(subnets.message, /^nodes and pods need \d+ addresses per AZ/);
    assert.deepStrictEqual(subnets.fixes, []);
  });

  it("counts every pod of a workspace", () => {
    // 466 × 2 + 3 + 11 + 20 = 966.
    assert.strictEqual(planIpCapacity({ ...base, podsPerWorkspace: 2 }).totalPods, 966);
  });

  it("counts the minimum IP target alone as replacing the spare ENI", () => {
    // max(50 + 0, 60) = 60 ips + ceil(60 / 49) = 2 primaries.
    assert.strictEqual(addressesPerNode({ prefixDelegation: false, eniAddresses: 50, minimumIpTarget: 60 }, 50), 62);
  });

  it("counts WARM_IP_TARGET / MINIMUM_IP_TARGET instead of a spare ENI", () => {
    // max(50 + 5, 60) = 60 ips, ENI primaries ceil(60 / 49) = 2 -> 62 per node.
    assert.strictEqual(
      addressesPerNode({ prefixDelegation: false, eniAddresses: 50, warmIpTarget: 5, minimumIpTarget: 60 }, 50),
      62,
    );
    // 5 × 62 = 310 <= 507.
    const plan = planIpCapacity({ ...small, cni: { prefixDelegation: false, eniAddresses: 50, warmIpTarget: 5 } });
    assert.strictEqual(plan.fits, true, renderIpPlan(plan));
    // max(50 + 5, 0) = 55 ips + ceil(55 / 49) = 2 primaries = 57 per node, 285 per AZ.
    assert.strictEqual(plan.subnets[0].needed, 285);
  });

  it("reports a service range that is too small, with the smallest prefix that holds it", () => {
    const plan = planIpCapacity({ ...base, serviceCidr: "172.20.0.0/24" });
    assert.strictEqual(plan.fits, false);
    // 256 - 2 = 254 < 473, short by 219; 473 + 2 = 475 needs 512 addresses: a /23.
    assert.deepStrictEqual(plan.services, { cidr: "172.20.0.0/24", needed: 473, available: 254, fits: false });
    assert.strictEqual(plan.problems[0].shortfall, 219);
    assert.match(plan.problems[0].message, /offers 254 service addresses; 473 are needed/);
    assert.deepStrictEqual(plan.problems[0].fixes, ["service CIDR /24 → /23"]);
    // Two services per workspace: 932 + 7 = 939 (+ 2 reserved = 941) needs 1024: a /22.
    const two = planIpCapacity({ ...base, serviceCidr: "172.20.0.0/24", servicesPerWorkspace: 2 });
    assert.deepStrictEqual(two.problems[0].fixes, ["service CIDR /24 → /22"]);
    assert.strictEqual(
      plan.problems[0].message,
      "service CIDR 172.20.0.0/24 offers 254 service addresses; 473 are needed " +
        "(466 workspaces × 1 + 6 others + the kubernetes service)",
    );
  });

  it("proposes no service range narrower than the /24 EKS accepts", () => {
    // 10 + 6 + 1 = 17 services in a /28 (14): a /27 would hold them, but EKS takes /12 to /24 only.
    const plan = planIpCapacity({ ...base, totalWorkspaces: 10, serviceCidr: "172.20.0.0/28" });
    assert.strictEqual(plan.problems.length, 1, renderIpPlan(plan));
    assert.strictEqual(plan.problems[0].shortfall, 3);
    assert.deepStrictEqual(plan.problems[0].fixes, ["service CIDR /28 → /24"]);
  });

  it("fits a service range filled to its last address", () => {
    // 503 + 6 + 1 = 510 = 512 - 2.
    const plan = planIpCapacity({ ...base, totalWorkspaces: 503, serviceCidr: "172.20.0.0/23" });
    assert.deepStrictEqual(plan.services, { cidr: "172.20.0.0/23", needed: 510, available: 510, fits: true });
    assert.strictEqual(plan.fits, true);
  });

  it("proposes service ranges up to the /12 EKS accepts, and fewer services beyond", () => {
    const fixes = (servicesPerWorkspace: number) =>
      planIpCapacity({ ...base, totalWorkspaces: 600, servicesPerWorkspace }).problems.find((p) =>
        p.message.startsWith("service CIDR"),
      )!.fixes;
    // 600,007 services fit a /12 (1,048,574); 1,200,007 fit none.
    assert.deepStrictEqual(fixes(1000), ["service CIDR /16 → /12"]);
    assert.deepStrictEqual(fixes(2000), ["fewer services: no service CIDR EKS accepts (/12 at most) holds them"]);
  });

  it("reports more pods per node than max-pods, with the node count that spreads them", () => {
    // 250 pods per AZ over 5 nodes = 50 > 29; ceil(250 / 29) = 9 nodes per AZ × 2 surviving AZs = 18.
    const plan = planIpCapacity({ ...base, maxPodsPerNode: 29 });
    assert.strictEqual(plan.fits, false);
    assert.strictEqual(plan.problems[0].shortfall, 250 - 5 * 29);
    assert.deepStrictEqual(plan.problems[0].fixes, ["nodeCount 10 → 18", "maxPodsPerNode 29 → 50"]);
    assert.strictEqual(plan.problems[0].message, "250 pods per AZ on 5 nodes is 50 pods per node, over max-pods 29");
    // Exactly max-pods per node fits.
    assert.strictEqual(planIpCapacity({ ...base, maxPodsPerNode: 50 }).fits, true);
  });

  it("refuses input it cannot plan", () => {
    assert.throws(() => planIpCapacity({ ...base, azCount: 2 }), /3 node subnets for 2 AZs/);
    assert.throws(() => planIpCapacity({ ...base, podSubnetCidrs: ["100.64.0.0/19"] }), /1 pod subnets for 3 AZs/);
    assert.throws(() => planIpCapacity({ ...base, nodeCount: 0 }), /nodeCount must be an integer/);
    assert.throws(() => planIpCapacity({ ...base, azCount: 0 }), /^Error: ip plan: azCount must be an integer ≥ 1$/);
    assert.throws(() => planIpCapacity({ ...base, totalWorkspaces: -1 }), /totalWorkspaces must be an integer ≥ 0/);
    assert.throws(() => planIpCapacity({ ...base, coderdReplicas: 1.5 }), /coderdReplicas must be an integer ≥ 0/);
    assert.throws(() => planIpCapacity({ ...base, otherServices: -1 }), /otherServices must be an integer ≥ 0/);
    assert.throws(() => planIpCapacity({ ...base, maxPodsPerNode: 0 }), /maxPodsPerNode must be an integer ≥ 1/);
    assert.throws(() => planIpCapacity({ ...base, podsPerWorkspace: 0 }), /podsPerWorkspace must be an integer ≥ 1/);
    assert.throws(() => planIpCapacity({ ...base, cni: { prefixDelegation: false, eniAddresses: 1 } }), /eniAddr/);
  });

  it("renders the plan as a Markdown table with the problems", () => {
    const text = renderIpPlan(planIpCapacity(small));
    assert.match(text, /^IP capacity with one of 3 AZs lost \(2 AZs hold everything\): 500 pods in all/);
    assert.match(text, /\| AZ \| Subnet \| CIDR \| Addresses needed \| Addresses available \| Fits \|/);
    assert.match(text, /\| 0 \| nodes and pods \| 10\.0\.0\.0\/23 \| 750 \| 507 \| \*\*no\*\* \|/);
    assert.match(text, /\| all \| services \| 172\.20\.0\.0\/16 \| 473 \| 65534 \| yes \|/);
    assert.match(text, /\(short by 243\)\. Fix: node subnets \/23 → \/22; or turn prefix delegation on/);
    assert.doesNotMatch(renderIpPlan(planIpCapacity(base)), /Problems/);
    assert.strictEqual(
      text,
      [
        "IP capacity with one of 3 AZs lost (2 AZs hold everything): 500 pods in all, 250 pods on 5 nodes per AZ " +
          "(50 per node, 150 addresses per node).",
        "",
        "| AZ | Subnet | CIDR | Addresses needed | Addresses available | Fits |",
        "| --- | --- | --- | ---: | ---: | --- |",
        "| 0 | nodes and pods | 10.0.0.0/23 | 750 | 507 | **no** |",
        "| 1 | nodes and pods | 10.0.2.0/23 | 750 | 507 | **no** |",
        "| 2 | nodes and pods | 10.0.4.0/23 | 750 | 507 | **no** |",
        "| all | services | 172.20.0.0/16 | 473 | 65534 | yes |",
        "",
        "Problems:",
        "- nodes and pods need 750 addresses per AZ with one AZ lost (2 AZs hold everything); " +
          "AZ 0 10.0.0.0/23 offers 507, AZ 1 10.0.2.0/23 offers 507, AZ 2 10.0.4.0/23 offers 507 (short by 243). " +
          "Fix: node subnets /23 → /22; or turn prefix delegation on (WARM_PREFIX_TARGET=1); " +
          "or add a 100.64.0.0/20 secondary CIDR with a /22 pod subnet per AZ (custom networking).",
        "",
      ].join("\n"),
    );
  });
});
