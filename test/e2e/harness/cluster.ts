// The control plane is shared with the sandbox (scripts/sandbox/).
export { startCluster, type TestCluster } from "../../../scripts/sandbox/cluster";
