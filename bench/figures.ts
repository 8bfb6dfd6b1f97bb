/** Latency figures of a set of samples in milliseconds: count, p50 and p99 (nearest rank), maximum. */
export interface Figures {
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function figures(values: number[]): Figures {
  const xs = [...values].sort((a, b) => a - b);
  const at = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))] ?? 0;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: xs.length, p50Ms: r(at(0.5)), p99Ms: r(at(0.99)), maxMs: r(xs.at(-1) ?? 0) };
}
