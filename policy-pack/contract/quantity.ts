// Kubernetes resource quantities ("10Gi", "500m", "1e3"), parsed alike by the program (config errors surface
// before any resource is registered; quota totals derive from per-workspace sizes) and by the pack, which
// compares quota and LimitRange figures with the stack's settings.

const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** The quantity's value in base units (bytes, cores). Throws on malformed input. */
export function parseQuantity(text: string): number {
  const match = QUANTITY.exec(text);
  if (!match) {
    throw new Error(`"${text}" is not a Kubernetes quantity (examples: 500m, 2, 10Gi, 1.5G)`);
  }
  const [, digits, suffix = ""] = match;
  const value = Number(digits);
  if (suffix in BINARY) return value * BINARY[suffix];
  if (suffix in DECIMAL) return value * DECIMAL[suffix];
  return value * 10 ** Number(suffix.slice(1));
}

/**
 * Multiplies a quantity and keeps its unit, so a 20Gi home disk times 10 workspaces reads "200Gi" in the
 * rendered quota rather than a byte count nobody can check at a glance.
 */
export function multiplyQuantity(text: string, factor: number): string {
  parseQuantity(text);
  const match = QUANTITY.exec(text)!;
  const [, digits, suffix = ""] = match;
  const product = Number(digits) * factor;
  if (Number.isInteger(product)) return `${product}${suffix}`;
  if (suffix === "" || suffix === "m") {
    const millis = Math.round(product * (suffix === "m" ? 1 : 1000));
    return `${millis}m`;
  }
  return `${Math.ceil(parseQuantity(text) * factor)}`;
}
