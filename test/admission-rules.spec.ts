// The admission rules as rendered for the local stack, evaluated against the objects coderd would create.
import "./harness/mocks";
import * as assert from "assert";
import { admissionPolicies, AdmissionRules } from "../components/admission";
import { isApproved } from "../policy-pack/contract";
import { denials, PolicySpec } from "./harness/admission";
import { deployUnderMocks } from "./harness/deploy";
import { ofType } from "./harness/resources";
import { stackConfig } from "./harness/stacks";

/** A workspace pod as a hardened Coder Kubernetes template creates it. */
function compliantPod(): any {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "coder-ws-1", namespace: "coder-workspaces" },
    spec: {
      automountServiceAccountToken: false,
      serviceAccountName: "coder-workspace",
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        fsGroup: 1000,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: "dev",
          image: "ghcr.io/coder/enterprise-base:ubuntu-2026",
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          resources: { limits: { cpu: "2", memory: "4Gi", "ephemeral-storage": "5Gi" } },
          volumeMounts: [{ name: "home", mountPath: "/home/coder" }],
        },
      ],
      volumes: [{ name: "home", persistentVolumeClaim: { claimName: "coder-ws-1-home" } }],
    },
  };
}

function asDeployment(pod: any): any {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: pod.metadata,
    spec: { replicas: 1, template: { metadata: {}, spec: pod.spec } },
  };
}

/** Every object kind the pod rule matches, each carrying the pod's spec where that kind keeps it. */
const CARRIERS: Array<[string, (pod: any) => any]> = [
  ["a Pod", (pod) => pod],
  ["a Deployment", asDeployment],
  ["a StatefulSet", (pod) => ({ ...asDeployment(pod), kind: "StatefulSet" })],
  ["a ReplicationController", (pod) => ({ ...asDeployment(pod), apiVersion: "v1", kind: "ReplicationController" })],
  ["a Job", (pod) => ({ apiVersion: "batch/v1", kind: "Job", spec: { template: { spec: pod.spec } } })],
  [
    "a CronJob",
    (pod) => ({
      apiVersion: "batch/v1",
      kind: "CronJob",
      spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: pod.spec } } } },
    }),
  ],
];

/** A container list other than `containers`, holding a copy of the compliant container under a new name. */
function addContainer(pod: any, list: "initContainers" | "ephemeralContainers"): any {
  const { resources, ...container } = pod.spec.containers[0];
  // Ephemeral containers may not set resources; init containers keep theirs for the LimitRange rule.
  const extra = { ...structuredClone(list === "initContainers" ? { ...container, resources } : container) };
  extra.name = list === "initContainers" ? "init" : "debugger";
  pod.spec[list] = [...(pod.spec[list] ?? []), extra];
  return extra;
}

const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;
type ContainerList = (typeof CONTAINER_LISTS)[number];
const containerIn = (pod: any, list: ContainerList) =>
  list === "containers" ? pod.spec.containers[0] : addContainer(pod, list);

/** The pod rule for a set of approved prefixes, built as the program builds it. */
function podRulesFor(approved: string[]): PolicySpec {
  const rules: AdmissionRules = {
    approvedRegistries: approved,
    allowedCapabilities: [],
    allowedSecrets: [],
    maxVolumeSize: "10Gi",
    actions: ["Deny"],
  };
  return admissionPolicies(rules, ["coder-workspaces"]).find((p) => p.name === "coder-workspace-pods")!
    .policy as PolicySpec;
}

describe("workspace admission rules (CEL)", () => {
  const cfg = stackConfig("local");
  let policies: Record<string, PolicySpec>;
  before(async () => {
    const resources = await deployUnderMocks(cfg);
    policies = Object.fromEntries(
      ofType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").map((p) => [
        p.inputs.metadata.name,
        p.inputs.spec,
      ]),
    );
  });
  const podRules = () => policies["coder-workspace-pods"];

  it("admits a compliant workspace pod, and the same pod as a Deployment", () => {
    assert.deepStrictEqual(denials(podRules(), compliantPod()), []);
    assert.deepStrictEqual(denials(podRules(), asDeployment(compliantPod())), []);
    assert.deepStrictEqual(denials(policies["coder-workspace-ephemeral-storage"], compliantPod()), []);
  });

  const violations: Array<[string, (pod: any) => void, RegExp]> = [
    ["a privileged container", (p) => (p.spec.containers[0].securityContext = { privileged: true }), /privileged/],
    [
      "a hostPath volume",
      (p) => p.spec.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } }),
      /hostPath/,
    ],
    ["hostNetwork", (p) => (p.spec.hostNetwork = true), /hostNetwork/],
    ["hostPID", (p) => (p.spec.hostPID = true), /hostPID/],
    [
      "an image from an unapproved registry",
      (p) => (p.spec.containers[0].image = "docker.io/library/ubuntu:24.04"),
      /approved registry/,
    ],
    [
      "an unapproved init container image",
      (p) => (p.spec.initContainers = [{ ...p.spec.containers[0], name: "init", image: "evil.example/x:1" }]),
      /approved registry/,
    ],
    [
      "an added capability",
      (p) => (p.spec.containers[0].securityContext.capabilities.add = ["SYS_ADMIN"]),
      /capabilities/,
    ],
    [
      "a mounted service account token",
      (p) => (p.spec.automountServiceAccountToken = true),
      /automountServiceAccountToken/,
    ],
    ["no automount setting at all", (p) => delete p.spec.automountServiceAccountToken, /automountServiceAccountToken/],
    [
      "a projected service account token",
      (p) =>
        p.spec.volumes.push({
          name: "token",
          projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }] },
        }),
      /projected volumes/,
    ],
    [
      "a mounted Secret",
      (p) => p.spec.volumes.push({ name: "creds", secret: { secretName: "coder-registry-pull" } }),
      /allowedSecrets/,
    ],
    [
      "a Secret read into the environment",
      (p) =>
        (p.spec.containers[0].env = [
          { name: "T", valueFrom: { secretKeyRef: { name: "coder-credentials", key: "x" } } },
        ]),
      /allowedSecrets/,
    ],
    [
      "a Secret read through envFrom",
      (p) => (p.spec.containers[0].envFrom = [{ secretRef: { name: "anything" } }]),
      /allowedSecrets/,
    ],
  ];
  for (const [what, mutate, message] of violations) {
    it(`denies a workspace pod with ${what}, directly and through a Deployment`, () => {
      const pod = compliantPod();
      mutate(pod);
      const direct = denials(podRules(), pod);
      assert.strictEqual(direct.length, 1, `expected one denial, got ${JSON.stringify(direct)}`);
      assert.match(direct[0], message);
      assert.deepStrictEqual(denials(podRules(), asDeployment(pod)), direct);
    });
  }

  it("denies a container without an ephemeral-storage limit", () => {
    const pod = compliantPod();
    delete pod.spec.containers[0].resources.limits["ephemeral-storage"];
    assert.match(denials(policies["coder-workspace-ephemeral-storage"], pod).join(), /ephemeral-storage/);
    pod.spec.containers[0].resources = {};
    assert.strictEqual(denials(policies["coder-workspace-ephemeral-storage"], pod).length, 1);
  });

  it("caps workspace volumes at the configured home disk size", () => {
    const pvc = (size: string) => ({
      kind: "PersistentVolumeClaim",
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } },
    });
    const rules = policies["coder-workspace-volume-size"];
    assert.deepStrictEqual(denials(rules, pvc(cfg.workspaces.size.homeDisk)), []);
    assert.deepStrictEqual(denials(rules, pvc("1Gi")), []);
    assert.match(denials(rules, pvc("11Gi")).join(), new RegExp(`at most ${cfg.workspaces.size.homeDisk}`));
    assert.strictEqual(denials(rules, pvc("1Ti")).length, 1);
  });

  it("allows the Secrets the stack lists, and only those", async () => {
    const resources = await deployUnderMocks(
      stackConfig("local", { admission: { allowedSecrets: ["dotfiles-deploy-key"] } }),
    );
    const rules = ofType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").find(
      (p) => p.inputs.metadata.name === "coder-workspace-pods",
    )!.inputs.spec;
    const pod = compliantPod();
    pod.spec.volumes.push({ name: "key", secret: { secretName: "dotfiles-deploy-key" } });
    assert.deepStrictEqual(denials(rules, pod), []);
    pod.spec.containers[0].envFrom = [{ secretRef: { name: "coder-registry-pull" } }];
    assert.strictEqual(denials(rules, pod).length, 1);
  });

  it("allows only the capabilities the stack lists", async () => {
    const resources = await deployUnderMocks(
      stackConfig("local", { admission: { allowedCapabilities: ["NET_BIND_SERVICE"] } }),
    );
    const rules = ofType(resources, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").find(
      (p) => p.inputs.metadata.name === "coder-workspace-pods",
    )!.inputs.spec;
    const pod = compliantPod();
    pod.spec.containers[0].securityContext.capabilities.add = ["NET_BIND_SERVICE"];
    assert.deepStrictEqual(denials(rules, pod), []);
    pod.spec.containers[0].securityContext.capabilities.add.push("NET_RAW");
    assert.strictEqual(denials(rules, pod).length, 1);
  });

  for (const list of CONTAINER_LISTS) {
    const containerBreaches: Array<[string, (c: any) => void, RegExp]> = [
      ["an unapproved image", (c) => (c.image = "ghcr.io/coder-evil/miner:1"), /approved registry/],
      ["privileged", (c) => (c.securityContext = { ...c.securityContext, privileged: true }), /privileged/],
      ["an added capability", (c) => (c.securityContext.capabilities.add = ["NET_ADMIN"]), /capabilities/],
      [
        "a Secret in its environment",
        (c) => (c.env = [{ name: "T", valueFrom: { secretKeyRef: { name: "coder-credentials", key: "x" } } }]),
        /allowedSecrets/,
      ],
      ["a Secret through envFrom", (c) => (c.envFrom = [{ secretRef: { name: "coder-tls" } }]), /allowedSecrets/],
    ];
    for (const [what, mutate, message] of containerBreaches) {
      it(`denies ${what} in ${list}, in every kind of object that carries a pod`, () => {
        for (const [kind, wrap] of CARRIERS) {
          if (list === "ephemeralContainers" && kind !== "a Pod") continue; // only pods have them
          const pod = compliantPod();
          mutate(containerIn(pod, list));
          const found = denials(podRules(), wrap(pod));
          assert.strictEqual(found.length, 1, `${kind}: ${JSON.stringify(found)}`);
          assert.match(found[0], message, kind);
        }
      });
    }
  }

  it("admits compliant init and ephemeral containers, in every kind of object that carries a pod", () => {
    const pod = compliantPod();
    addContainer(pod, "initContainers");
    for (const [kind, wrap] of CARRIERS) assert.deepStrictEqual(denials(podRules(), wrap(pod)), [], kind);
    addContainer(pod, "ephemeralContainers");
    assert.deepStrictEqual(denials(podRules(), pod), []);
  });

  const hostNamespaces = ["hostNetwork", "hostPID", "hostIPC"];
  for (const field of hostNamespaces) {
    it(`denies ${field} in every kind of object that carries a pod, and admits it set to false`, () => {
      for (const [kind, wrap] of CARRIERS) {
        const pod = compliantPod();
        pod.spec[field] = true;
        assert.match(denials(podRules(), wrap(pod)).join(), /hostNetwork, hostPID and hostIPC/, kind);
        pod.spec[field] = false;
        assert.deepStrictEqual(denials(podRules(), wrap(pod)), [], kind);
      }
    });
  }

  it("denies Secrets reached through projected volumes, alone or beside allowed sources", () => {
    const projected = (sources: any[]) => {
      const pod = compliantPod();
      pod.spec.volumes.push({ name: "bundle", projected: { sources } });
      return pod;
    };
    const secret = { secret: { name: "coder-credentials", items: [{ key: "pg-connection-url", path: "db" }] } };
    for (const sources of [[secret], [{ configMap: { name: "kube-root-ca.crt" } }, secret]]) {
      assert.match(denials(podRules(), projected(sources)).join(), /allowedSecrets/);
      assert.match(denials(podRules(), asDeployment(projected(sources))).join(), /allowedSecrets/);
    }
    assert.deepStrictEqual(denials(podRules(), projected([{ configMap: { name: "kube-root-ca.crt" } }])), []);
    assert.deepStrictEqual(denials(podRules(), projected([{ downwardAPI: { items: [] } }])), []);
  });

  it("applies on CREATE and UPDATE, to pods, their ephemeral containers and every pod-carrying workload", () => {
    const rules: any[] = (podRules() as any).matchConstraints.resourceRules;
    // By API group, version and resource: a rule with the wrong group or no version matches nothing.
    const covered = new Set(
      rules.flatMap((r) =>
        r.operations.includes("CREATE") && r.operations.includes("UPDATE")
          ? r.apiGroups.flatMap((g: string) =>
              r.apiVersions.flatMap((v: string) => r.resources.map((res: string) => `${g}/${v}/${res}`)),
            )
          : [],
      ),
    );
    for (const resource of [
      "/v1/pods",
      "/v1/pods/ephemeralcontainers",
      "/v1/replicationcontrollers",
      "apps/v1/deployments",
      "apps/v1/statefulsets",
      "apps/v1/replicasets",
      "apps/v1/daemonsets",
      "batch/v1/jobs",
      "batch/v1/cronjobs",
    ])
      assert.ok(covered.has(resource), `${resource} is not checked on both CREATE and UPDATE`);
  });

  describe("registry matching agrees with the policy pack's unapproved-images", () => {
    // Each reference is judged by the CEL rule and by the pack's canonical isApproved; they must agree.
    const PREFIXES = [
      "ghcr.io/coder/",
      "docker.io/codercom/",
      "docker.io/library/",
      "docker.io/codercom/enterprise-base/",
      "registry.example.com/",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/coder/",
    ];
    const REFERENCES = [
      "ghcr.io/coder/enterprise-base:ubuntu",
      "ghcr.io/coder/coder@sha256:0123",
      "ghcr.io/coder",
      "ghcr.io/coder:latest",
      "ghcr.io/coder-evil/x",
      "ghcr.io/coderx",
      "evil.io/ghcr.io/coder/x",
      "ghcr.io.evil.io/coder/x",
      "GHCR.IO/coder/x",
      "codercom/enterprise-base:ubuntu",
      "docker.io/codercom/enterprise-base",
      "index.docker.io/codercom/x",
      "registry-1.docker.io/codercom/x",
      "codercom-evil/x",
      "codercom",
      "docker.io/codercom:1",
      "evil.io/codercom/x",
      "ubuntu",
      "ubuntu:24.04",
      "docker.io/ubuntu",
      "library/ubuntu@sha256:abc",
      "docker.io/library/ubuntu",
      "localhost/ubuntu",
      "localhost:5000/codercom/x",
      "registry.example.com/team/x:1",
      "registry.example.com:5000/x",
      "registry.example.com.evil.io/x",
      "registry.example.com",
      "registry.example.comx/y",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/coder/workspace:1",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/coderx/workspace:1",
      "923456789012.dkr.ecr.eu-west-1.amazonaws.com/coder/workspace:1",
    ];
    for (const prefix of PREFIXES) {
      it(`under ${prefix}`, () => {
        const rules = podRulesFor([prefix]);
        let approved = 0;
        for (const image of REFERENCES) {
          const pod = compliantPod();
          pod.spec.containers[0].image = image;
          const admitted = !denials(rules, pod).some((d) => /approved registry/.test(d));
          assert.strictEqual(admitted, isApproved(image, [prefix]), `${image}: CEL ${admitted ? "admits" : "denies"}`);
          if (admitted) approved++;
        }
        assert.ok(approved > 0 && approved < REFERENCES.length, "the table exercises both verdicts");
      });
    }

    it("never admits a look-alike of ghcr.io/coder/ (the path-boundary cases)", () => {
      const rules = podRulesFor(["ghcr.io/coder/"]);
      for (const image of ["ghcr.io/coder-evil/x", "evil.io/ghcr.io/coder/x", "ghcr.io.evil.io/coder/x"]) {
        const pod = compliantPod();
        pod.spec.containers[0].image = image;
        assert.match(denials(rules, pod).join(), /approved registry/, image);
      }
    });
  });
});
