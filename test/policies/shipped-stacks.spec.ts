// The whole pack, with each stack's shipped configuration, over everything the stack registers: a
// shipped stack must never be blocked by its own policy pack. Each stack's resources come from the
// same mocked run of the whole program as test/kubernetes-layer.spec.ts; for dev and prod that is the
// AWS layer (VPC, EKS, node groups, KMS, ECR, RDS) and the Kubernetes layer on top of it.
import "../harness/mocks";
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_DENY_POLICY, POSTGRES_SSLMODE_ANNOTATION } from "../../policy-pack/contract";
import { K8S } from "../../policy-pack/lib/types";
import { allowedFlows } from "../../components/network/flows";
import { admissionSettings, networkSettings } from "../../blueprint";
import { limitsFor, quotaFor } from "../../components/quotas";
import { policies } from "../../policy-pack/policies";
import { deployUnderMocks, previewUnderMocks } from "../harness/deploy";
import { capture, RecordedResource } from "../harness/mocks";
import { PackConfigFile } from "../../policy-pack/test/harness/policy-config";
import { PREVIEW_GAP, runPack, Violation } from "../../policy-pack/test/harness/analyzer";
import { toPolicyResources } from "../harness/policy-resources";
import { PROJECT_ROOT, SHIPPED_STACKS, stackConfig } from "../harness/stacks";

/** The policy-pack config each stack ships with (`npm run up` passes stacks/policy.<stack>.json). */
export function shippedPolicyConfig(stack: string): PackConfigFile {
  return JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, "stacks", `policy.${stack}.json`), "utf8"),
  ) as PackConfigFile;
}

const deploy = (stack: string) => deployUnderMocks(stackConfig(stack));

const describeAll = (vs: Violation[]) => vs.map((v) => `[${v.enforcementLevel}] ${v.policyName}: ${v.detail}`);

for (const stack of SHIPPED_STACKS) {
  describe(`policy pack on the shipped ${stack} stack`, () => {
    let recorded: RecordedResource[];
    before(async () => {
      recorded = await deploy(stack);
    });

    it("ships a policy config whose approved registries are the stack's own", () => {
      const approved = (shippedPolicyConfig(stack)["unapproved-images"] as { approvedRegistries: string[] })
        .approvedRegistries;
      assert.deepStrictEqual(approved, stackConfig(stack).registry.approved);
    });

    it("ships cluster-wide-coderd-binding settings naming the stack's own coderd namespace and service account", () => {
      const settings = shippedPolicyConfig(stack)["cluster-wide-coderd-binding"] as
        { coderdNamespace?: string; coderdServiceAccount?: string } | undefined;
      assert.ok(
        settings && typeof settings === "object",
        `stacks/policy.${stack}.json has no cluster-wide-coderd-binding settings`,
      );
      const cfg = stackConfig(stack);
      assert.deepStrictEqual(
        { coderdNamespace: settings.coderdNamespace, coderdServiceAccount: settings.coderdServiceAccount },
        { coderdNamespace: cfg.controlPlane.namespace, coderdServiceAccount: cfg.controlPlane.serviceAccountName },
      );
    });

    it("ships open-network-policy-rule flows equal to what the stack's network config opens", () => {
      const cfg = stackConfig(stack);
      assert.deepStrictEqual(
        shippedPolicyConfig(stack)["open-network-policy-rule"],
        allowedFlows(networkSettings(cfg)),
      );
    });

    it("ships workspace-namespace-without-quota figures equal to the stack's quota and LimitRange", () => {
      const w = stackConfig(stack).workspaces;
      const max = limitsFor(w.size).find((item) => item.type === "Container")?.max;
      assert.deepStrictEqual(shippedPolicyConfig(stack)["workspace-namespace-without-quota"], {
        hard: quotaFor({ maxWorkspaces: w.maxWorkspaces, size: w.size, servicesPerWorkspace: w.servicesPerWorkspace }),
        containerMax: max,
        volumeMax: w.size.homeDisk,
      });
    });

    it("ships missing-workspace-admission settings equal to what the stack's admission rules are built from", () => {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { actions, ...rules } = admissionSettings(stackConfig(stack));
      assert.deepStrictEqual(shippedPolicyConfig(stack)["missing-workspace-admission"], rules);
    });

    // Every policy that asks where workspaces and coderd live gets the stack's own answer, so one label
    // cannot switch a guard off and a renamed namespace cannot slip past one.
    const STACK_SETTINGS: Record<string, (cfg: ReturnType<typeof stackConfig>) => unknown> = {
      workspaceNamespaces: (cfg) => cfg.workspaces.namespaces,
      coderdNamespace: (cfg) => cfg.controlPlane.namespace,
      coderdServiceAccount: (cfg) => cfg.controlPlane.serviceAccountName,
    };
    for (const policy of policies) {
      const properties = Object.keys(policy.configSchema?.properties ?? {}).filter((k) => k in STACK_SETTINGS);
      if (properties.length === 0) continue;
      it(`ships ${policy.name} settings naming the stack's own ${properties.join(", ")}`, () => {
        const settings = shippedPolicyConfig(stack)[policy.name] as Record<string, unknown> | undefined;
        assert.ok(
          settings && typeof settings === "object",
          `stacks/policy.${stack}.json has no ${policy.name} settings`,
        );
        const cfg = stackConfig(stack);
        assert.deepStrictEqual(
          Object.fromEntries(properties.map((k) => [k, settings[k]])),
          Object.fromEntries(properties.map((k) => [k, STACK_SETTINGS[k](cfg)])),
        );
      });
    }

    it("ships an eks-cluster-admin-access setting naming the stack's own break-glass role", () => {
      const settings = shippedPolicyConfig(stack)["eks-cluster-admin-access"] as
        { breakGlassRoleArn?: string } | undefined;
      const cfg = stackConfig(stack);
      if (cfg.cluster.target !== "eks") {
        assert.strictEqual(settings, undefined, "a stack without EKS names no break-glass role");
        return;
      }
      assert.ok(cfg.aws?.cluster.breakGlassRoleArn, `stack ${stack} names no break-glass role`);
      assert.strictEqual(settings?.breakGlassRoleArn, cfg.aws.cluster.breakGlassRoleArn);
    });

    it("raises no mandatory violation from any resource or stack policy", async () => {
      const resources = toPolicyResources(recorded, stack);
      assert.ok(
        resources.filter((r) => r.type.startsWith("kubernetes:")).length > 10,
        "the stack registered too few Kubernetes resources to be meaningful",
      );
      if (stackConfig(stack).cluster.target === "eks") {
        // The AWS layer is judged too: its cluster, node groups, key, repositories and database.
        for (const type of [
          "aws:eks/cluster:Cluster",
          "aws:eks/nodeGroup:NodeGroup",
          "aws:ec2/launchTemplate:LaunchTemplate",
          "aws:kms/key:Key",
          "aws:ecr/repository:Repository",
          "aws:rds/instance:Instance",
          "aws:eks/addon:Addon",
        ]) {
          assert.ok(
            resources.some((r) => r.type === type),
            `no ${type} registered`,
          );
        }
      }
      const violations = await runPack(policies, resources, { config: shippedPolicyConfig(stack), stack });
      assert.deepStrictEqual(describeAll(violations.filter((v) => v.enforcementLevel === "mandatory")), []);
    });

    it("raises no mandatory violation at preview either, where what the cloud computes is still unknown", async () => {
      const previewed = toPolicyResources(await previewUnderMocks(stackConfig(stack)), stack);
      const violations = await runPack(policies, previewed, { config: shippedPolicyConfig(stack), stack });
      assert.deepStrictEqual(describeAll(violations.filter((v) => v.enforcementLevel === "mandatory")), []);
      if (stackConfig(stack).cluster.target === "eks") {
        // Values such as the key ARN reach the pack as the engine's unknowns, so some checks wait for `up`.
        assert.ok(
          violations.some((v) => PREVIEW_GAP.test(v.message)),
          "no policy reported a preview gap: AWS-computed values reached the pack as known values",
        );
      }
    });

    it("is judged for real: removing one default-deny policy from the recording is caught", async () => {
      const withoutDeny = recorded.filter(
        (r) =>
          !(
            r.type === K8S.networkPolicy &&
            r.inputs.metadata?.name === DEFAULT_DENY_POLICY &&
            r.inputs.metadata?.namespace === "coder"
          ),
      );
      assert.strictEqual(withoutDeny.length, recorded.length - 1);
      const violations = await runPack(policies, toPolicyResources(withoutDeny, stack), {
        config: shippedPolicyConfig(stack),
        stack,
      });
      assert.deepStrictEqual(
        violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName),
        ["missing-default-deny-network-policy"],
      );
    });

    it("judges the database TLS through the credentials Secret's attestation: dropping it is caught", async () => {
      const isCredentials = (r: RecordedResource) =>
        r.type === "kubernetes:core/v1:Secret" && r.inputs.metadata?.name === "coder-credentials";
      assert.strictEqual(recorded.filter(isCredentials).length, 1);
      const unattested = recorded.map((r) =>
        isCredentials(r) ? { ...r, inputs: { ...r.inputs, metadata: { ...r.inputs.metadata, annotations: {} } } } : r,
      );
      const violations = await runPack(policies, toPolicyResources(unattested, stack), {
        config: shippedPolicyConfig(stack),
        stack,
      });
      const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
      assert.deepStrictEqual(
        mandatory.map((v) => v.policyName),
        ["coder-database-tls-unverified"],
        describeAll(mandatory).join("\n"),
      );
      assert.match(
        mandatory[0].detail,
        new RegExp(`from Secret "coder/coder-credentials", which carries no ${POSTGRES_SSLMODE_ANNOTATION} annotation`),
      );
    });

    /** The pack's mandatory violations over the recording with one change applied to matching resources. */
    async function mandatoryAfter(
      which: (r: RecordedResource) => boolean,
      change: (inputs: any) => any,
    ): Promise<Violation[]> {
      assert.ok(recorded.some(which), "the change matches nothing in the recording");
      const changed = recorded.flatMap((r) => {
        if (!which(r)) return [r];
        const inputs = change(structuredClone(r.inputs));
        return inputs === undefined ? [] : [{ ...r, inputs }];
      });
      const violations = await runPack(policies, toPolicyResources(changed, stack), {
        config: shippedPolicyConfig(stack),
        stack,
      });
      return violations.filter((v) => v.enforcementLevel === "mandatory");
    }
    const isRelease = (r: RecordedResource) => r.type === K8S.helmReleaseV3;

    it("judges the Coder release's values: an unhardened coderd container is caught", async () => {
      const mandatory = await mandatoryAfter(isRelease, (inputs) => {
        delete inputs.values.coder.securityContext.readOnlyRootFilesystem;
        return inputs;
      });
      assert.deepStrictEqual(
        mandatory.map((v) => v.policyName),
        ["coder-release-unhardened-values"],
        describeAll(mandatory).join("\n"),
      );
      assert.match(
        mandatory[0].detail,
        /^Release "coder-release": coder\.securityContext leaves coderd's container unhardened \(readOnlyRootFilesystem is not set\)/,
      );
    });

    it("judges coderd's image: one outside the approved registries is caught", async () => {
      const mandatory = await mandatoryAfter(isRelease, (inputs) => {
        inputs.values.coder.image = { ...inputs.values.coder.image, repo: "docker.io/someone/coder", tag: "v2.36.3" };
        return inputs;
      });
      assert.deepStrictEqual(
        mandatory.map((v) => v.policyName),
        ["unapproved-images"],
        describeAll(mandatory).join("\n"),
      );
      assert.match(
        mandatory[0].detail,
        /coderd image: image "docker\.io\/someone\/coder:v2\.36\.3" is not from an approved registry/,
      );
    });

    it("judges a release of a local chart archive the same way", async () => {
      const mandatory = await mandatoryAfter(isRelease, (inputs) => {
        inputs.chart = "/opt/charts/coder-2.36.3.tgz";
        delete inputs.repositoryOpts;
        inputs.values.coder.securityContext.privileged = true;
        return inputs;
      });
      assert.deepStrictEqual(
        mandatory.map((v) => v.policyName),
        ["coder-release-unhardened-values"],
        describeAll(mandatory).join("\n"),
      );
    });

    it("requires the workspace admission rules: dropping the pods rule's binding is caught for every workspace namespace", async () => {
      const isPodsBinding = (r: RecordedResource) =>
        r.type === K8S.validatingAdmissionPolicyBinding && r.inputs.metadata?.name === "coder-workspace-pods";
      const mandatory = await mandatoryAfter(isPodsBinding, () => undefined);
      assert.deepStrictEqual(
        mandatory.map((v) => `${v.policyName} ${v.detail.slice(0, v.detail.indexOf(":"))}`),
        stackConfig(stack).workspaces.namespaces.map((ns) => `missing-workspace-admission Namespace "${ns}"`),
        describeAll(mandatory).join("\n"),
      );
    });

    if (stack !== "local") {
      it("judges the AWS layer for real: a public database and a node with open metadata are caught", async () => {
        const isDb = (r: RecordedResource) => r.type === "aws:rds/instance:Instance";
        const publicDb = await mandatoryAfter(isDb, (inputs) => ({ ...inputs, publiclyAccessible: true }));
        assert.deepStrictEqual(
          publicDb.map((v) => v.policyName),
          ["public-rds-database"],
          describeAll(publicDb).join("\n"),
        );
        const isTemplate = (r: RecordedResource) => r.type === "aws:ec2/launchTemplate:LaunchTemplate";
        const openImds = await mandatoryAfter(isTemplate, (inputs) => {
          inputs.metadataOptions.httpPutResponseHopLimit = 2;
          return inputs;
        });
        assert.ok(openImds.length > 0 && openImds.every((v) => v.policyName === "node-imds-exposed"));
      });
    }

    it("catches a resource the program would send through the ambient provider", async () => {
      const stray = await capture(
        () => new k8s.core.v1.ConfigMap("stray", { metadata: { name: "stray", namespace: "coder" }, data: {} }),
      );
      const violations = await runPack(policies, toPolicyResources([...recorded, ...stray], stack), {
        config: shippedPolicyConfig(stack),
        stack,
      });
      const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
      assert.deepStrictEqual(
        mandatory.map((v) => v.policyName),
        ["ambient-kubernetes-provider"],
        describeAll(mandatory).join("\n"),
      );
      assert.match(
        mandatory[0].detail,
        /^ConfigMap "coder\/stray": is deployed through the default Kubernetes provider \(urn:pulumi:.*::pulumi:providers:kubernetes::default_4_34_2\)/,
      );
    });
  });
}
