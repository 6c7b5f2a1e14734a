/**
 * @file The compiler's benchmark (`npx tsx bench/compiler.ts [keys…]`): each workload of
 * bench/workloads.ts staged once, then timed through the interpreter (`evalJaxpr` of the staged
 * program) and compiled (`compile(…).run`), medians of several samples after a 1 s warm-up, with
 * the equation counts before and after the passes and the buffers the memory plan reuses.
 */
import { countEqns, evalJaxpr } from "../src/core/jaxpr.ts";
import { compile } from "../src/compiler/index.ts";
import { generate } from "../src/compiler/codegen-js.ts";
import { stagedWorkloads } from "./compiler-workloads.ts";
import { timeCall } from "./timing.ts";

const only = process.argv.slice(2);
const fmt = (ms: number): string => (ms < 0.1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(3)} ms`);
const rows: string[] = [
  "| workload | equations staged → optimised | compile | evalJaxpr | compiled | speed-up | pooled / per call saved |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const w of stagedWorkloads()) {
  if (only.length > 0 && !only.includes(w.key)) continue;
  const t0 = performance.now();
  const compiled = compile(w.closed);
  const compileMs = performance.now() - t0;
  const { memory } = generate(compiled.jaxpr);
  const interp = timeCall(() => evalJaxpr(w.closed, w.args));
  const fast = timeCall(() => compiled.run(w.args));
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  rows.push(
    `| ${w.key} ${w.label} | ${countEqns(w.closed.jaxpr)} → ${countEqns(compiled.jaxpr.jaxpr)} | ${compileMs.toFixed(0)} ms | ${fmt(interp)} | ${fmt(fast)} | ${(interp / fast).toFixed(1)}× | ${mb(memory.pooledBytes)} / ${mb(memory.savedBytesPerCall)} |`,
  );
  console.log(rows[rows.length - 1]);
}
console.log(`\n${rows.join("\n")}`);
