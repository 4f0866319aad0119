// Kubernetes minor versions as EKS writes them ("1.33", sometimes "1.33.5").

export interface Minor {
  major: number;
  minor: number;
}

export function parseMinor(version: string): Minor | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export function formatMinor(v: Minor): string {
  return `${v.major}.${v.minor}`;
}
