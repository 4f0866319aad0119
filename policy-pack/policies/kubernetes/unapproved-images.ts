// Seed bullets: External tie-ins › Container registry › "The registry account used to access images
// should be a specific Coder-only account so that Coder users can only pull approved images" and "CVMs
// can only pull unauthenticated containers, which means that any user can reference any container
// within the registry".
// Reference IDs: CIS EKS 1.8.0 5.1.4 (only approved container registries); Kyverno
// restrict-image-registries.
//
// Decision on an empty allowlist: it is a violation, not a pass. This is a security boundary, and a pack
// that silently approves everything until someone remembers to configure it protects nothing; the
// message says exactly which config key to set. Prefixes match whole path components, so
// "registry.example.com" never approves "registry.example.com.evil.io/x".
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isApproved } from "../../lib/images";
import { eachContainer, validatePodSpec } from "../../lib/workloads";

export interface UnapprovedImagesConfig {
    approvedRegistries: string[];
}

export const unapprovedImages: ResourceValidationPolicy = {
    name: "unapproved-images",
    description: "Container images must come from a registry or repository prefix listed in this policy's approvedRegistries config.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Pull the image from an approved registry (mirror it there), or add the registry/repository prefix to approvedRegistries in the policy config, e.g. {"unapproved-images": {"approvedRegistries": ["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]}}.',
    configSchema: {
        properties: {
            approvedRegistries: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description: 'Registry hosts or repository prefixes images may come from, e.g. "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io/coder". Docker Hub names are normalised ("codercom" = "docker.io/codercom").',
            },
        },
    },
    validateResource: validatePodSpec(({ spec, subject, gaps, report, config }) => {
        const approved = (config as UnapprovedImagesConfig).approvedRegistries ?? [];
        let reportedUnconfigured = false;
        eachContainer(spec, gaps, ({ container, label }) => {
            const image: unknown = container.image;
            if (typeof image !== "string") return;
            if (approved.length === 0) {
                if (!reportedUnconfigured) {
                    report(
                        `${subject}: cannot be checked against approved registries because none are configured (image "${image}"); ` +
                            'list your Coder-only registries under "unapproved-images": {"approvedRegistries": [...]} in the file passed with --policy-pack-config.',
                    );
                }
                reportedUnconfigured = true;
                return;
            }
            if (isApproved(image, approved)) return;
            report(`${subject} ${label}: image "${image}" is not from an approved registry (${approved.join(", ")}); mirror it into an approved registry or approve its registry in approvedRegistries.`);
        });
    }),
};
