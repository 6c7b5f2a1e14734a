/**
 * @file Eager against `jit` in one process (`npx tsx bench/compiler-ratios.ts [keys…]`): for each
 * workload pair of bench/workloads.ts (W1, W1b, W5, W3, W7, the 20-op chain), a 1 s warm-up of each,
 * then samples alternating eager and jit (so a busy neighbour slows both alike), medians and their
 * ratio. The machine is shared: ratios are the figures to read, absolute times move.
 */
import { workloads } from "./workloads.ts";
import { median } from "./timing.ts";
import { JIT_PAIRS, fmtMs as fmt, lastResult, runFor as run } from "./compiler-pairs.ts";


const only = process.argv.slice(2);
const samples = Number(process.env["SAMPLES"] ?? 9);
console.log("| workload | eager | jit | eager / jit |\n| --- | ---: | ---: | ---: |");
for (const [name, eagerKey, jitKey] of JIT_PAIRS) {
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
void lastResult();
