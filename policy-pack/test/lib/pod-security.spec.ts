// The Pod Security Standards checks called directly on one pod spec: each case starts from the compliant
// pod spec (which meets restricted) and changes one thing, so the findings are exactly that change's.
import * as assert from "assert";
import { baselineFindings, podAnnotationsOf, restrictedFindings } from "../../lib/pod-security";
import { PreviewGaps } from "../../lib/unknowns";
import { compliantPodSpec, PARTIAL_WORKLOAD_PATCHES } from "../fixtures/kubernetes";

type Change = (spec: Record<string, any>) => void;
const dev = (spec: Record<string, any>) => spec.containers[0];

function baseline(change: Change, annotations: Record<string, unknown> = {}): string[] {
  const spec = compliantPodSpec();
  change(spec);
  const gaps = new PreviewGaps();
  const found = baselineFindings(spec, annotations, gaps);
  gaps.settle();
  return found;
}

function restricted(change: Change): string[] {
  const spec = compliantPodSpec();
  change(spec);
  const gaps = new PreviewGaps();
  const found = restrictedFindings(spec, gaps);
  gaps.settle();
  return found;
}

const unchanged: Change = () => undefined;

// In-tree volume sources that reach a disk or share by its cloud or network ID, past claims and StorageClasses.
const INLINE_VOLUMES = [
  "awsElasticBlockStore",
  "gcePersistentDisk",
  "azureDisk",
  "azureFile",
  "cinder",
  "vsphereVolume",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "storageos",
  "nfs",
  "iscsi",
  "rbd",
  "cephfs",
  "glusterfs",
  "fc",
  "flexVolume",
  "flocker",
  "quobyte",
  "gitRepo",
];

describe("lib/pod-security", () => {
  describe("baselineFindings", () => {
    it("finds nothing in the compliant pod spec", () => {
      assert.deepStrictEqual(baseline(unchanged), []);
    });

    const secure: [string, Change][] = [
      // The runtime then keeps its default container type; only the MCS level is chosen.
      ["an SELinux level without a type", (s) => (s.securityContext.seLinuxOptions = { level: "s0:c1,c2" })],
      // An empty type is the runtime's default, which the baseline allows like an absent one.
      ["an SELinux type left empty", (s) => (s.securityContext.seLinuxOptions = { type: "" })],
      ["a container without a securityContext", (s) => delete dev(s).securityContext],
      ["a container with an empty securityContext", (s) => (dev(s).securityContext = {})],
    ];
    for (const [what, change] of secure) {
      it(`finds nothing in ${what}`, () => {
        assert.deepStrictEqual(baseline(change), []);
      });
    }

    // The Pod Security Standards' baseline list of SELinux types (container_engine_t since v1.31).
    for (const type of ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]) {
      it(`finds nothing in SELinux type ${type}, on the pod or a container`, () => {
        assert.deepStrictEqual(
          baseline((s) => (s.securityContext.seLinuxOptions = { type })),
          [],
        );
        assert.deepStrictEqual(
          baseline((s) => (dev(s).securityContext.seLinuxOptions = { type })),
          [],
        );
      });
    }

    for (const type of ["spc_t", "unconfined_t", "container_logreader_t"]) {
      it(`finds SELinux type ${type}, which is not on the baseline list`, () => {
        assert.deepStrictEqual(
          baseline((s) => (dev(s).securityContext.seLinuxOptions = { type })),
          [`container "dev" runs as SELinux type "${type}", which escapes the container policy`],
        );
      });
    }

    // The baseline's safe sysctls: namespaced by the kernel, so a pod's value stays inside the pod.
    const safeSysctls = [
      "kernel.shm_rmid_forced",
      "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start",
      "net.ipv4.tcp_syncookies",
      "net.ipv4.ping_group_range",
      "net.ipv4.ip_local_reserved_ports",
      "net.ipv4.tcp_keepalive_time",
      "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl",
      "net.ipv4.tcp_keepalive_probes",
    ];
    for (const name of safeSysctls) {
      it(`finds nothing in the safe sysctl ${name}`, () => {
        assert.deepStrictEqual(
          baseline((s) => (s.securityContext.sysctls = [{ name, value: "1" }])),
          [],
        );
      });
    }

    // Namespaced too, but not on the baseline list (the kubelet refuses them unless allowed as unsafe).
    for (const name of ["net.core.somaxconn", "net.ipv4.ip_forward", "kernel.msgmax"]) {
      it(`finds the sysctl ${name}, which is not on the safe list`, () => {
        assert.deepStrictEqual(
          baseline((s) => (s.securityContext.sysctls = [{ name, value: "1" }])),
          [`the pod sets sysctl ${name}, which reaches the node`],
        );
      });
    }

    for (const type of INLINE_VOLUMES) {
      it(`finds an inline ${type} volume`, () => {
        assert.deepStrictEqual(
          baseline((s) => s.volumes.push({ name: "data", [type]: {} })),
          [`volume "data" mounts ${type} inline, outside any StorageClass`],
        );
      });
    }

    const secureAnnotations: [string, Record<string, string>][] = [
      ["the AppArmor runtime default", { "container.apparmor.security.beta.kubernetes.io/dev": "runtime/default" }],
      ["a localhost AppArmor profile", { "container.apparmor.security.beta.kubernetes.io/dev": "localhost/coder" }],
      ["the legacy seccomp runtime default", { "seccomp.security.alpha.kubernetes.io/pod": "runtime/default" }],
      ["an unrelated annotation whose value is unconfined", { "example.com/network-mode": "unconfined" }],
    ];
    for (const [what, annotations] of secureAnnotations) {
      it(`finds nothing in ${what}`, () => {
        assert.deepStrictEqual(baseline(unchanged, annotations), []);
      });
    }

    const insecureAnnotations: [string, Record<string, string>, string][] = [
      [
        "AppArmor unconfined",
        { "container.apparmor.security.beta.kubernetes.io/dev": "unconfined" },
        "annotation container.apparmor.security.beta.kubernetes.io/dev turns AppArmor off (unconfined)",
      ],
      [
        "the legacy pod seccomp annotation unconfined",
        { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" },
        "annotation seccomp.security.alpha.kubernetes.io/pod turns seccomp off (unconfined)",
      ],
    ];
    for (const [what, annotations, finding] of insecureAnnotations) {
      it(`finds ${what}`, () => {
        assert.deepStrictEqual(baseline(unchanged, annotations), [finding]);
      });
    }
  });

  describe("restrictedFindings", () => {
    it("finds nothing in the compliant pod spec", () => {
      assert.deepStrictEqual(restricted(unchanged), []);
    });

    const secure: [string, Change][] = [
      [
        "a Localhost seccomp profile",
        (s) => (s.securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/coder.json" }),
      ],
      ["an added NET_BIND_SERVICE", (s) => (dev(s).securityContext.capabilities.add = ["NET_BIND_SERVICE"])],
      ["a configMap volume", (s) => s.volumes.push({ name: "cfg", configMap: { name: "coder-config" } })],
      ["a secret volume", (s) => s.volumes.push({ name: "tls", secret: { secretName: "coder-tls" } })],
      ["an emptyDir volume", (s) => s.volumes.push({ name: "tmp", emptyDir: {} })],
      ["a projected volume", (s) => s.volumes.push({ name: "token", projected: { sources: [] } })],
      ["a CSI volume", (s) => s.volumes.push({ name: "vault", csi: { driver: "secrets-store.csi.k8s.io" } })],
      // Baseline reports both, in every namespace; restricted does not repeat them.
      ["allowPrivilegeEscalation: true", (s) => (dev(s).securityContext.allowPrivilegeEscalation = true)],
      ["an inline NFS volume", (s) => s.volumes.push({ name: "share", nfs: { server: "10.0.0.5", path: "/" } })],
    ];
    for (const [what, change] of secure) {
      it(`finds nothing for ${what}`, () => {
        assert.deepStrictEqual(restricted(change), []);
      });
    }

    // The restricted profile's volume types.
    const allowed = [
      "configMap",
      "csi",
      "downwardAPI",
      "emptyDir",
      "ephemeral",
      "persistentVolumeClaim",
      "projected",
      "secret",
    ];
    for (const type of allowed) {
      it(`finds nothing for a volume of type ${type}`, () => {
        assert.deepStrictEqual(
          restricted((s) => s.volumes.push({ name: "v", [type]: {} })),
          [],
        );
      });
    }

    for (const type of INLINE_VOLUMES) {
      it(`leaves an inline ${type} volume to baseline`, () => {
        assert.deepStrictEqual(
          restricted((s) => s.volumes.push({ name: "data", [type]: {} })),
          [],
        );
      });
    }

    it("leaves allowPrivilegeEscalation: true and inline volumes to baseline", () => {
      const change: Change = (s) => {
        dev(s).securityContext.allowPrivilegeEscalation = true;
        s.volumes.push({ name: "share", nfs: { server: "10.0.0.5", path: "/" } });
      };
      assert.deepStrictEqual(baseline(change), [
        'container "dev" sets allowPrivilegeEscalation: true',
        'volume "share" mounts nfs inline, outside any StorageClass',
      ]);
    });

    const insecure: [string, Change, string[]][] = [
      [
        "UID 0 on the pod, for every container that does not override it",
        (s) => {
          s.securityContext.runAsUser = 0;
          dev(s).securityContext.runAsUser = 1000;
        },
        ['init container "init-home" runs as UID 0'],
      ],
      ["UID 0 on one container", (s) => (dev(s).securityContext.runAsUser = 0), ['container "dev" runs as UID 0']],
      [
        "capabilities that add without dropping",
        (s) => (dev(s).securityContext.capabilities = { add: ["NET_BIND_SERVICE"] }),
        ['container "dev" does not drop ALL capabilities'],
      ],
      [
        "an added capability other than NET_BIND_SERVICE",
        (s) => (dev(s).securityContext.capabilities.add = ["NET_BIND_SERVICE", "SYS_ADMIN"]),
        ['container "dev" adds capability SYS_ADMIN'],
      ],
      [
        "a hostPath volume",
        (s) => s.volumes.push({ name: "docker-sock", hostPath: { path: "/var/run/docker.sock" } }),
        ['volume "docker-sock" is of type hostPath, which restricted forbids'],
      ],
      [
        "an unnamed volume of a forbidden type, by its index",
        (s) => s.volumes.push({ hostPath: { path: "/tmp" } }),
        ['volume "1" is of type hostPath, which restricted forbids'],
      ],
    ];
    for (const [what, change, findings] of insecure) {
      it(`finds ${what}`, () => {
        assert.deepStrictEqual(restricted(change), findings);
      });
    }
  });

  describe("podAnnotationsOf", () => {
    const mine = { "container.apparmor.security.beta.kubernetes.io/dev": "unconfined" };
    const other = { "example.com/owner": "platform" };

    it("reads a bare Pod's own annotations, and a PodPatch's", () => {
      for (const type of ["kubernetes:core/v1:Pod", "kubernetes:core/v1:PodPatch"])
        assert.deepStrictEqual(podAnnotationsOf(type, { metadata: { annotations: mine }, spec: {} }), mine, type);
    });

    it("reads a CronJob's job template's pod annotations, not its own", () => {
      const props = {
        metadata: { annotations: other },
        spec: { jobTemplate: { spec: { template: { metadata: { annotations: mine }, spec: {} } } } },
      };
      assert.deepStrictEqual(podAnnotationsOf("kubernetes:batch/v1:CronJob", props), mine);
    });

    it("reads the pod template's annotations of every other kind, custom ones too", () => {
      const props = { metadata: { annotations: other }, spec: { template: { metadata: { annotations: mine } } } };
      // Only a trailing Patch marks a patch: PatchPod is a custom kind carrying a template, not a Pod.
      for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:example.com/v1:PatchPod"])
        assert.deepStrictEqual(podAnnotationsOf(type, props), mine, type);
    });

    const partial: [string, Record<string, any>][] = [
      ["kubernetes:core/v1:PodPatch", { spec: {} }],
      ...PARTIAL_WORKLOAD_PATCHES,
    ];
    for (const [type, props] of partial) {
      it(`reads no annotations from a ${type} with ${JSON.stringify(props)}`, () => {
        assert.deepStrictEqual(podAnnotationsOf(type, props), {});
      });
    }
  });
});
