// Seed bullet: External tie-ins › Container registry › "CVMs can only pull unauthenticated containers,
// which means that any user can reference any container within the registry".
// Reference IDs: Kyverno disallow-latest-tag; Checkov CKV_K8S_14 (image tag not latest or blank) and
// CKV_K8S_43 (image by digest); Polaris tagNotSpecified; kube-score container-image-tag.
//
// Hygiene rather than a boundary (advisory by default): an untagged or :latest image changes under the
// deployment without a diff, so what was reviewed is not what runs. A digest pins it exactly.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { versionOf } from "../../contract";
import { eachContainer, validatePodSpec } from "../../lib/workloads";

export const latestImageTag: ResourceValidationPolicy = {
  name: "latest-image-tag",
  description: "Container images must be pinned by a version tag other than latest, or by digest.",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps: "Reference the image by an immutable version tag (e.g. :v2.18.1) or by digest (@sha256:...).",
  validateResource: validatePodSpec(({ spec, subject, gaps, report }) => {
    eachContainer(spec, gaps, ({ container, label }) => {
      const image: unknown = container.image;
      if (typeof image !== "string") return;
      const { tag, digest } = versionOf(image);
      if (digest) return;
      if (tag === undefined || tag === "latest") {
        report(
          `${subject} ${label}: image "${image}" is ${tag ? "tagged latest" : "untagged (implicitly latest)"}, so it can change without a diff; pin a version tag or a digest.`,
        );
      }
    });
  }),
};
