/**
 * @file Two independent products of W3's backward pass as one threaded job against one after the
 * other (`npx tsx bench/compiler-pair.ts [samples]`): dW2 = h1ᵀ·dh2 into a fresh array with dh1 =
 * dh2·W2ᵀ left in the kernel's memory, and dW3 = h2ᵀ·dz with dh2 = dz·W3ᵀ, operands in the kernel's
 * memory as in the compiled step; the two variants alternate sample by sample (1 s warm-up each),
 * medians, first quartiles and fastest samples (of 50 ms each) in ms per pair.
 */
import { productOf } from "../src/kernels/matmul.ts";
import { kernelMemoryArray, wasmProductPair, type ProductShape } from "../src/kernels/matmul-wasm.ts";
import { allocateUninitialized } from "../src/core/dtype.ts";
import { median } from "./timing.ts";
import { runFor } from "./compiler-pairs.ts";

const filled = (n: number, seed: number): Float64Array => {
  const x = kernelMemoryArray(n)!;
  for (let i = 0; i < n; i++) x[i] = Math.sin(seed + i * 0.37);
  return x;
};

/** [name, first product (into a fresh C), second (left in memory)]: shape and operands. */
const cases: [string, ProductShape, ProductShape, () => Float64Array[]][] = [
  ["dW2 = h1ᵀ·dh2 with dh1 = dh2·W2ᵀ", { m: 512, k: 256, n: 512, transA: true, transB: false }, { m: 256, k: 512, n: 512, transA: false, transB: true }, () => {
    const h1 = filled(256 * 512, 1);
    const dh2 = filled(256 * 512, 2);
    const w2 = filled(512 * 512, 3);
    return [h1, dh2, dh2, w2];
  }],
  ["dW3 = h2ᵀ·dz with dh2 = dz·W3ᵀ", { m: 512, k: 256, n: 10, transA: true, transB: false }, { m: 256, k: 10, n: 512, transA: false, transB: true }, () => {
    const h2 = filled(256 * 512, 4);
    const dz = filled(256 * 10, 5);
    const w3 = filled(512 * 10, 6);
    return [h2, dz, dz, w3];
  }],
];

const samples = Number(process.argv[2] ?? 31);
for (const [name, s1, s2, operands] of cases) {
  const [a1, b1, a2, b2] = operands() as [Float64Array, Float64Array, Float64Array, Float64Array];
  const p1 = productOf(1, s1.m, s1.k, s1.n, s1.transA, s1.transB);
  const p2 = productOf(1, s2.m, s2.k, s2.n, s2.transA, s2.transB);
  const pair = wasmProductPair(s1, s2)!;
  const apart = () => {
    p1.into(a1, b1, allocateUninitialized(s1.m * s1.n) as Float64Array);
    p2.inMemory!(a2, b2);
  };
  const together = () => {
    if (pair(a1, b1, allocateUninitialized(s1.m * s1.n) as Float64Array, a2, b2, undefined) === undefined) throw new Error("the pair did not run as one job");
  };
  runFor(apart, 1000);
  runFor(together, 1000);
  const [ta, tt]: number[][] = [[], []];
  for (let i = 0; i < samples; i++) {
    ta.push(runFor(apart, 50));
    tt.push(runFor(together, 50));
  }
  const quartile = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 4)]!;
  const fmt = (xs: number[]) => `median ${median([...xs]).toFixed(3)}, first quartile ${quartile(xs).toFixed(3)}, fastest ${Math.min(...xs).toFixed(3)}`;
  console.log(`${name}: apart ${fmt(ta)}; one job ${fmt(tt)} ms`);
}
process.exit(0);
