import { clusterProvider, deployKubernetesLayer } from "../../blueprint";
import { BlueprintConfig } from "../../config";
import { capture, RecordedResource } from "./mocks";
import { TEST_CLUSTER } from "./stacks";

/**
 * Deploys the Kubernetes layer under mocks. Stacks whose cluster comes from the AWS layer get an explicit
 * test provider, never the default one.
 */
export function deployUnderMocks(cfg: BlueprintConfig): Promise<RecordedResource[]> {
  return capture(() => {
    // The same provider code path for every stack; only the target cluster is swapped in.
    const provider = clusterProvider(cfg.cluster.target === "existing" ? cfg : { ...cfg, cluster: TEST_CLUSTER });
    return deployKubernetesLayer(cfg, provider);
  });
}
