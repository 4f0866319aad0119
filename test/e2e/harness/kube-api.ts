// The API server client is shared with the sandbox (scripts/sandbox/).
export { KubeApi, serviceAccountUser, type ApiResponse, type KubeAccess } from "../../../scripts/sandbox/kube-api";
