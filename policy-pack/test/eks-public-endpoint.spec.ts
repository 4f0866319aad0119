import { eksPublicEndpoint } from "../policies/aws/eks-public-endpoint";
import { expectPass, expectViolation } from "./expect";
import { compliantEksCluster } from "./fixtures/aws";
import { mutate } from "./fixtures/resources";

const WHO = 'EKS cluster "coder"';
const PRODUCTION = { config: { "eks-public-endpoint": { production: true } } };
const publicWith = (cidrs?: string[]) =>
  mutate(compliantEksCluster(), (p) => {
    p.vpcConfig.endpointPublicAccess = true;
    if (cidrs) p.vpcConfig.publicAccessCidrs = cidrs;
  });

describe("eks-public-endpoint", () => {
  it("passes a private endpoint, in production too", async () => {
    await expectPass(eksPublicEndpoint, compliantEksCluster());
    await expectPass(eksPublicEndpoint, compliantEksCluster(), PRODUCTION);
  });

  it("passes a public endpoint restricted to admin networks outside production", async () => {
    await expectPass(eksPublicEndpoint, publicWith(["203.0.113.0/24"]));
  });

  it("fails a public endpoint open to 0.0.0.0/0", async () => {
    await expectViolation(
      eksPublicEndpoint,
      publicWith(["0.0.0.0/0"]),
      WHO,
      /public API endpoint is open to 0\.0\.0\.0\/0 \(CKV_AWS_38\); set vpcConfig\.endpointPublicAccess: false, or restrict vpcConfig\.publicAccessCidrs/,
    );
  });

  it("fails a public endpoint without CIDRs (EKS opens it to 0.0.0.0/0)", async () => {
    await expectViolation(eksPublicEndpoint, publicWith(), WHO, /the EKS default when publicAccessCidrs is empty/);
  });

  it("fails an unset endpointPublicAccess, which EKS treats as public", async () => {
    await expectViolation(
      eksPublicEndpoint,
      mutate(compliantEksCluster(), (p) => delete p.vpcConfig.endpointPublicAccess),
      WHO,
      /open to 0\.0\.0\.0\/0/,
    );
  });

  it("fails any public endpoint in production", async () => {
    await expectViolation(
      eksPublicEndpoint,
      publicWith(["203.0.113.0/24"]),
      WHO,
      /public API endpoint in a production stack \(CKV_AWS_39\); set vpcConfig\.endpointPublicAccess: false/,
      PRODUCTION,
    );
  });

  it("fails CIDRs that together cover the internet, however split", async () => {
    await expectViolation(
      eksPublicEndpoint,
      publicWith(["0.0.0.0/1", "128.0.0.0/1"]),
      WHO,
      /open to 0\.0\.0\.0\/0 \(together: 0\.0\.0\.0\/1, 128\.0\.0\.0\/1\) \(CKV_AWS_38\)/,
    );
    await expectViolation(
      eksPublicEndpoint,
      publicWith(["203.0.113.0/24", "0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"]),
      WHO,
      /open to 0\.0\.0\.0\/0 \(together/,
    );
    await expectViolation(eksPublicEndpoint, publicWith(["::/1", "8000::/1"]), WHO, /open to ::\/0 \(together/);
  });

  it("fails ::/0 as well as 0.0.0.0/0", async () => {
    await expectViolation(
      eksPublicEndpoint,
      publicWith(["203.0.113.0/24", "::/0"]),
      WHO,
      /open to ::\/0 \(CKV_AWS_38\)/,
    );
    await expectViolation(
      eksPublicEndpoint,
      publicWith(["0.0.0.0/0", "::/0"]),
      WHO,
      /open to 0\.0\.0\.0\/0, ::\/0 \(CKV_AWS_38\)/,
    );
  });

  it("passes split ranges that leave part of the internet out", async () => {
    await expectPass(eksPublicEndpoint, publicWith(["0.0.0.0/1", "128.0.0.0/2"]));
  });
});
