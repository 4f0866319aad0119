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
