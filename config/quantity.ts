// Kubernetes quantities are parsed by the policy pack too (quota and LimitRange figures), so the parser lives in
// its shared contract.
export * from "../policy-pack/contract/quantity";
