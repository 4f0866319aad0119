// coderd creates workspace pods and volumes at run time, from templates any template author writes; no
// Pulumi preview ever sees them. The in-cluster ValidatingAdmissionPolicies are their only guard, so every
// workspace namespace must be covered by each of them: the policy present and failing closed
// (failurePolicy Fail, the default when unset), and a binding with spec.policyName naming it,
// validationActions including Deny (policy config allowNonBlockingActions accepts Warn/Audit), and a
// matchResources that provably selects the namespace.
//
// "Provably selects": an absent or empty namespaceSelector (every namespace), or one whose every
// requirement is on kubernetes.io/metadata.name (the namespace's name) or coder-blueprint/role, which the
// stack knows, and which the namespace meets (matchLabels, or In/NotIn/Exists). A requirement on any other
// label, an objectSelector or excludeResourceRules (which exempt objects), or resourceRules (which narrow
// the policy's own) is not proof. The stack is indexed once; each namespace is looked up per policy.
//
// During preview the blueprint's binding names its policy through an output (`policy.metadata.name`), and
// its namespace list is the namespaces' outputs. A binding whose policyName is unknown is matched by its
// metadata.name (the blueprint names bindings after their policies); any other unknown that decides the
// outcome is the engine's advisory preview gap, never a pass or a mandatory violation. At `up` every value
// is known and the check blocks. Patches of these objects that weaken them (failurePolicy other than
// Fail, validationActions without Deny) are violations too. A policy's failurePolicy is the one the cluster
// ends up with, patches applied; when a patch set it, the patch is what the user must change, so it is
// the one reported.
//
// What each policy checks is compared with the blueprint's canonical rule (contract/admission-rules.ts),
// patches applied: every canonical validation and variable present and unchanged, the registry, capability
// and Secret lists within the pack settings (kept equal to the stack config by a test), the objects it
// matches at least the canonical ones, and nothing (selectors, exclusions, matchConditions) that narrows it.
import { PolicyResource } from "@pulumi/policy";
import { ROLE_LABEL, ROLE_WORKSPACES, WORKSPACE_ADMISSION_POLICIES } from "../../contract";
import { ManagedNamespace, managedNamespaces } from "../../lib/kubernetes";
import { Props, subjectOfResource } from "../../lib/policy";
import { K8S } from "../../lib/types";
import { isUnknownValueError, listText, member, PreviewGaps, valueSet } from "../../lib/unknowns";
import { bindingJudge, bindingTarget, NAME_LABEL, nameOf } from "../../lib/admission";
import { KnownLabels } from "../../lib/selectors";
import { definePolicy } from "../../lib/metadata";
import { admissionRuleFailures, AdmissionRuleSettings } from "../../lib/admission-rules";
import { patchedObjects } from "../../lib/patches";

export interface MissingWorkspaceAdmissionConfig extends AdmissionRuleSettings {
  allowNonBlockingActions: boolean;
}

const REQUIRED = Object.keys(WORKSPACE_ADMISSION_POLICIES);

/** A scalar as written, anything else as JSON, for messages. */
const shown = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

export const missingWorkspaceAdmission = definePolicy(
  {
    responsibilities: ["storage-depletion-pvc", "storage-depletion-ephemeral", "registry-any-image"],
    severity: "critical",
    forbids:
      "Workspace namespaces not covered by each of the ValidatingAdmissionPolicies `coder-workspace-pods`, " +
      "`-ephemeral-storage`, `-volume-size`: policy missing or `failurePolicy` other than Fail; no binding that " +
      "names it, Denies (unless `allowNonBlockingActions`) and provably selects the namespace (by " +
      "`kubernetes.io/metadata.name` or the role label; objectSelector/exclusions are not proof); validations, " +
      "variables or matched objects weaker than the blueprint's canonical rules (patches applied)",
    references: {
      cisEks: ["5.1.4 (enforced at admission)", "4.2.1–4.2.4 (enforced at admission)"],
      other: ["Kubernetes ValidatingAdmissionPolicy (GA in 1.30)"],
    },
  },
  {
    name: "missing-workspace-admission",
    description:
      `Every workspace namespace (${ROLE_LABEL}: ${ROLE_WORKSPACES}) must be covered by the ` +
      `ValidatingAdmissionPolicies ${REQUIRED.join(", ")}: ` +
      "each with failurePolicy Fail (or unset) and bound with validationActions Deny by a binding whose " +
      "matchResources selects the namespace.",
    enforcementLevel: "mandatory",
    remediationSteps:
      `Create the ValidatingAdmissionPolicies ${REQUIRED.join(", ")} with failurePolicy Fail, and for each a ` +
      `ValidatingAdmissionPolicyBinding of the same name with ` +
      "spec.policyName set to it, validationActions [Deny], and matchResources.namespaceSelector.matchExpressions " +
      `[{key: ${NAME_LABEL}, operator: In, values: [<every workspace namespace>]}]; the blueprint's ` +
      `WorkspaceAdmission component (components/admission) creates exactly these.`,
    configSchema: {
      properties: {
        allowNonBlockingActions: {
          type: "boolean",
          default: false,
          description:
            "Accept bindings whose validationActions are only Warn and/or Audit (violations admitted, but " +
            "reported), e.g. while rolling the rules out.",
        },
        approvedRegistries: {
          type: "array",
          items: { type: "string" },
          default: [],
          description:
            "The stack's approved registries (coder-blueprint:registry.approved); the pods rule may list only " +
            "these (and their Docker Hub spellings). Empty, each prefix must only end at a path boundary.",
        },
        allowedCapabilities: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Capabilities the pods rule may allow (coder-blueprint:admission.allowedCapabilities).",
        },
        allowedSecrets: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Secrets the pods rule may allow (coder-blueprint:admission.allowedSecrets).",
        },
        maxVolumeSize: {
          type: "string",
          default: "",
          description:
            "The volume-size rule's cap (coder-blueprint:workspaces.size.homeDisk); empty, any literal size.",
        },
      },
    },
    validateStack: (args, report) => {
      const settings = args.getConfig<MissingWorkspaceAdmissionConfig>();
      const { allowNonBlockingActions } = settings;
      const gaps = new PreviewGaps();
      const workspaces = [...managedNamespaces(args.resources, gaps).values()].filter(
        (ns) => ns.role === ROLE_WORKSPACES,
      );
      if (workspaces.length === 0) {
        gaps.settle();
        return;
      }

      // Index the stack once.
      const policies = new Map<string, PolicyResource[]>();
      const bindings = new Map<string, PolicyResource[]>();
      const bindingPatches: PolicyResource[] = [];
      // The first unknown that could hide a required policy or binding: it turns "missing" into a gap.
      let unnamedPolicy: Error | undefined = undefined;
      let unnamedBinding: Error | undefined = undefined;
      const add = (map: Map<string, PolicyResource[]>, key: string, r: PolicyResource) => {
        const list = map.get(key);
        if (list) list.push(r);
        else map.set(key, [r]);
      };
      for (const r of args.resources) {
        if (r.type === K8S.validatingAdmissionPolicyBindingPatch) bindingPatches.push(r);
        else if (r.type === K8S.validatingAdmissionPolicy) {
          try {
            const name: unknown = r.props.metadata?.name;
            if (typeof name === "string") add(policies, name, r);
          } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            unnamedPolicy ??= e;
          }
        } else if (r.type === K8S.validatingAdmissionPolicyBinding) {
          try {
            add(bindings, bindingTarget(r), r);
          } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            unnamedBinding ??= e;
          }
        }
      }

      // Each required policy, patches applied, fails closed and checks what the blueprint's rule checks
      // (judged once, not per namespace). A failurePolicy a patch set is reported on that patch.
      for (const { object: policy, patches } of patchedObjects(
        args.resources,
        [K8S.validatingAdmissionPolicy],
        gaps,
        false,
      )) {
        gaps.judge(() => {
          if (!REQUIRED.includes(nameOf(policy))) return;
          const failurePolicy: unknown = policy.props.spec?.failurePolicy;
          if (failurePolicy == null || failurePolicy === "Fail") return;
          const patch = [...patches].reverse().find((p) => p.props.spec?.failurePolicy !== undefined);
          if (patch) {
            report(
              `${subjectOfResource(patch)}: patches failurePolicy to ${shown(failurePolicy)}, so workspace objects ` +
                `are admitted unchecked when the rules cannot be evaluated; remove the patch or set Fail.`,
              patch.urn,
            );
          } else {
            report(
              `${subjectOfResource(policy)}: failurePolicy is ${shown(failurePolicy)}, so when its rules cannot be ` +
                `evaluated workspace objects are admitted unchecked; ` +
                "set spec.failurePolicy to Fail (or leave it unset, which defaults to Fail).",
              policy.urn,
            );
          }
        });
        gaps.judge(() => {
          const name = nameOf(policy);
          if (!REQUIRED.includes(name)) return;
          const failures = admissionRuleFailures(name, policy.props.spec ?? {}, settings);
          if (failures.length === 0) return;
          report(
            `${subjectOfResource(policy)}: checks less than the blueprint's rule ` +
              `(${WORKSPACE_ADMISSION_POLICIES[name]}): ` +
              `${failures.join("; ")}; ` +
              "create it from the blueprint's rules (components/admission, contract/admission-rules.ts) and keep " +
              "this policy's settings equal to the stack config.",
            policy.urn,
          );
        });
      }

      // Patches that make a required binding stop denying.
      for (const patch of bindingPatches) {
        gaps.judge(() => {
          if (allowNonBlockingActions || !REQUIRED.includes(bindingTarget(patch))) return;
          const spec: Props = patch.props.spec ?? {};
          if (!("validationActions" in spec) || member(valueSet(spec.validationActions), "Deny")) return;
          report(
            `${subjectOfResource(patch)}: patches validationActions to ${listText(spec.validationActions)}, ` +
              `without Deny, so workspace objects that break the rules are admitted; remove the patch or keep Deny.`,
            patch.urn,
          );
        });
      }

      // Each binding is read once, however many namespaces it is judged for.
      const judges = new Map<PolicyResource, (labels: KnownLabels) => string | undefined>();
      const judgeOf = (binding: PolicyResource) => {
        let judge = judges.get(binding);
        if (!judge) judges.set(binding, (judge = bindingJudge(binding, allowNonBlockingActions)));
        return judge;
      };

      /** Why the namespace is not guarded by the named policy, or undefined when it is. */
      const coverageFailure = (ns: ManagedNamespace, name: string): string | undefined => {
        if (!policies.has(name)) {
          if (unnamedPolicy !== undefined) throw unnamedPolicy;
          return `there is no ValidatingAdmissionPolicy "${name}" in the stack`;
        }
        // The name label is the API server's, the role label the stack's: both are known for certain.
        const labels: KnownLabels = new Map([
          [NAME_LABEL, ns.name],
          [ROLE_LABEL, ns.role],
        ]);
        const candidates = bindings.get(name) ?? [];
        const reasons: string[] = [];
        let pending: Error | undefined = unnamedBinding;
        for (const binding of candidates) {
          try {
            const reason = judgeOf(binding)(labels);
            if (reason === undefined) return undefined;
            reasons.push(reason);
          } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            pending ??= e;
          }
        }
        if (pending !== undefined) throw pending;
        return candidates.length === 0
          ? `no ValidatingAdmissionPolicyBinding has spec.policyName "${name}"`
          : reasons.join("; ");
      };

      for (const ns of workspaces) {
        for (const name of REQUIRED) {
          gaps.judge(() => {
            const failure = coverageFailure(ns, name);
            if (failure === undefined) return;
            report(
              `${subjectOfResource(ns.resource)}: workspace namespace is not guarded by ValidatingAdmissionPolicy ` +
                `"${name}" (${WORKSPACE_ADMISSION_POLICIES[name]}), ` +
                `so what coderd creates there at run time is admitted unchecked: ${failure}; ` +
                `${policies.has(name) ? "" : `create the policy with failurePolicy Fail and `}bind it with a ` +
                `ValidatingAdmissionPolicyBinding {policyName: "${name}", validationActions: [Deny], ` +
                `matchResources: {namespaceSelector: {matchExpressions: [{key: ${NAME_LABEL}, operator: In, ` +
                `values: ["${ns.name}"]}]}}} (the blueprint's WorkspaceAdmission component creates these).`,
              ns.resource.urn,
            );
          });
        }
      }
      gaps.settle();
    },
  },
);
