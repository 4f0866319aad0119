// The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards/) as checks over
// one pod spec, for the controls no other policy of the pack covers on its own: privileged containers,
// host namespaces, hostPath, added capabilities and root users have policies of their own. Baseline
// applies in every namespace; restricted where the namespace enforces it.
import { Props } from "./policy";
import { eachContainer } from "./workloads";
import { eachOf, PreviewGaps, readOr } from "./unknowns";

export type Finding = string;

// Baseline: the SELinux types a container may run as, and the sysctls that stay inside the pod.
const SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const SAFE_SYSCTLS = [
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
// Restricted: the only volume types a pod may use.
const RESTRICTED_VOLUMES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];
// In-tree volume sources that attach a disk or share by its cloud or network ID, bypassing PersistentVolume
// claims, StorageClass encryption and quota; gitRepo runs git on the node.
export const INLINE_STORAGE_VOLUMES = [
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
const APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function profileFindings(where: string, sc: Props | undefined, found: Finding[]): void {
  if (!sc) return;
  if (sc.seccompProfile?.type === "Unconfined") found.push(`${where} sets seccompProfile Unconfined`);
  if (sc.appArmorProfile?.type === "Unconfined") found.push(`${where} sets appArmorProfile Unconfined`);
  const se = sc.seLinuxOptions;
  if (se && !SELINUX_TYPES.includes(se.type ?? ""))
    found.push(`${where} runs as SELinux type ${JSON.stringify(se.type)}, which escapes the container policy`);
  if (se && (se.user || se.role)) found.push(`${where} sets an SELinux user or role`);
  if (sc.windowsOptions?.hostProcess === true) found.push(`${where} runs as a Windows host process`);
}

/** Baseline findings: what a pod may not do in any namespace. */
export function baselineFindings(spec: Props, annotations: Record<string, unknown>, gaps: PreviewGaps): Finding[] {
  const found: Finding[] = [];
  gaps.judge(() => profileFindings("the pod", spec.securityContext, found));
  gaps.judge(() =>
    eachOf(
      spec.securityContext?.sysctls as Props[] | undefined,
      (s) => {
        if (!SAFE_SYSCTLS.includes(s.name)) found.push(`the pod sets sysctl ${s.name}, which reaches the node`);
      },
      gaps,
    ),
  );
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(APPARMOR_PREFIX) && value === "unconfined")
      found.push(`annotation ${key} turns AppArmor off (unconfined)`);
    if (key === "seccomp.security.alpha.kubernetes.io/pod" && value === "unconfined")
      found.push(`annotation ${key} turns seccomp off (unconfined)`);
  }
  eachContainer(spec, gaps, ({ container, label }) => {
    const sc = container.securityContext;
    profileFindings(label, sc, found);
    if (sc?.procMount !== undefined && sc.procMount !== "Default")
      found.push(`${label} sets procMount ${sc.procMount}, unmasking the node's /proc`);
    if (sc?.allowPrivilegeEscalation === true) found.push(`${label} sets allowPrivilegeEscalation: true`);
    eachOf(
      container.ports as Props[] | undefined,
      (p) => {
        if (p.hostPort) found.push(`${label} binds host port ${p.hostPort} on the node`);
      },
      gaps,
    );
  });
  eachOf(
    spec.volumes as Props[] | undefined,
    (v, i) => {
      for (const type of INLINE_STORAGE_VOLUMES)
        if (v[type] !== undefined)
          found.push(`volume "${readOr(() => v.name, String(i))}" mounts ${type} inline, outside any StorageClass`);
    },
    gaps,
  );
  return found;
}

/** Restricted findings, on top of baseline. */
export function restrictedFindings(spec: Props, gaps: PreviewGaps): Finding[] {
  const found: Finding[] = [];
  const pod: Props = readOr(() => spec.securityContext, undefined) ?? {};
  eachContainer(spec, gaps, ({ container, label }) => {
    const sc: Props = container.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false && sc.allowPrivilegeEscalation !== true)
      found.push(`${label} does not set allowPrivilegeEscalation: false`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) found.push(`${label} does not set runAsNonRoot: true`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) found.push(`${label} runs as UID 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
      found.push(`${label} has no RuntimeDefault or Localhost seccomp profile`);
    const caps = sc.capabilities ?? {};
    if (!caps.drop?.includes("ALL")) found.push(`${label} does not drop ALL capabilities`);
    for (const cap of caps.add ?? []) if (cap !== "NET_BIND_SERVICE") found.push(`${label} adds capability ${cap}`);
  });
  eachOf(
    spec.volumes as Props[] | undefined,
    (v, i) => {
      const type = Object.keys(v).find((k) => k !== "name");
      if (type && !RESTRICTED_VOLUMES.includes(type) && !INLINE_STORAGE_VOLUMES.includes(type))
        found.push(`volume "${readOr(() => v.name, String(i))}" is of type ${type}, which restricted forbids`);
    },
    gaps,
  );
  return found;
}

/** The annotations of the pod a workload creates (its template's, or a bare Pod's own). */
export function podAnnotationsOf(type: string, props: Props): Record<string, unknown> {
  const kind = type.slice(type.lastIndexOf(":") + 1).replace(/Patch$/, "");
  if (kind === "Pod") return props.metadata?.annotations ?? {};
  if (kind === "CronJob") return props.spec?.jobTemplate?.spec?.template?.metadata?.annotations ?? {};
  return props.spec?.template?.metadata?.annotations ?? {};
}
