/**
 * @file Timing for the benchmarks: warm up, repeat a call until a sample lasts long enough for the
 * clock, and report the median over samples (robust to a garbage collection or a stray spike).
 */

export interface TimingOptions {
  /** Number of timed samples; the median is reported. */
  samples: number;
  /** Each sample repeats the call until it lasts at least this long (ms). */
  minSampleMs: number;
  /**
   * Warm-up lasts at least this long (ms), and at least two calls. V8 needs thousands of calls to
   * finish tiering up a small function's whole call tree (measured: ~0.5 s for a scalar `grad`).
   */
  warmupMs: number;
}

export const defaultTiming: TimingOptions = { samples: 9, minSampleMs: 50, warmupMs: 1000 };

/** The median of `xs` (which it sorts). */
export function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

/** Median time of one call of `fn`, in milliseconds. */
export function timeCall(fn: () => unknown, options: TimingOptions = defaultTiming): number {
  const warmupStart = performance.now();
  let calls = 0;
  while (calls < 2 || performance.now() - warmupStart < options.warmupMs) {
    sink = fn();
    calls++;
  }
  // Calls per sample, from the warm-up's average duration.
  const perCall = (performance.now() - warmupStart) / calls;
  const reps = Math.max(1, Math.ceil(options.minSampleMs / Math.max(perCall, 1e-6)));
  const times: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) sink = fn();
    times.push((performance.now() - t0) / reps);
  }
  return median(times);
}

/** The last result, kept so that the engine cannot treat a timed call as dead code. */
export let sink: unknown;
