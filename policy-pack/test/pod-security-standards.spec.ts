import * as assert from "assert";
import { podSecurityStandards } from "../policies/kubernetes/pod-security-standards";
import { K8S } from "../lib/types";
import { unknown } from "./harness/analyzer";
import { expectStackPass, expectStackPreviewGap, expectStackViolation } from "./expect";
import {
  compliantCronJob,
  compliantDeployment,
  compliantNamespace,
  compliantPod,
  compliantService,
  CONTROL_PLANE_NS,
  mainContainer,
  podSpec,
  WORKSPACE_NS,
} from "./fixtures/kubernetes";
import { mutate, resource } from "./fixtures/resources";
import { ROLE_CONTROL_PLANE } from "../contract";

const ENFORCE = "pod-security.kubernetes.io/enforce";
const WS = 'Deployment "coder-workspaces/coder-workspace"';
// The control plane enforces restricted, the workspace namespace baseline (as the blueprint labels them).
const namespaces = () => [compliantNamespace(), compliantNamespace(CONTROL_PLANE_NS, ROLE_CONTROL_PLANE)];
const inWorkspace = (change: (p: any) => void) => [...namespaces(), mutate(compliantDeployment(), change)];

describe("pod-security-standards", () => {
  it("passes the compliant workloads in baseline and restricted namespaces, and confining profiles", async () => {
    await expectStackPass(podSecurityStandards, [
      ...namespaces(),
      compliantDeployment(),
      compliantPod(CONTROL_PLANE_NS),
      compliantCronJob(CONTROL_PLANE_NS),
      mutate(compliantDeployment(), (p) => {
        mainContainer(p).securityContext.seLinuxOptions = { type: "container_t", level: "s0:c1,c2" };
        mainContainer(p).securityContext.appArmorProfile = { type: "RuntimeDefault" };
        mainContainer(p).securityContext.procMount = "Default";
        podSpec(p).securityContext.sysctls = [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }];
        mainContainer(p).ports = [{ containerPort: 8080 }];
      }),
    ]);
  });

  const baseline: [string, (p: any) => void, RegExp][] = [
    ["a host port", (p) => (mainContainer(p).ports = [{ containerPort: 22, hostPort: 2222 }]), /binds host port 2222/],
    ["an unmasked procMount", (p) => (mainContainer(p).securityContext.procMount = "Unmasked"), /procMount Unmasked/],
    [
      "SELinux spc_t",
      (p) => (podSpec(p).securityContext.seLinuxOptions = { type: "spc_t" }),
      /the pod runs as SELinux type "spc_t"/,
    ],
    [
      "an SELinux user",
      (p) => (mainContainer(p).securityContext.seLinuxOptions = { user: "system_u" }),
      /sets an SELinux user or role/,
    ],
    [
      "explicit Unconfined seccomp on the pod",
      (p) => (podSpec(p).securityContext.seccompProfile = { type: "Unconfined" }),
      /the pod sets seccompProfile Unconfined/,
    ],
    [
      "explicit Unconfined seccomp on a container",
      (p) => (mainContainer(p).securityContext.seccompProfile = { type: "Unconfined" }),
      /container "dev" sets seccompProfile Unconfined/,
    ],
    [
      "explicit Unconfined AppArmor field",
      (p) => (mainContainer(p).securityContext.appArmorProfile = { type: "Unconfined" }),
      /appArmorProfile Unconfined/,
    ],
    [
      "the AppArmor unconfined annotation",
      (p) =>
        (p.spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/dev": "unconfined" }),
      /turns AppArmor off/,
    ],
    [
      "allowPrivilegeEscalation: true",
      (p) => (podSpec(p).initContainers[0].securityContext.allowPrivilegeEscalation = true),
      /init container "init-home" sets allowPrivilegeEscalation: true/,
    ],
    [
      "an unsafe sysctl",
      (p) => (podSpec(p).securityContext.sysctls = [{ name: "kernel.core_pattern", value: "|/x" }]),
      /sysctl kernel\.core_pattern/,
    ],
    [
      "an inline EBS volume",
      (p) => podSpec(p).volumes.push({ name: "data", awsElasticBlockStore: { volumeID: "vol-0123" } }),
      /volume "data" mounts awsElasticBlockStore inline, outside any StorageClass/,
    ],
    [
      "an inline NFS share",
      (p) => podSpec(p).volumes.push({ name: "share", nfs: { server: "10.0.0.5", path: "/" } }),
      /mounts nfs inline/,
    ],
    [
      "a Windows host process",
      (p) => (mainContainer(p).securityContext.windowsOptions = { hostProcess: true }),
      /Windows host process/,
    ],
  ];
  for (const [what, change, message] of baseline) {
    it(`fails ${what} in a baseline namespace`, async () => {
      await expectStackViolation(
        podSecurityStandards,
        inWorkspace(change),
        WS,
        new RegExp(`breaks Pod Security baseline: .*${message.source}`),
      );
    });
  }

  it("fails the same in a namespace the stack does not create, and in a custom resource's pod template", async () => {
    await expectStackViolation(
      podSecurityStandards,
      [mutate(compliantDeployment("monitoring"), (p) => (mainContainer(p).securityContext.procMount = "Unmasked"))],
      'Deployment "monitoring/coder-workspace"',
      /procMount Unmasked/,
    );
    const vm = resource("kubernetes:example.com/v1:Sandbox", "sb", {
      metadata: { name: "sb", namespace: WORKSPACE_NS },
      spec: { runtime: { template: { spec: { ...podSpec(compliantPod().props), hostIPC: false } } } },
    });
    vm.props.spec.runtime.template.spec.containers[0].ports = [{ hostPort: 80 }];
    await expectStackViolation(podSecurityStandards, [vm], 'Sandbox "coder-workspaces/sb"', /binds host port 80/);
  });

  const restricted: [string, (p: any) => void, RegExp][] = [
    [
      "allowPrivilegeEscalation unset",
      (p) => delete mainContainer(p).securityContext.allowPrivilegeEscalation,
      /container "dev" does not set allowPrivilegeEscalation: false/,
    ],
    ["runAsNonRoot unset", (p) => delete podSpec(p).securityContext.runAsNonRoot, /does not set runAsNonRoot: true/],
    [
      "no seccomp profile",
      (p) => delete podSpec(p).securityContext.seccompProfile,
      /has no RuntimeDefault or Localhost seccomp profile/,
    ],
    [
      "capabilities not dropped",
      (p) => (mainContainer(p).securityContext.capabilities = {}),
      /does not drop ALL capabilities/,
    ],
    [
      "a hostPath-free but restricted-forbidden volume",
      (p) => podSpec(p).volumes.push({ name: "c", cephfs: { monitors: [] } }),
      /mounts cephfs inline/,
    ],
  ];
  for (const [what, change, message] of restricted) {
    it(`fails ${what} in a namespace enforcing restricted`, async () => {
      await expectStackViolation(
        podSecurityStandards,
        [...namespaces(), mutate(compliantDeployment(CONTROL_PLANE_NS), change)],
        'Deployment "coder/coder-workspace"',
        message,
      );
    });
  }

  it("passes the same restricted-only gaps in a baseline namespace", async () => {
    await expectStackPass(
      podSecurityStandards,
      inWorkspace((p) => {
        delete mainContainer(p).securityContext.allowPrivilegeEscalation;
        delete podSpec(p).securityContext.runAsNonRoot;
        mainContainer(p).securityContext.capabilities = {};
      }),
    );
  });

  it("lists every baseline break in one message", async () => {
    const v = await expectStackViolation(
      podSecurityStandards,
      inWorkspace((p) => {
        mainContainer(p).ports = [{ containerPort: 22, hostPort: 2222 }];
        mainContainer(p).securityContext.procMount = "Unmasked";
      }),
      WS,
      /breaks Pod Security baseline/,
    );
    assert.strictEqual(
      v.detail,
      `${WS}: breaks Pod Security baseline: container "dev" sets procMount Unmasked, unmasking the node's /proc; ` +
        'container "dev" binds host port 2222 on the node; remove these settings.',
    );
  });

  it("lists every restricted gap in one message", async () => {
    const v = await expectStackViolation(
      podSecurityStandards,
      [
        ...namespaces(),
        mutate(compliantDeployment(CONTROL_PLANE_NS), (p) => {
          delete mainContainer(p).securityContext.allowPrivilegeEscalation;
          delete podSpec(p).securityContext.runAsNonRoot;
        }),
      ],
      'Deployment "coder/coder-workspace"',
      /enforces restricted/,
    );
    assert.strictEqual(
      v.detail,
      'Deployment "coder/coder-workspace": namespace "coder" enforces restricted, but container "dev" does not set ' +
        'allowPrivilegeEscalation: false; container "dev" does not set runAsNonRoot: true; init container ' +
        '"init-home" does not set runAsNonRoot: true; meet the restricted profile.',
    );
  });

  it("applies restricted where a NamespacePatch raises an existing namespace to it", async () => {
    const raise = resource(K8S.namespacePatch, "raise", {
      metadata: { name: WORKSPACE_NS, labels: { [ENFORCE]: "restricted" } },
    });
    await expectStackViolation(
      podSecurityStandards,
      [...inWorkspace((p) => delete mainContainer(p).securityContext.allowPrivilegeEscalation), raise],
      WS,
      /namespace "coder-workspaces" enforces restricted, but container "dev" does not set allowPrivilegeEscalation: false/,
    );
  });

  it("takes the level from Namespaces only, not from another object that carries the label", async () => {
    const lookalike = resource(K8S.configMap, "cm", {
      metadata: { name: WORKSPACE_NS, namespace: WORKSPACE_NS, labels: { [ENFORCE]: "restricted" } },
      data: {},
    });
    await expectStackPass(podSecurityStandards, [
      ...inWorkspace((p) => delete mainContainer(p).securityContext.allowPrivilegeEscalation),
      lookalike,
    ]);
  });

  it("judges a workload patch against baseline only: restricted gaps may be filled by the live object", async () => {
    const patch = mutate(compliantDeployment(CONTROL_PLANE_NS), (p, r) => {
      r.type = "kubernetes:apps/v1:DeploymentPatch";
      delete podSpec(p).securityContext.runAsNonRoot;
    });
    await expectStackPass(podSecurityStandards, [...namespaces(), patch]);
  });

  it("does not need the namespace of a resource without a pod spec (unknown during preview)", async () => {
    await expectStackPass(podSecurityStandards, [
      ...namespaces(),
      compliantDeployment(),
      mutate(compliantService(), (p) => (p.metadata.namespace = unknown.string)),
    ]);
  });

  it("says it could not finish when a container's securityContext is unknown during preview", async () => {
    await expectStackPreviewGap(
      podSecurityStandards,
      inWorkspace((p) => (mainContainer(p).securityContext = unknown.object)),
      /\.containers\.0\.securityContext can.t be known during preview/,
    );
  });
});
