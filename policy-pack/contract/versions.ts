// Kubernetes minor versions as EKS writes them ("1.33", sometimes "1.33.5" or "v1.33.5-eks-abc123"), and the
// node skew EKS supports: the upgrade planner refuses a plan beyond it and node-version-skew reports it.

export interface Minor {
  readonly major: number;
  readonly minor: number;
}

export function parseMinor(version: string): Minor | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export function formatMinor(v: Minor): string {
  return `${v.major}.${v.minor}`;
}

/**
 * How many minors a managed node group may lag its control plane: three from Kubernetes 1.28 on (and on any
 * later major), two before (the Kubernetes version skew policy, which EKS follows).
 */
export function nodeSkewLimit(controlPlane: Minor): number {
  return controlPlane.major > 1 || controlPlane.minor >= 28 ? 3 : 2;
}
