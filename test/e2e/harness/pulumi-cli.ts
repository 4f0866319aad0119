// The CLI wrapper is shared with the sandbox (scripts/sandbox/).
export { PulumiCli, type CliResult } from "../../../scripts/sandbox/pulumi-cli";
