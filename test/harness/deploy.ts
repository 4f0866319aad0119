// Runs the program under mocks the way `pulumi up` and `pulumi preview` run it: for `eks` stacks the AWS
// layer's preflight first (its invokes answered as the stack's own account would answer them), then the
// whole stack, AWS layer and Kubernetes layer, through the same functions index.ts calls.
import * as pulumi from "@pulumi/pulumi";
import { awsPreflight, AwsPreflight, deployStack } from "../../blueprint";
import { BlueprintConfig } from "../../config";
import { InvokeAnswer, withInvokes } from "./invokes";
import { capture, capturePreview, RecordedResource } from "./mocks";

/** The caller identity, region and partition invokes, answered with the stack's own account and region. */
function stackAccount(cfg: BlueprintConfig): InvokeAnswer {
  return (token) => {
    if (!cfg.aws) return undefined;
    const { accountId, region } = cfg.aws;
    if (token === "aws:index/getCallerIdentity:getCallerIdentity") {
      return { accountId, arn: `arn:aws:iam::${accountId}:user/test`, userId: "AIDTEST", id: accountId };
    }
    if (token === "aws:index/getRegion:getRegion") return { region, name: region, id: region };
    if (token === "aws:index/getPartition:getPartition") {
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    }
    return undefined;
  };
}

/**
 * The preflight of an `eks` stack with the live cluster answered by `live` (by default: nothing exists
 * yet); undefined for other stacks.
 */
export async function preflightUnderMocks(
  cfg: BlueprintConfig,
  live?: InvokeAnswer,
): Promise<AwsPreflight | undefined> {
  if (cfg.cluster.target !== "eks") return undefined;
  const account = stackAccount(cfg);
  return withInvokes(
    (token, inputs) => live?.(token, inputs) ?? account(token, inputs),
    () => awsPreflight(cfg),
  );
}

/**
 * What AWS answers after creating a resource, in an update: the shared mocks echo inputs only, and the
 * program reads ARNs and names back (a role ARN in a repository policy, a key ARN in a launch template).
 * Stand-ins shaped like AWS's, for update-mode runs only; previews leave them unknown.
 */
function awsState(accountId: string, region: string, args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const { type, name } = args;
  const [, module, resource] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
  if (type === "aws:iam/role:Role" || type === "aws:iam/policy:Policy") {
    return {
      name: args.inputs.name ?? name,
      arn: `arn:aws:iam::${accountId}:${type === "aws:iam/role:Role" ? "role" : "policy"}/${name}`,
    };
  }
  if (type === "aws:eks/cluster:Cluster") {
    return {
      endpoint: `https://${name}.mock.${region}.eks.amazonaws.com`,
      certificateAuthority: { data: "bW9jay1jYQ==" },
      vpcConfig: { ...args.inputs.vpcConfig, clusterSecurityGroupId: `sg-${name}` },
      identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/MOCK` }] }],
    };
  }
  if (args.inputs.arn !== undefined) return {};
  return { arn: `arn:aws:${module}:${region}:${accountId}:${resource?.toLowerCase()}/${name}` };
}

/** The whole program as an update: every resource it registers, with its inputs. */
export async function deployUnderMocks(
  cfg: BlueprintConfig,
  awsOptions?: pulumi.ComponentResourceOptions,
): Promise<RecordedResource[]> {
  const preflight = await preflightUnderMocks(cfg);
  if (!cfg.aws) return capture(() => deployStack(cfg, preflight));
  const { accountId, region } = cfg.aws;
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const shared = monitor.mocks.newResource.bind(monitor.mocks);
  monitor.mocks.newResource = async (args) => {
    const result = await shared(args);
    if (!args.type.startsWith("aws:")) return result;
    return { ...result, state: { ...result.state, ...awsState(accountId, region, args) } };
  };
  try {
    return await withInvokes(stackAccount(cfg), () => capture(() => deployStack(cfg, preflight, awsOptions)));
  } finally {
    monitor.mocks.newResource = shared;
  }
}

/** The whole program as a first preview: AWS-computed values stay unknown (see capturePreview). */
export async function previewUnderMocks(cfg: BlueprintConfig): Promise<RecordedResource[]> {
  return (await previewWithOutputs(cfg)).resources;
}

/** A first preview, with the stack outputs the program returned (values of Outputs, possibly unknown). */
export async function previewWithOutputs(
  cfg: BlueprintConfig,
): Promise<{ resources: RecordedResource[]; outputs: Record<string, unknown> }> {
  const preflight = await preflightUnderMocks(cfg);
  let outputs: Record<string, unknown> = {};
  const resources = await capturePreview(() => (outputs = deployStack(cfg, preflight)));
  return { resources, outputs };
}

/**
 * Runs `run` and lists what reaches the engine meanwhile, so a spec can show that a refusal came before
 * the first registration.
 */
export async function registrationsDuring(
  run: () => Promise<unknown>,
): Promise<{ registered: string[]; error?: Error }> {
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const shared = monitor.mocks.newResource.bind(monitor.mocks);
  const registered: string[] = [];
  monitor.mocks.newResource = (args) => {
    registered.push(`${args.type}::${args.name}`);
    return shared(args);
  };
  try {
    await run();
    return { registered };
  } catch (e) {
    return { registered, error: e as Error };
  } finally {
    monitor.mocks.newResource = shared;
  }
}
