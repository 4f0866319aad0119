import * as k8s from "@pulumi/kubernetes";
import { clusterProvider, deployKubernetesLayer } from "../../blueprint";
import { BlueprintConfig } from "../../config";
import { capture, RecordedResource } from "./mocks";

/**
 * Deploys the Kubernetes layer under mocks. Stacks whose cluster comes from the AWS layer get an explicit
 * test provider, never the default one.
 */
export function deployUnderMocks(cfg: BlueprintConfig): Promise<RecordedResource[]> {
    return capture(() => {
        const provider = cfg.cluster.target === "existing" ? clusterProvider(cfg) : new k8s.Provider("cluster", { kubeconfig: "/dev/null", context: "test" });
        return deployKubernetesLayer(cfg, provider);
    });
}
