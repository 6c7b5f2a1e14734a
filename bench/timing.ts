/**
 * @file Timing for the benchmarks: warm up, repeat a call until a sample lasts long enough for the
 * clock, and report the median over samples (robust to a garbage collection or a stray spike).
 */
import { readFileSync } from "node:fs";

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
  return timeCallSamples(fn, options).ms;
}

/**
 * `timeCall`'s median, and for each sample how many cores' worth of CPU other processes used
 * meanwhile (Linux's `/proc/stat`, less this process's own CPU time; NaN where unreadable): a
 * two-thread product slows by up to half when another process takes a core, so the bench says
 * which figures were measured beside other work.
 */
export function timeCallSamples(fn: () => unknown, options: TimingOptions = defaultTiming): { ms: number; others: number[] } {
  const warmupStart = performance.now();
  let calls = 0;
  while (calls < 2 || performance.now() - warmupStart < options.warmupMs) {
    sink = fn();
    calls++;
  }
  // Calls per sample, from the warm-up's average duration.
  const perCall = (performance.now() - warmupStart) / calls;
  const reps = Math.max(1, Math.ceil(options.minSampleMs / Math.max(perCall, 1e-6)));
  const samples = Array.from({ length: options.samples }, () => timedSample(fn, reps));
  return { ms: median(samples.map((s) => s.ms)), others: samples.map((s) => s.others) };
}

/**
 * `reps` calls of `fn`: the time per call (ms), and the cores' worth of CPU other processes used
 * meanwhile (NaN where unknown). /proc/stat counts in jiffies of 10 ms, so over a 50 ms sample the
 * figure is only good to about ± 0.3 cores; a mean over samples is better.
 */
export function timedSample(fn: () => unknown, reps: number): { ms: number; others: number } {
  const machine0 = machineTicks();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) sink = fn();
  const wall = performance.now() - t0;
  const own = process.cpuUsage(own0);
  const machine1 = machineTicks();
  const busy = machine0 !== undefined && machine1 !== undefined ? (machine1 - machine0) * 10 : Number.NaN;
  return { ms: wall / reps, others: Math.max(0, busy - (own.user + own.system) / 1e3) / wall };
}

/** Busy jiffies (all but idle and iowait) of the whole machine since boot, or undefined where /proc/stat cannot be read. */
function machineTicks(): number | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    return cpu.reduce((a, b) => a + b, 0) - cpu[3]! - (cpu[4] ?? 0);
  } catch {
    return undefined;
  }
}

/** The last result, kept so that the engine cannot treat a timed call as dead code. */
export let sink: unknown;
