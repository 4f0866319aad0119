// A PersistentVolume with hostPath or local is a node directory under another name: any pod whose claim
// binds to it mounts the node's filesystem, which host-namespaces-and-paths forbids on the pod itself.
import { forTypes, subjectOfArgs } from "../../lib/policy";
import { definePolicy } from "../../lib/metadata";

const PV_TYPES = ["kubernetes:core/v1:PersistentVolume", "kubernetes:core/v1:PersistentVolumePatch"];

export const hostPathPersistentVolume = definePolicy(
  {
    responsibilities: ["storage-cloud-access", "node-user-accounts"],
    severity: "critical",
    forbids: "PersistentVolumes with `hostPath` or `local` (a node directory)",
    references: { cisEks: ["4.2.4 (context)"], kyverno: ["disallow-host-path"] },
  },
  {
    name: "host-path-persistent-volume",
    description: "PersistentVolumes must not use hostPath or local, which expose a node's filesystem to a claim.",
    enforcementLevel: "mandatory",
    remediationSteps: "Provision volumes through an encrypted StorageClass instead.",
    validateResource: forTypes(PV_TYPES, (props, args, report) => {
      for (const field of ["hostPath", "local"]) {
        const source = props.spec?.[field];
        // A patch sets a field to null to remove it, which leaves the volume without that source.
        if (source === undefined || source === null) continue;
        report(
          `${subjectOfArgs(args)}: is a ${field} volume at ${JSON.stringify(source.path ?? "?")} on a node, so any ` +
            "pod that claims it reads and writes the node's filesystem; use an encrypted StorageClass instead.",
        );
      }
    }),
  },
);
