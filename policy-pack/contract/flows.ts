// The address-range flows a stack's configuration opens: which ranges may reach coderd, and which ranges and
// ports coderd and the workspaces may reach. The program derives them from its config
// (components/network/flows.ts); the pack's settings carry the same list (stacks/policy.<stack>.json, kept
// equal by test/policies/shipped-stacks.spec.ts), and the pack holds every ipBlock rule in a managed
// namespace to it.

export type Protocol = "TCP" | "UDP" | "SCTP";
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

/** A range and the ports open to it: a port number, or an inclusive "low-high" range. */
export interface Flow {
  cidr: string;
  ports: Array<number | string>;
  /** TCP when absent. */
  protocol?: Protocol;
}

export interface NetworkFlowSettings {
  /** Ranges that may reach coderd (on its ports). */
  coderdIngressCidrs: string[];
  /** What coderd may reach by address. */
  coderdEgress: Flow[];
  /** What workspaces may reach by address. */
  workspaceEgress: Flow[];
}

export const MAX_PORT = 65535;

/** Every port but SSH, which stays limited to the Git hosts (Coder's SSH keys work without 2FA). */
export const ALL_PORTS_BUT_SSH = ["1-21", "23-65535"];

/** A flow's ports as inclusive intervals; entries that are neither a port nor "low-high" open nothing. */
export function portIntervals(ports: ReadonlyArray<number | string>): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  for (const p of ports) {
    if (typeof p === "number") intervals.push([p, p]);
    else {
      const match = /^(\d+)(?:-(\d+))?$/.exec(p);
      if (match) intervals.push([Number(match[1]), Number(match[2] ?? match[1])]);
    }
  }
  return intervals;
}
