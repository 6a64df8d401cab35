// A dudect-style timing-leak detector (O. Reparaz, J. Balasch, I. Verbauwhede, "Dude, is my code
// constant time?", DATE 2017): run the operation on two input classes (fixed vs random) interleaved
// in random order, time each sample with process.hrtime.bigint, crop the slowest samples (interrupts,
// GC) at a pooled percentile, and compare the class means with Welch's t-test. |t| > 4.5 means the
// timing depends on the class, i.e. on the data.

/**
 * One measured operation: `prepare(i, cls)` sets up the inputs of sample i (untimed; it should run
 * the same code for both classes, e.g. copy from a precomputed table); `run()` is timed.
 */
export interface TimingTarget {
  prepare(i: number, cls: 0 | 1): void;
  run(): void;
}

/** Random class labels (0/1) for `n` samples. */
export function randomClasses(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  for (let i = 0; i < n; i++) out[i]! &= 1;
  return out;
}

/** Result of a check. */
export interface LeakReport {
  readonly t: number;
  readonly samples: [number, number];
  readonly means: [number, number];
}

function welch(a: number[], b: number[]): number {
  const stats = (x: number[]): [number, number] => {
    const m = x.reduce((s, v) => s + v, 0) / x.length;
    const v = x.reduce((s, y) => s + (y - m) ** 2, 0) / (x.length - 1);
    return [m, v];
  };
  const [ma, va] = stats(a);
  const [mb, vb] = stats(b);
  return (ma - mb) / Math.sqrt(va / a.length + vb / b.length);
}

/**
 * Measures `samples` interleaved samples (after `warmup` discarded ones) and returns Welch's t over the
 * samples below the pooled `crop` percentile (dudect crops the tail; 0.9 keeps 90%).
 */
export function measureLeak(
  target: TimingTarget,
  samples: number,
  warmup = 2000,
  crop = 0.9,
  classes: Uint8Array = randomClasses(samples + warmup),
): LeakReport {
  const times = new Float64Array(samples);
  for (let i = 0; i < samples + warmup; i++) {
    const cls = (classes[i]! & 1) as 0 | 1;
    target.prepare(i, cls);
    const t0 = process.hrtime.bigint();
    target.run();
    const t1 = process.hrtime.bigint();
    if (i >= warmup) times[i - warmup] = Number(t1 - t0);
  }
  const sorted = Float64Array.from(times).sort();
  const cut = sorted[Math.floor(sorted.length * crop)]!;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (times[i]! > cut) continue;
    ((classes[i + warmup]! & 1) === 0 ? a : b).push(times[i]!);
  }
  const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
  return { t: welch(a, b), samples: [a.length, b.length], means: [mean(a), mean(b)] };
}

/** The pass/fail threshold of dudect. */
export const T_THRESHOLD = 4.5;
