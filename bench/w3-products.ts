/**
 * @file The eight matrix products of one eager W3 call (`mlp_step`: MLP 784-512-512-10, batch 256,
 * `valueAndGrad`), each timed as eager runs it (`matmulData` on ordinary arrays: A and B copied
 * into the kernel's memory, C copied out into a fresh array) and as a compiled program runs it
 * (operands already in the kernel's memory, C left there: `productOf(…).inMemory`); the
 * difference is what eager pays around the kernel (CONTRIBUTING.md, "Eager W3"). A third column
 * writes C into the same ordinary array at every call, so the difference to the first is the
 * price of a fresh output (its pages faulted in on first write).
 *
 * `npx tsx bench/w3-products.ts [samples]`: medians (µs) of `samples` (default 41) alternated rounds.
 */
import os from "node:os";
import { allocateUninitialized } from "../src/core/dtype.ts";
import { matmulData, productOf } from "../src/kernels/matmul.ts";
import { kernelMemoryArray } from "../src/kernels/matmul-wasm.ts";

const samples = Number(process.argv[2] ?? 41);
// [name, m, k, n, transA, transB] as `dotGeneral` calls the kernel in W3 (forward, then backward).
const shapes: [string, number, number, number, boolean, boolean][] = [
  ["x·W1", 256, 784, 512, false, false],
  ["h1·W2", 256, 512, 512, false, false],
  ["h2·W3", 256, 512, 10, false, false],
  ["dz3·W3ᵀ", 256, 10, 512, false, true],
  ["h2ᵀ·dz3", 512, 256, 10, true, false],
  ["dz2·W2ᵀ", 256, 512, 512, false, true],
  ["h1ᵀ·dz2", 512, 256, 512, true, false],
  ["xᵀ·dz1", 784, 256, 512, true, false],
];
const fill = (x: Float64Array, seed: number): Float64Array => {
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(0.7 * i + seed);
  return x;
};
const cases = shapes.map(([name, m, k, n, tA, tB], i) => {
  const a = fill(new Float64Array(m * k), i);
  const b = fill(new Float64Array(k * n), i + 0.5);
  const ka = kernelMemoryArray(m * k)!;
  const kb = kernelMemoryArray(k * n)!;
  ka.set(a);
  kb.set(b);
  const p = productOf(1, m, k, n, tA, tB);
  const eager = (): Float64Array => {
    const c = allocateUninitialized(m * n);
    matmulData(a, b, c, 1, m, k, n, tA, tB);
    return c;
  };
  const reused = new Float64Array(m * n);
  const sameC = (): Float64Array => {
    matmulData(a, b, reused, 1, m, k, n, tA, tB);
    return reused;
  };
  const c = kernelMemoryArray(m * n)!;
  const compiled = (): Float64Array => (p.inMemory ? p.inMemory(ka, kb) : (p.into(ka, kb, c), c));
  return { name, eager, sameC, compiled, flops: 2 * m * k * n };
});
const start = performance.now();
while (performance.now() - start < 1500) for (const c of cases) (c.eager(), c.sameC(), c.compiled());
const times = cases.map(() => [[] as number[], [] as number[], [] as number[]]);
const load0 = os.loadavg()[0];
for (let s = 0; s < samples; s++) {
  cases.forEach((c, i) => {
    let t = performance.now();
    c.eager();
    times[i]![0]!.push(performance.now() - t);
    t = performance.now();
    c.compiled();
    times[i]![1]!.push(performance.now() - t);
    t = performance.now();
    c.sameC();
    times[i]![2]!.push(performance.now() - t);
  });
}
const med = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`W3's products, µs (median of ${samples}); load ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`);
let [te, tc, ts] = [0, 0, 0];
cases.forEach((c, i) => {
  const [e, k, r] = [med(times[i]![0]!) * 1000, med(times[i]![1]!) * 1000, med(times[i]![2]!) * 1000];
  te += e;
  tc += k;
  ts += r;
  console.log(`  ${c.name.padEnd(9)} eager ${e.toFixed(0).padStart(5)}  C not fresh ${r.toFixed(0).padStart(5)}  in kernel memory ${k.toFixed(0).padStart(5)}  eager − kernel memory ${(e - k).toFixed(0).padStart(4)}  (${(c.flops / e / 1000).toFixed(1)} GFLOP/s eager)`);
});
console.log(`  all eight: eager ${(te / 1000).toFixed(2)} ms, C not fresh ${(ts / 1000).toFixed(2)} ms, in kernel memory ${(tc / 1000).toFixed(2)} ms`);
