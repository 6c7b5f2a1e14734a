/**
 * @file Two builds of the library in one process (`npx tsx bench/compiler-ab.ts <other checkout>
 * [keys…]`): for each workload pair of bench/compiler-ratios.ts, eager and jit of this checkout and
 * of the other (a checkout of an earlier commit, with its own module graph) after a 1 s warm-up
 * each, then samples rotating through the four (so a busy neighbour slows all alike); medians, the
 * eager / jit ratio of each build and this jit's speed-up over the other's. tsx resolves
 * `autograd-ts` through this checkout's tsconfig paths, so the other checkout's bench/workloads.ts
 * must import its library relatively (`../src/index.ts`, `../src/numpy/index.ts`), e.g.
 * `git archive <commit> | tar -x -C /tmp/base` and a sed of those two imports.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { workloads as here } from "./workloads.ts";
import { median } from "./timing.ts";
import { JIT_PAIRS, fmtMs as fmt, lastResult, runFor as run } from "./compiler-pairs.ts";

const [other, ...only] = process.argv.slice(2);
if (other === undefined) throw new Error("usage: npx tsx bench/compiler-ab.ts <other checkout> [keys…]");
const { workloads: there } = (await import(pathToFileURL(path.resolve(other, "bench/workloads.ts")).href)) as { workloads: typeof here };
const samples = Number(process.env["SAMPLES"] ?? 9);
console.log("| workload | eager (other) | jit (other) | ratio (other) | eager | jit | ratio | jit speed-up |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [name, eagerKey, jitKey] of JIT_PAIRS) {
  if (only.length > 0 && !only.includes(name)) continue;
  const fns = [there, there, here, here].map((ws, i) => ws.find((w) => w.key === (i % 2 === 0 ? eagerKey : jitKey))!.setup());
  for (const f of fns) run(f, 1000);
  const times: number[][] = fns.map(() => []);
  for (let s = 0; s < samples; s++) fns.forEach((f, i) => times[i]!.push(run(f, 200)));
  const [e0, j0, e1, j1] = times.map(median) as [number, number, number, number];
  console.log(`| ${name} | ${fmt(e0)} | ${fmt(j0)} | ${(e0 / j0).toFixed(2)}× | ${fmt(e1)} | ${fmt(j1)} | ${(e1 / j1).toFixed(2)}× | ${(j0 / j1).toFixed(2)}× |`);
}
void lastResult();
process.exit(0);
