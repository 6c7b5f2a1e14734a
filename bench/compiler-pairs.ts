/**
 * @file What the compiler benches share: the eager/jit workload pairs of bench/workloads.ts they
 * time, a timed call loop, and the time format.
 */
import { sink } from "./timing.ts";

/** [name, eager workload key, jit workload key] for W1, W1b, W5, W3, W7 and the 20-op chain. */
export const JIT_PAIRS: readonly (readonly [string, string, string])[] = [
  ["W1", "tanh_grad", "tanh_grad_jit"],
  ["W1b", "tanh_grad6", "tanh_grad6_jit"],
  ["W5", "hessian", "hessian_jit"],
  ["W3", "mlp_step", "mlp_step_jit"],
  ["W7", "rnn_grad", "rnn_grad_jit"],
  ["chain", "chain20", "chain20_jit"],
];

let keep: unknown = sink;

/** Calls `fn` for at least `ms` milliseconds (and twice); returns the mean time per call. */
export function runFor(fn: () => unknown, ms: number): number {
  const t0 = performance.now();
  let calls = 0;
  while (calls < 2 || performance.now() - t0 < ms) {
    keep = fn();
    calls++;
  }
  return (performance.now() - t0) / calls;
}

/** Whatever the last call returned (so no call is optimised away). */
export const lastResult = (): unknown => keep;

/** A time in ms, shown in µs below 0.1 ms. */
export const fmtMs = (ms: number): string => (ms < 0.1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(3)} ms`);
