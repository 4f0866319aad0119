// The serving certificate is shared with the sandbox (scripts/sandbox/).
export { servingCertificate } from "../../../scripts/sandbox/tls";
