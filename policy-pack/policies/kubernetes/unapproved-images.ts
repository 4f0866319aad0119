// Decision on an empty allowlist: it is a violation, not a pass. This is a security boundary, and a pack
// that silently approves everything until someone remembers to configure it protects nothing; the
// message says exactly which config key to set. Prefixes match whole path components, so
// "registry.example.com" never approves "registry.example.com.evil.io/x".
//
// The Coder Helm release renders coderd's Deployment inside the release, where no pod-spec check sees it,
// so the release's values are judged too: coderd's image (values.coder.image.repo, the chart's
// "ghcr.io/coder/coder" when unset) and the images of values.coder.initContainers.
import { ReportViolation, ResourceValidation } from "@pulumi/policy";
import { CODER_CHART_TYPES, coderdImage, validateCoderChart } from "../../lib/coder";
import { isApproved } from "../../contract";
import { Props } from "../../lib/policy";
import { eachOf, PreviewGaps, readOr } from "../../lib/unknowns";
import { eachContainer, validatePodSpec } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

export interface UnapprovedImagesConfig {
  approvedRegistries: string[];
}

/** Judges images one by one, and reports a missing allowlist once per resource. */
function imageJudge(subject: string, config: Record<string, any>, report: ReportViolation) {
  const approved = (config as UnapprovedImagesConfig).approvedRegistries ?? [];
  let reportedUnconfigured = false;
  return (image: string, label: string, fix: string) => {
    if (approved.length === 0) {
      if (!reportedUnconfigured) {
        report(
          `${subject}: cannot be checked against approved registries because none are configured (image "${image}"); ` +
            'list your Coder-only registries under "unapproved-images": {"approvedRegistries": [...]} in the file ' +
            "passed with --policy-pack-config.",
        );
      }
      reportedUnconfigured = true;
      return;
    }
    if (isApproved(image, approved)) return;
    report(`${subject} ${label}: image "${image}" is not from an approved registry (${approved.join(", ")}); ${fix}.`);
  };
}

const WORKLOAD_FIX = "mirror it into an approved registry or approve its registry in approvedRegistries";

const judgePodSpec: ResourceValidation = validatePodSpec(({ spec, subject, gaps, report, config }) => {
  const judge = imageJudge(subject, config, report);
  eachContainer(spec, gaps, ({ container, label }) => {
    const image: unknown = container.image;
    if (typeof image === "string") judge(image, label, WORKLOAD_FIX);
  });
});

const judgeCoderRelease: ResourceValidation = validateCoderChart(({ coder, subject, gaps, report, config }) => {
  const judge = imageJudge(subject, config, report);
  gaps.judge(() => {
    const { image, defaulted } = coderdImage(coder);
    judge(
      image,
      `coderd image${defaulted ? " (values.coder.image.repo is unset, so the chart's default)" : ""}`,
      "mirror coderd's image into an approved registry and set values.coder.image.repo to the mirror, or approve " +
        "its registry in approvedRegistries",
    );
  });
  judgeInitContainers(coder, gaps, judge);
});

function judgeInitContainers(
  coder: Props,
  gaps: PreviewGaps,
  judge: (image: string, label: string, fix: string) => void,
): void {
  gaps.judge(() =>
    eachOf(
      coder.initContainers as Props[] | undefined,
      (container, i) => {
        const image: unknown = container.image;
        if (typeof image !== "string") return;
        judge(
          image,
          `init container "${readOr(() => container.name, String(i))}" (values.coder.initContainers)`,
          WORKLOAD_FIX,
        );
      },
      gaps,
    ),
  );
}

const CODER_TYPES = new Set(CODER_CHART_TYPES);

export const unapprovedImages = definePolicy(
  {
    responsibilities: ["registry-account", "registry-any-image"],
    severity: "high",
    forbids:
      "Images outside `approvedRegistries` in workloads and custom resources' pod templates, including the Coder " +
      "release's coderd image (`coder.image.repo`, " +
      "default `ghcr.io/coder/coder`) and `coder.initContainers` images",
    references: { cisEks: ["5.1.4"], kyverno: ["restrict-image-registries"] },
  },
  {
    name: "unapproved-images",
    description:
      "Container images (of workloads and of custom resources' pod templates) must come from a registry or " +
      "repository prefix listed in this policy's approvedRegistries config; " +
      "for the Coder Helm release, coderd's image (coder.image.repo, default ghcr.io/coder/coder) and its init " +
      "containers' images.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Pull the image from an approved registry (mirror it there), or add the registry/repository prefix to " +
      'approvedRegistries in the policy config, e.g. {"unapproved-images": {"approvedRegistries": ' +
      '["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]}}. ' +
      "For the Coder release, set values.coder.image.repo (and tag) to coderd's image in the approved registry.",
    configSchema: {
      properties: {
        approvedRegistries: {
          type: "array",
          items: { type: "string", minLength: 1 },
          default: [],
          description:
            "Registry hosts or repository prefixes images may come from, e.g. " +
            '"123456789012.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io/coder". Docker Hub names are normalised ' +
            '("codercom" = "docker.io/codercom").',
        },
      },
    },
    validateResource: (args, report) => {
      // validatePodSpec finds workloads' and custom resources' pod templates, and calls anything else not applicable.
      return CODER_TYPES.has(args.type) ? judgeCoderRelease(args, report) : judgePodSpec(args, report);
    },
  },
);
