// A helm.v3.Release is one opaque resource: coderd's Deployment, Role and any extra manifests are rendered
// inside it, where the pod-level and RBAC policies never see them. So the values that decide what it
// renders are judged here:
// - coder.securityContext must set runAsNonRoot: true, allowPrivilegeEscalation: false,
//   readOnlyRootFilesystem: true and capabilities.drop ["ALL"], and must not set privileged or add
//   capabilities. The chart's defaults are not credited: they vary by chart version, omit two of these,
//   and a local (air-gapped) chart's values.yaml can say anything.
// - coder.volumes must not mount hostPath volumes (node files inside coderd).
// - coder.serviceAccount.extraRules must not hold wildcards or escalate/bind/impersonate. They are judged
//   whether or not coder.serviceAccount.workspacePerms renders them today: one flag flips that.
// - extraTemplates must be empty: they are arbitrary manifests the pack cannot see; deploy them as Pulumi
//   resources of their own, which every policy judges.
// - coder.initContainers: judging them is feasible (they are rendered verbatim into coderd's pod), so they
//   are held to the privileged/root rules the control-plane namespace's Pod Security "restricted" level
//   enforces: not privileged, allowPrivilegeEscalation false, runAsNonRoot true (container or
//   coder.podSecurityContext), no runAsUser 0, capabilities.drop ["ALL"] and nothing added.
//   unapproved-images judges their images.
import { validateCoderChart } from "../../lib/coder";
import { Props } from "../../lib/policy";
import { eachRule, escalationVerbsIn, wildcardsIn } from "../../lib/rbac";
import { eachOf, PreviewGaps, readOr } from "../../lib/unknowns";
import { definePolicy } from "../../lib/metadata";

const HARDENED_CONTEXT =
  '{runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: ["ALL"]}}';

/** True when capabilities.drop names "ALL", spelled as Pod Security "restricted" requires it (upper case). */
function dropsAll(drop: unknown): boolean {
  return Array.isArray(drop) && drop.some((c) => c === "ALL");
}

/** The capabilities a context adds, as written. */
function addedCapabilities(context: Props): string[] {
  const add: unknown = context.capabilities?.add;
  return Array.isArray(add) ? add.filter((c): c is string => typeof c === "string") : [];
}

/** Collects what each check finds; each check is judged on its own, so one unknown value spares the rest. */
function findings(gaps: PreviewGaps, checks: Array<() => string | undefined>): string[] {
  const found: string[] = [];
  for (const check of checks) {
    gaps.judge(() => {
      const problem = check();
      if (problem) found.push(problem);
    });
  }
  return found;
}

const shown = (value: unknown) => (value === undefined ? "not set" : JSON.stringify(value));

export const coderReleaseUnhardenedValues = definePolicy(
  {
    responsibilities: ["coderd-service-account", "node-user-accounts"],
    severity: "critical",
    forbids:
      "`coder.securityContext` without runAsNonRoot, allowPrivilegeEscalation false, readOnlyRootFilesystem, drop " +
      "`ALL` (chart defaults not credited), or with privileged/added capabilities; hostPath in `coder.volumes`; " +
      "wildcards or escalate/bind/impersonate in `coder.serviceAccount.extraRules`; any `extraTemplates`; " +
      "privileged or root `coder.initContainers`",
    references: {
      cisEks: ["4.2.1", "4.2.5", "4.1.3", "4.1.8"],
      kyverno: [
        "disallow-privileged-containers",
        "disallow-privilege-escalation",
        "require-run-as-nonroot",
        "require-ro-rootfs",
        "require-drop-all",
        "disallow-host-path",
        "restrict-wildcard-verbs",
        "restrict-wildcard-resources",
        "restrict-escalation-verbs-roles",
      ],
      checkov: [
        "CKV_K8S_16",
        "CKV_K8S_20",
        "CKV_K8S_22",
        "CKV_K8S_23",
        "CKV_K8S_28",
        "CKV_K8S_37",
        "CKV_K8S_49",
        "CKV_K8S_157",
        "CKV_K8S_158",
      ],
    },
  },
  {
    name: "coder-release-unhardened-values",
    description:
      "The Coder release's values must harden what the chart renders: coder.securityContext non-root, no privilege " +
      "escalation, read-only root, all capabilities dropped, never privileged; " +
      "no hostPath in coder.volumes; no wildcard or escalate/bind/impersonate in coder.serviceAccount.extraRules; " +
      "no extraTemplates; no privileged or root coder.initContainers.",
    enforcementLevel: "mandatory",
    remediationSteps:
      `Set values.coder.securityContext to ${HARDENED_CONTEXT} (with a non-zero runAsUser), remove privileged and ` +
      `capabilities.add; ` +
      "replace hostPath volumes with emptyDir; list exact verbs, resources and apiGroups in " +
      "coder.serviceAccount.extraRules without escalate, bind or impersonate; " +
      "deploy extraTemplates as Pulumi resources of their own; give each init container the same securityContext, " +
      "or remove it.",
    validateResource: validateCoderChart(({ values, coder, subject, gaps, report }) => {
      // coderd's container.
      const context = (): Props => coder.securityContext ?? {};
      gaps.judge(() => {
        if (context().privileged === true) {
          report(
            `${subject}: coder.securityContext.privileged is true, which gives coderd (and whoever takes it over) ` +
              `root on the node; remove privileged from values.coder.securityContext.`,
          );
        }
      });
      const weak = findings(gaps, [
        () => (context().runAsNonRoot === true ? undefined : `runAsNonRoot is ${shown(context().runAsNonRoot)}`),
        () =>
          context().allowPrivilegeEscalation === false
            ? undefined
            : `allowPrivilegeEscalation is ${shown(context().allowPrivilegeEscalation)}`,
        () =>
          context().readOnlyRootFilesystem === true
            ? undefined
            : `readOnlyRootFilesystem is ${shown(context().readOnlyRootFilesystem)}`,
        () => (dropsAll(context().capabilities?.drop) ? undefined : 'capabilities.drop does not contain "ALL"'),
        () => {
          const added = addedCapabilities(context());
          return added.length > 0 ? `capabilities.add grants ${added.join(", ")}` : undefined;
        },
      ]);
      if (weak.length > 0) {
        report(
          `${subject}: coder.securityContext leaves coderd's container unhardened (${weak.join("; ")}); ` +
            `set values.coder.securityContext to ${HARDENED_CONTEXT} and add no capabilities (the chart's defaults ` +
            `are not relied on).`,
        );
      }

      // Volumes from the node.
      gaps.judge(() =>
        eachOf(
          coder.volumes as Props[] | undefined,
          (volume, i) => {
            // Presence is enough: a hostPath whose path is unknown during preview is still the node's.
            if (!volume || typeof volume !== "object" || !("hostPath" in volume)) return;
            const name = readOr(() => volume.name, String(i));
            report(
              `${subject}: coder.volumes "${name}" mounts hostPath ` +
                `${readOr<string>(() => JSON.stringify(volume.hostPath.path), "(a path unknown during preview)")} ` +
                `from the node into coderd; use an emptyDir or a Secret/ConfigMap volume instead.`,
            );
          },
          gaps,
        ),
      );

      // coderd's extra RBAC rules.
      gaps.judge(() =>
        eachRule({ rules: coder.serviceAccount?.extraRules }, gaps, (rule) => {
          const problems = [...wildcardsIn(rule), ...escalationVerbsIn(rule).map((v) => `verb ${v}`)];
          if (problems.length === 0) return;
          report(
            `${subject}: coder.serviceAccount.extraRules[${rule.index}] grants coderd's service account ` +
              `${problems.join(", ")}, which lets whoever holds coderd's token ` +
              "reach everything added to the cluster later or raise its own privileges; list the exact verbs, " +
              "resources and apiGroups, without escalate, bind or impersonate.",
          );
        }),
      );

      // Manifests the pack cannot see.
      gaps.judge(() => {
        const extra: unknown = values.extraTemplates;
        const count = Array.isArray(extra)
          ? extra.length
          : typeof extra === "string"
            ? extra.trim().length
            : extra && typeof extra === "object"
              ? Object.keys(extra).length
              : 0;
        if (count === 0) return;
        report(
          `${subject}: extraTemplates adds ${Array.isArray(extra) ? `${count} manifest(s)` : "manifests"} that ` +
            `Helm renders inside the release, where no policy can judge them; ` +
            "remove values.extraTemplates and deploy those objects as Pulumi resources of their own.",
        );
      });

      // Init containers in coderd's pod.
      const pod = (): Props => coder.podSecurityContext ?? {};
      gaps.judge(() =>
        eachOf(
          coder.initContainers as Props[] | undefined,
          (container, i) => {
            const label = `coder.initContainers "${readOr(() => container.name, String(i))}"`;
            const own = (): Props => container.securityContext ?? {};
            const problems = findings(gaps, [
              () => (own().privileged === true ? "privileged is true" : undefined),
              () =>
                own().allowPrivilegeEscalation === false
                  ? undefined
                  : `allowPrivilegeEscalation is ${shown(own().allowPrivilegeEscalation)}`,
              () => ((own().runAsUser ?? pod().runAsUser) === 0 ? "runAsUser is 0 (root)" : undefined),
              () => {
                const nonRoot = own().runAsNonRoot ?? pod().runAsNonRoot;
                return nonRoot === true
                  ? undefined
                  : `runAsNonRoot is ${shown(nonRoot)} (container and coder.podSecurityContext)`;
              },
              () => (dropsAll(own().capabilities?.drop) ? undefined : 'capabilities.drop does not contain "ALL"'),
              () => {
                const added = addedCapabilities(own());
                return added.length > 0 ? `capabilities.add grants ${added.join(", ")}` : undefined;
              },
            ]);
            if (problems.length === 0) return;
            report(
              `${subject}: ${label} may run privileged or as root in coderd's pod (${problems.join("; ")}); ` +
                "give it securityContext {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: " +
                '{drop: ["ALL"]}} and no privileged, runAsUser 0 or added capabilities, or remove it.',
            );
          },
          gaps,
        ),
      );
    }),
  },
);
