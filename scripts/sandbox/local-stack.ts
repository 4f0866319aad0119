// The shipped `local` stack, pointed at the loopback control plane, as the e2e suite and the sandbox deploy
// it. What differs from stacks/Pulumi.local.yaml is only what cannot exist offline:
// - the Coder release is off: its chart cannot be downloaded (its values are covered by the unit tests);
// - TLS is `provided`, with a certificate from openssl: the @pulumi/tls provider cannot be built offline;
// - no database block: the release that would use it is off.
// The cluster gets what kind and EKS ship and a bare API server lacks: a default StorageClass, which the
// local stack demotes (storage.demoteDefaultClasses).
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { KubeApi } from "./kube-api";
import { PulumiCli } from "./pulumi-cli";
import { servingCertificate } from "./tls";

/** A stack settings file, as far as this module reads it. */
interface StackDocument {
  config?: Record<string, unknown>;
}

/** The shipped local stack's settings this module reads or replaces. */
type LocalConfig = Record<string, unknown> & { "coder-blueprint:coder": { accessUrl: string; enabled?: boolean } };

export interface LocalStack {
  name: string;
  /** The stack's settings file, in the CLI's work directory, never in `stacks/`. */
  stackFile: string;
  /** `--stack` and `--config-file` for every command on the stack. */
  args: string[];
  /** The serving key set as a Pulumi secret (the e2e suite looks for it in the exported state). */
  tlsPrivateKey: string;
}

/** kind's default class, as the blueprint finds it on a fresh kind or EKS cluster. */
export const KIND_DEFAULT_CLASS = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: "rancher.io/local-path",
};

/** Creates KIND_DEFAULT_CLASS unless the cluster has a class of that name (demoted or not). */
export async function ensureKindDefaultClass(kube: KubeApi): Promise<void> {
  const path = `/apis/storage.k8s.io/v1/storageclasses/${KIND_DEFAULT_CLASS.metadata.name}`;
  if ((await kube.get(path)).status === 200) return;
  const created = await kube.post("/apis/storage.k8s.io/v1/storageclasses", KIND_DEFAULT_CLASS);
  if (created.status !== 201) throw new Error(`creating ${path}: ${created.status} ${JSON.stringify(created.body)}`);
}

/** `--policy-pack` and `--policy-pack-config` with the shipped settings of `settingsStack`. */
export function policyArgs(root: string, settingsStack = "local"): string[] {
  return [
    "--policy-pack",
    path.join(root, "policy-pack"),
    "--policy-pack-config",
    path.join(root, "stacks", `policy.${settingsStack}.json`),
  ];
}

export function stackArgs(name: string, stackFile: string): string[] {
  return ["--stack", name, "--config-file", stackFile];
}

/**
 * Creates stack `name` of the project in `root` with the local stack's settings, pointed at the cluster in
 * `kubeconfig`/`context`; the certificate is made in `tlsDir`, and its key file removed once it is a secret.
 */
export function createLocalStack(
  cli: PulumiCli,
  root: string,
  name: string,
  plane: { kubeconfig: string; context: string },
  tlsDir: string,
): LocalStack {
  const shipped = parse(fs.readFileSync(path.join(root, "stacks", "Pulumi.local.yaml"), "utf8")) as StackDocument;
  const config = shipped.config as LocalConfig;
  fs.mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const tls = servingCertificate(tlsDir, new URL(config["coder-blueprint:coder"].accessUrl).hostname);
  const stackFile = cli.initStack(root, name);
  const args = stackArgs(name, stackFile);
  const stackDoc = (parse(fs.readFileSync(stackFile, "utf8")) as StackDocument | null) ?? {};
  config["coder-blueprint:cluster"] = { target: "existing", kubeconfig: plane.kubeconfig, context: plane.context };
  config["coder-blueprint:coder"].enabled = false;
  delete config["coder-blueprint:database"];
  config["coder-blueprint:tls"] = { mode: "provided", provided: { certificate: tls.certificate } };
  fs.writeFileSync(stackFile, stringify({ ...stackDoc, config }));
  cli.ok(
    root,
    ["config", "set", "--secret", "--path", "coder-blueprint:tls.provided.privateKey", ...args],
    tls.privateKey,
  );
  fs.rmSync(path.join(tlsDir, "tls.key"), { force: true });
  return { name, stackFile, args, tlsPrivateKey: tls.privateKey };
}
