import { unapprovedImages } from "../../policy-pack/policies/kubernetes/unapproved-images";
import { expectPass, expectViolation } from "./expect";
import { compliantDeployment, podSpec, WITH_REGISTRIES } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace"';
const withImage = (image: string) => mutate(compliantDeployment(), (p) => [...podSpec(p).containers, ...podSpec(p).initContainers].forEach((c) => (c.image = image)));
const approving = (...approvedRegistries: string[]) => ({ config: { "unapproved-images": { approvedRegistries } } });

describe("unapproved-images", () => {
    it("passes images from an approved registry", async () => {
        await expectPass(unapprovedImages, compliantDeployment(), WITH_REGISTRIES);
    });

    it("matches Docker Hub short names against normalised prefixes", async () => {
        await expectPass(unapprovedImages, withImage("codercom/enterprise-base:ubuntu"), approving("docker.io/codercom"));
        await expectPass(unapprovedImages, withImage("docker.io/codercom/enterprise-base:ubuntu"), approving("codercom"));
        await expectPass(unapprovedImages, withImage("ghcr.io/coder/coder:v2.18.1"), approving("ghcr.io/coder/"));
    });

    it("fails an image from another registry", async () => {
        await expectViolation(unapprovedImages, withImage("docker.io/library/ubuntu:24.04"), `${WHO} container "dev"`, /image "docker\.io\/library\/ubuntu:24\.04" is not from an approved registry \(123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\); mirror it into an approved registry/, WITH_REGISTRIES);
    });

    it("matches whole path components, so a look-alike host is not approved", async () => {
        await expectViolation(unapprovedImages, withImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io/x:1"), `${WHO} container "dev"`, /is not from an approved registry/, WITH_REGISTRIES);
        await expectViolation(unapprovedImages, withImage("ghcr.io/coderx/tool:1"), `${WHO} container "dev"`, /is not from an approved registry/, approving("ghcr.io/coder"));
    });

    it("fails every workload when no registry is configured, saying which config to set", async () => {
        await expectViolation(unapprovedImages, compliantDeployment(), WHO, /none are configured.*"unapproved-images": \{"approvedRegistries": \[\.\.\.\]\} in the file passed with --policy-pack-config/);
    });
});
