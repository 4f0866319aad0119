import { clusterProvider, deployKubernetesLayer } from "./blueprint";
import { loadConfig } from "./config";

// Config is validated in full before the first resource is registered.
const config = loadConfig();
const provider = clusterProvider(config);

export const outputs = deployKubernetesLayer(config, provider);
