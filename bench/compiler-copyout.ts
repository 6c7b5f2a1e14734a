/**
 * @file W3's products whose C is copied out into a fresh array (dW1 = xᵀ·dh1, dW2 = h1ᵀ·dh2, operands
 * in the kernel's memory, as in the compiled step) in this checkout and another (`npx tsx
 * bench/compiler-copyout.ts <other checkout> [samples]`, e.g. one before C was copied out chunk by
 * chunk): alternated sample by sample after a 1 s warm-up each, medians and fastest samples in ms.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { productOf } from "../src/kernels/matmul.ts";
import { kernelMemoryArray } from "../src/kernels/matmul-wasm.ts";
import { allocateUninitialized } from "../src/core/dtype.ts";
import { median } from "./timing.ts";
import { runFor } from "./compiler-pairs.ts";
const [other, samplesArg = "31"] = process.argv.slice(2);
if (other === undefined) throw new Error("usage: npx tsx bench/compiler-copyout.ts <other checkout> [samples]");
type Matmul = typeof import("../src/kernels/matmul.ts");
type MatmulWasm = typeof import("../src/kernels/matmul-wasm.ts");
const there = (await import(pathToFileURL(path.resolve(other, "src/kernels/matmul.ts")).href)) as Matmul;
const thereWasm = (await import(pathToFileURL(path.resolve(other, "src/kernels/matmul-wasm.ts")).href)) as MatmulWasm;

const filled = (x: Float64Array, seed: number): Float64Array => {
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(seed + i * 0.37);
  return x;
};
const shapes: [string, number, number, number, boolean, boolean][] = [
  ["dW1 = xᵀ·dh1, [784,256]ᵀ·[256,512]", 784, 256, 512, true, false],
  ["dW2 = h1ᵀ·dh2, [512,256]ᵀ·[256,512]", 512, 256, 512, true, false],
];
for (const [name, m, k, n, tA, tB] of shapes) {
  /** The product into a fresh array, its operands in the kernel's memory of one checkout. */
  const productIn = (lib: Matmul, wasm: MatmulWasm): (() => void) => {
    const a = filled(wasm.kernelMemoryArray(m * k)!, 1);
    const b = filled(wasm.kernelMemoryArray(k * n)!, 2);
    const p = lib.productOf(1, m, k, n, tA, tB);
    return () => p.into(a, b, allocateUninitialized(m * n));
  };
  const here = productIn({ productOf } as Matmul, { kernelMemoryArray } as MatmulWasm);
  const other_ = productIn(there, thereWasm);
  runFor(here, 1000);
  runFor(other_, 1000);
  const [th, tt]: number[][] = [[], []];
  for (let i = 0; i < Number(samplesArg); i++) {
    tt.push(runFor(other_, 100));
    th.push(runFor(here, 100));
  }
  const fmt = (xs: number[]) => `${median([...xs]).toFixed(3)} (fastest ${Math.min(...xs).toFixed(3)})`;
  console.log(`${name}: other ${fmt(tt)}, this ${fmt(th)} ms`);
}
process.exit(0);
