/**
 * @file Eager against `jit` in one process (`npx tsx bench/compiler-ratios.ts [keys…]`): for each
 * workload pair of bench/workloads.ts (W1, W1b, W5, W3, W7, the 20-op chain), a 1 s warm-up of each,
 * then samples alternating eager and jit (so a busy neighbour slows both alike), medians and their
 * ratio. The machine is shared: ratios are the figures to read, absolute times move.
 */
import { workloads } from "./workloads.ts";
import { median, sink } from "./timing.ts";

const pairs: [string, string, string][] = [
  ["W1", "tanh_grad", "tanh_grad_jit"],
  ["W1b", "tanh_grad6", "tanh_grad6_jit"],
  ["W5", "hessian", "hessian_jit"],
  ["W3", "mlp_step", "mlp_step_jit"],
  ["W7", "rnn_grad", "rnn_grad_jit"],
  ["chain", "chain20", "chain20_jit"],
];

const only = process.argv.slice(2);
const samples = Number(process.env["SAMPLES"] ?? 9);
let keep: unknown = sink;

/** Calls `fn` for at least `ms` milliseconds (and twice); returns the mean time per call. */
function run(fn: () => unknown, ms: number): number {
  const t0 = performance.now();
  let calls = 0;
  while (calls < 2 || performance.now() - t0 < ms) {
    keep = fn();
    calls++;
  }
  return (performance.now() - t0) / calls;
}

const fmt = (ms: number): string => (ms < 0.1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(3)} ms`);
console.log("| workload | eager | jit | eager / jit |\n| --- | ---: | ---: | ---: |");
for (const [name, eagerKey, jitKey] of pairs) {
  if (only.length > 0 && !only.includes(name)) continue;
  const eager = workloads.find((w) => w.key === eagerKey)!.setup();
  const jitted = workloads.find((w) => w.key === jitKey)!.setup();
  run(eager, 1000);
  run(jitted, 1000);
  const te: number[] = [];
  const tj: number[] = [];
  for (let s = 0; s < samples; s++) {
    te.push(run(eager, 100));
    tj.push(run(jitted, 100));
  }
  const [me, mj] = [median(te), median(tj)];
  console.log(`| ${name} | ${fmt(me)} | ${fmt(mj)} | ${(me / mj).toFixed(2)}× |`);
}
void keep;
