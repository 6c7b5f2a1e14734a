/**
 * @file What a compiled program's fresh output costs when the product kernel left it in its shared
 * memory (`npx tsx bench/compiler-output.ts [elements…]`, default 10000 = W5's 100×100 Hessian and
 * 401408 = W3's dW1): allocation alone, copies out of the kernel's memory into a reused array (by
 * `set` and by an element loop), the same from an ordinary array, and allocation + copy as a program
 * does; the variants take turns sample by sample (after a warm-up), medians of µs per call and the
 * minor page faults per call (`process.resourceUsage`).
 */
import { kernelMemoryArray } from "../src/kernels/matmul-wasm.ts";
import { allocateUninitialized } from "../src/core/dtype.ts";
import { median } from "./timing.ts";

let sink = 0;
const sizes = process.argv.slice(2).map(Number);
for (const n of sizes.length > 0 ? sizes : [10000, 401408]) {
  const shared = kernelMemoryArray(n)!;
  for (let i = 0; i < n; i++) shared[i] = Math.sin(i);
  const plain = shared.slice();
  const reused = new Float64Array(n);
  const loop = (src: Float64Array, dst: Float64Array): void => {
    for (let i = 0; i < n; i++) dst[i] = src[i]!;
  };
  const variants: [string, () => void][] = [
    ["allocateUninitialized alone", () => {
      sink += allocateUninitialized(n).length;
    }],
    ["new Float64Array alone (zeroed)", () => {
      sink += new Float64Array(n).length;
    }],
    ["set from kernel memory into a reused array", () => reused.set(shared)],
    ["element loop from kernel memory into a reused array", () => loop(shared, reused)],
    ["set from an ordinary array into a reused array", () => reused.set(plain)],
    ["allocateUninitialized + set from kernel memory (a program's output)", () => {
      const out = allocateUninitialized(n);
      out.set(shared);
      sink += out[n - 1]!;
    }],
    ["allocateUninitialized + element loop from kernel memory", () => {
      const out = allocateUninitialized(n);
      loop(shared, out);
      sink += out[n - 1]!;
    }],
  ];
  const reps = Math.max(1, Math.round(2e6 / n));
  const sample = (f: () => void): [number, number] => {
    const faults = process.resourceUsage().minorPageFault;
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    return [((performance.now() - t0) * 1000) / reps, (process.resourceUsage().minorPageFault - faults) / reps];
  };
  for (const [, f] of variants) for (let w = 0; w < 20; w++) sample(f);
  const times = variants.map(() => [] as number[]);
  const faults = variants.map(() => [] as number[]);
  for (let s = 0; s < 41; s++) {
    variants.forEach(([, f], i) => {
      const [t, pf] = sample(f);
      times[i]!.push(t);
      faults[i]!.push(pf);
    });
  }
  console.log(`${n} float64 (${(n * 8) / 1000} KB), ${reps} calls per sample:`);
  variants.forEach(([name], i) => console.log(`  ${median(times[i]!).toFixed(2).padStart(8)} µs  ${median(faults[i]!).toFixed(1).padStart(6)} faults  ${name}`));
}
if (sink === 42) console.log("");
process.exit(0);
