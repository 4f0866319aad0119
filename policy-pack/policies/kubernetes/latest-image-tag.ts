// Hygiene rather than a boundary (advisory by default): an untagged or :latest image changes under the
// deployment without a diff, so what was reviewed is not what runs. A digest pins it exactly.
import { versionOf } from "../../contract";
import { eachContainer, validatePodSpec } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

export const latestImageTag = definePolicy(
  {
    responsibilities: ["registry-any-image"],
    severity: "low",
    forbids: "Untagged or `:latest` images",
    references: {
      kyverno: ["disallow-latest-tag"],
      checkov: ["CKV_K8S_14", "CKV_K8S_43"],
      other: ["Polaris tagNotSpecified", "kube-score container-image-tag"],
    },
  },
  {
    name: "latest-image-tag",
    description: "Container images must be pinned by a version tag other than latest, or by digest.",
    enforcementLevel: "advisory",
    remediationSteps: "Reference the image by an immutable version tag (e.g. :v2.18.1) or by digest (@sha256:...).",
    validateResource: validatePodSpec(({ spec, subject, gaps, report }) => {
      eachContainer(spec, gaps, ({ container, label }) => {
        const image: unknown = container.image;
        if (typeof image !== "string") return;
        const { tag, digest } = versionOf(image);
        if (digest) return;
        if (tag === undefined || tag === "latest") {
          report(
            `${subject} ${label}: image "${image}" is ${tag ? "tagged latest" : "untagged (implicitly latest)"}, ` +
              `so it can change without a diff; pin a version tag or a digest.`,
          );
        }
      });
    }),
  },
);
