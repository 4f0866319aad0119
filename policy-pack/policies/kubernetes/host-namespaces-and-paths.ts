// Sharing the node's network, process or IPC namespace, or mounting its filesystem, removes the
// boundary between a pod and the node — and so between one workspace and every other on that node.
import { Props } from "../../lib/policy";
import { eachOf, readOr } from "../../lib/unknowns";
import { validatePodSpec } from "../../lib/workloads";
import { definePolicy } from "../../lib/metadata";

const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"] as const;

export const hostNamespacesAndPaths = definePolicy(
  {
    responsibilities: ["storage-cloud-access", "node-user-accounts"],
    severity: "critical",
    forbids: "hostNetwork, hostPID, hostIPC, hostPath volumes",
    references: {
      cisEks: ["4.2.2", "4.2.3", "4.2.4"],
      kyverno: ["disallow-host-namespaces", "disallow-host-path"],
      checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
      other: ["Polaris hostNetworkSet, hostPIDSet, hostIPCSet, hostPathSet"],
    },
  },
  {
    name: "host-namespaces-and-paths",
    description: "Pods and pod templates must not use hostNetwork, hostPID, hostIPC or hostPath volumes.",
    enforcementLevel: "mandatory",
    remediationSteps:
      "Remove hostNetwork/hostPID/hostIPC; replace hostPath volumes with PersistentVolumeClaims, emptyDir, " +
      "ConfigMaps or Secrets.",
    validateResource: validatePodSpec(({ spec, subject, gaps, report }) => {
      for (const field of HOST_NAMESPACES) {
        gaps.judge(() => {
          if (spec[field] === true)
            report(`${subject}: sets ${field}: true, sharing the node's namespace with the pod; remove ${field}.`);
        });
      }
      eachOf(
        spec.volumes as Props[] | undefined,
        (volume, i) => {
          if (!volume.hostPath) return;
          report(
            `${subject}: volume "${readOr(() => volume.name, String(i))}" mounts hostPath ` +
              `${JSON.stringify(readOr(() => volume.hostPath.path, ""))} from the node; ` +
              "use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret volume instead.",
          );
        },
        gaps,
      );
    }),
  },
);
