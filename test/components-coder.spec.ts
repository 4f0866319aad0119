// The CoderDeployment component under the engine's mocks: the chart values in full for one set of arguments
// and what each optional argument adds, the credentials Secret, the PodDisruptionBudget and the release.
import "./harness/mocks";
import * as assert from "assert";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { CoderDeployment, CoderDeploymentArgs, coderValues, INTERNAL_NLB_ANNOTATIONS } from "../components/coder";
import { coderEnv } from "../components/coder/env";
import { publishedBy } from "./harness/component-outputs";
import { capture, optionsRecorder } from "./harness/mocks";
import { ofType, single } from "./harness/resources";
import { isSecret, reveal } from "./harness/secrets";
import { valueOf } from "./harness/outputs";

const CERT = "-----BEGIN CERTIFICATE-----\ncoderd\n-----END CERTIFICATE-----\n";
const ENV: CoderDeploymentArgs["env"] = {
  accessUrl: "https://coder.example.com",
  database: { auth: "password" },
  gitProviders: [],
  strictTransportSecuritySeconds: 31536000,
  disableOwnerWorkspaceAccess: true,
  prometheus: false,
};
const ARGS: CoderDeploymentArgs = {
  namespace: "coder",
  chart: { repository: "https://helm.coder.com/v2", version: "2.20.0" },
  replicas: 1,
  serviceType: "ClusterIP",
  resources: { cpu: "2", memory: "4Gi", ephemeralStorage: "2Gi" },
  serviceAccountName: "coderd",
  tlsSecretNames: [],
  env: ENV,
  prerequisites: [],
  credentials: { "pg-connection-url": "postgres://coder@db/coder?sslmode=verify-full" },
  databaseSslMode: "verify-full",
};

/** The values with every Output resolved, as Helm receives them. */
async function values(args: CoderDeploymentArgs): Promise<any> {
  return valueOf(coderValues(args));
}

describe("components/coder: chart values", () => {
  it("hardens coderd and sizes it as configured, with no image override, placement or TLS of its own", async () => {
    assert.deepStrictEqual(await values(ARGS), {
      coder: {
        replicaCount: 1,
        serviceAccount: { name: "coderd", disableCreate: true, workspacePerms: false, enableDeployments: false },
        env: coderEnv({ ...ENV, credentialsSecret: "coder-credentials" }),
        tls: { secretNames: [] },
        podSecurityContext: { runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 1000,
          runAsGroup: 1000,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        },
        volumes: [
          { name: "cache", emptyDir: { sizeLimit: "1Gi" } },
          { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
        ],
        volumeMounts: [
          { name: "cache", mountPath: "/home/coder/.cache" },
          { name: "tmp", mountPath: "/tmp" },
        ],
        resources: {
          requests: { cpu: "2", memory: "4Gi", "ephemeral-storage": "2Gi" },
          limits: { cpu: "2", memory: "4Gi", "ephemeral-storage": "2Gi" },
        },
        service: { type: "ClusterIP", annotations: {} },
      },
    });
  });

  it("adds the image, pull secret, placement, certificate digest and trust bundle it is given", async () => {
    const placement = {
      nodeSelector: { "coder-blueprint/pool": "coderd" },
      tolerations: [{ key: "coder-blueprint/pool", operator: "Equal", value: "coderd", effect: "NoSchedule" }],
    };
    const coder = (
      await values({
        ...ARGS,
        image: { repository: "registry.example.com/coder/coder", tag: "v2.20.0" },
        imagePullSecret: "coder-registry-pull",
        placement,
        tlsSecretNames: ["coderd-tls"],
        tlsCertificate: CERT,
        trustBundle: { name: "coder-trust", key: "ca.crt" },
      })
    ).coder;
    assert.deepStrictEqual(coder.image, {
      repo: "registry.example.com/coder/coder",
      tag: "v2.20.0",
      pullSecrets: [{ name: "coder-registry-pull" }],
    });
    assert.deepStrictEqual([coder.nodeSelector, coder.tolerations], [placement.nodeSelector, placement.tolerations]);
    assert.deepStrictEqual(coder.podAnnotations, {
      "coder-blueprint/tls-certificate-sha256": createHash("sha256").update(CERT).digest("hex"),
    });
    assert.deepStrictEqual(coder.tls, { secretNames: ["coderd-tls"] });
    assert.deepStrictEqual(coder.certs, { secrets: [{ name: "coder-trust", key: "ca.crt" }] });
    // A pull secret alone (the chart's default image) still reaches the chart.
    assert.deepStrictEqual((await values({ ...ARGS, imagePullSecret: "coder-registry-pull" })).coder.image, {
      pullSecrets: [{ name: "coder-registry-pull" }],
    });
  });

  it("exposes coderd through an internal NLB only when asked to", async () => {
    assert.deepStrictEqual((await values({ ...ARGS, serviceType: "InternalLoadBalancer" })).coder.service, {
      type: "LoadBalancer",
      annotations: INTERNAL_NLB_ANNOTATIONS,
    });
    assert.deepStrictEqual(INTERNAL_NLB_ANNOTATIONS, {
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    });
  });
});

describe("components/coder: CoderDeployment", () => {
  async function deploy(args: CoderDeploymentArgs) {
    const options = optionsRecorder();
    const resources = await capture(
      () => new CoderDeployment("coder", args, { transformations: options.transformations }).release.urn,
    );
    return { resources, options };
  }

  it("keeps the credentials in a Secret, attested with the database's sslmode, as a Pulumi secret", async () => {
    const { resources } = await deploy(ARGS);
    const secret = single(ofType(resources, "kubernetes:core/v1:Secret"), "credentials Secret").inputs;
    assert.deepStrictEqual(secret.metadata, {
      name: "coder-credentials",
      namespace: "coder",
      annotations: { "coder-blueprint/postgres-sslmode": "verify-full" },
    });
    assert.strictEqual(secret.type, "Opaque");
    assert.ok(isSecret(secret.stringData));
    assert.deepStrictEqual(reveal(secret.stringData), ARGS.credentials);
  });

  it("installs the chart from its repository or a local copy, atomically, after what it refers to", async () => {
    const prerequisite = new pulumi.ComponentResource("test:index:Prerequisite", "tls-secret");
    const { resources, options } = await deploy({ ...ARGS, prerequisites: [prerequisite] });
    const release = single(ofType(resources, "kubernetes:helm.sh/v3:Release"), "release");
    assert.strictEqual(release.name, "coder-release");
    assert.deepStrictEqual(await publishedBy("coder-blueprint:coder:CoderDeployment"), ["release"]);
    // `compat` is the Kubernetes SDK's own marker on every Release.
    const { values: _values, compat: _compat, ...settings } = release.inputs;
    assert.deepStrictEqual(settings, {
      name: "coder",
      namespace: "coder",
      chart: "coder",
      version: "2.20.0",
      repositoryOpts: { repo: "https://helm.coder.com/v2" },
      atomic: true,
      cleanupOnFail: true,
    });
    const dependsOn = [options.of("kubernetes:helm.sh/v3:Release", "coder-release")?.dependsOn].flat();
    assert.strictEqual(dependsOn.length, 2, "the release waits for the credentials Secret and the prerequisite");
    assert.ok(dependsOn.includes(prerequisite));

    const local = single(
      ofType((await deploy({ ...ARGS, chart: { path: "./charts/coder" } })).resources, "kubernetes:helm.sh/v3:Release"),
      "release",
    ).inputs;
    assert.strictEqual(local.chart, "./charts/coder");
    assert.ok(!("repositoryOpts" in local) && !("version" in local));
  });

  it("keeps one replica up through voluntary disruptions when there are several", async () => {
    assert.deepStrictEqual(
      ofType((await deploy(ARGS)).resources, "kubernetes:policy/v1:PodDisruptionBudget"),
      [],
      "one replica: a budget would block node drains",
    );
    const { resources, options } = await deploy({ ...ARGS, replicas: 2 });
    const pdb = single(ofType(resources, "kubernetes:policy/v1:PodDisruptionBudget"), "PodDisruptionBudget");
    assert.deepStrictEqual(pdb.inputs.metadata, { name: "coderd", namespace: "coder" });
    assert.deepStrictEqual(pdb.inputs.spec, {
      minAvailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": "coder" } },
    });
    const dependsOn = [options.of("kubernetes:helm.sh/v3:Release", "coder-release")?.dependsOn].flat();
    assert.strictEqual(dependsOn.length, 2, "the release waits for the credentials Secret and the budget");
  });
});
