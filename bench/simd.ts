/**
 * @file `npx tsx bench/simd.ts`: the WebAssembly SIMD math kernels (`src/kernels/simd.ts`) against
 * the JavaScript loops they replace, in one process: ns per element of each function on 10⁶
 * float64 (the `Math` loop that eager used before, the Wasm kernel with its copies in and out, the
 * kernel alone on a chunk already in its memory, and eager `np.*` as a user calls it); the copy
 * cost alone; the crossover length for exp; µs for sum, mean, max and dot of 10⁶. Medians after a
 * 1 s warm-up (`timing.ts`). Also printed at the end of `npm run bench` (`printSimdTable`).
 */
import { fileURLToPath } from "node:url";
import * as np from "autograd-ts/numpy";
import { timeCall, type TimingOptions } from "./timing.ts";
import { CHUNK, simdExtremum, simdMath, simdPairwiseDot, simdPairwiseSum, simdUnary, type SimdUnaryName } from "../src/kernels/simd.ts";
import { compileUnary } from "../src/kernels/elementwise.ts";
import { pairwiseJs } from "../src/kernels/reduce.ts";
import { matmulData } from "../src/kernels/matmul.ts";

const timing: TimingOptions = process.env["BENCH_QUICK"]
  ? { samples: 3, minSampleMs: 10, warmupMs: 50 }
  : { samples: 9, minSampleMs: 50, warmupMs: 1000 };

const N = 1_000_000;

/** Arguments of each function over a range where every path of the kernel runs. */
function argument(name: SimdUnaryName, i: number): number {
  const u = Math.sin(0.7 * i + 1); // deterministic, in [−1, 1]
  switch (name) {
    case "log":
      return Math.exp(20 * u);
    case "log1p":
      return 0.9999 * u + Math.exp(5 * u) - 1;
    case "sin":
    case "cos":
      return 100 * u;
    default:
      return 10 * u;
  }
}

/** The `Math` expression of each function (sigmoid as a user writes it, each side without overflow). */
const mathExpr: Record<SimdUnaryName, string> = {
  exp: "Math.exp(a)",
  expm1: "Math.expm1(a)",
  log: "Math.log(a)",
  log1p: "Math.log1p(a)",
  tanh: "Math.tanh(a)",
  sigmoid: "a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))",
  sin: "Math.sin(a)",
  cos: "Math.cos(a)",
};

/** Eager `np.*` of the functions the primitives route to the kernels (sigmoid is scipy's composition). */
const eager: Partial<Record<SimdUnaryName, (x: np.NDArray) => np.NDArray>> = {
  exp: np.exp,
  expm1: np.expm1,
  log: np.log,
  log1p: np.log1p,
  tanh: np.tanh,
  sin: np.sin,
  cos: np.cos,
};

const ns = (ms: number, n: number): string => ((ms * 1e6) / n).toFixed(2);

export function printSimdTable(): void {
  const m = simdMath();
  if (m === null) {
    console.log("\nWebAssembly SIMD is unavailable here: no SIMD table.");
    return;
  }
  const out = new Float64Array(N);
  const lines = [
    "| function | Math loop ns/el | SIMD ns/el (with copies) | kernel alone ns/el | eager np ns/el | Math ÷ SIMD |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const name of Object.keys(mathExpr) as SimdUnaryName[]) {
    const x = Float64Array.from({ length: N }, (_, i) => argument(name, i));
    const js = compileUnary(mathExpr[name]);
    const tMath = timeCall(() => js(x, out), timing);
    const tSimd = timeCall(() => simdUnary(name, x, out), timing);
    const kernel = m.exports[name] as (p: number, n: number) => number;
    m.a.set(x.subarray(0, CHUNK));
    const reps = Math.ceil(N / CHUNK);
    const tKernel = timeCall(() => {
      for (let r = 0; r < reps; r++) kernel(m.a.byteOffset, CHUNK);
    }, timing);
    const f = eager[name];
    const xa = np.asarray(x);
    const tEager = f ? timeCall(() => f(xa), timing) : undefined;
    lines.push(
      `| ${name} | ${ns(tMath, N)} | ${ns(tSimd, N)} | ${ns(tKernel, reps * CHUNK)} | ${tEager === undefined ? "–" : ns(tEager, N)} | ${(tMath / tSimd).toFixed(1)}× |`,
    );
  }
  const x = Float64Array.from({ length: N }, (_, i) => argument("exp", i));
  const tCopy = timeCall(() => {
    for (let s = 0; s < N; s += CHUNK) {
      const len = Math.min(CHUNK, N - s);
      m.a.set(x.subarray(s, s + len));
      out.set(m.a.subarray(0, len), s);
    }
  }, timing);
  lines.push("", `Copy in and out of the Wasm scratch region alone: ${ns(tCopy, N)} ns/element.`, "");

  lines.push("| exp, n | Math loop ns/el | SIMD ns/el |", "| ---: | ---: | ---: |");
  const jsExp = compileUnary(mathExpr.exp);
  for (const n of [16, 64, 256, 1024, 4096]) {
    const xs = x.subarray(0, n);
    const os = out.subarray(0, n);
    lines.push(`| ${n} | ${ns(timeCall(() => jsExp(xs, os), timing), n)} | ${ns(timeCall(() => simdUnary("exp", xs, os), timing), n)} |`);
  }

  const y = Float64Array.from({ length: N }, (_, i) => argument("sin", i + 7) / 100);
  const xa = np.asarray(x);
  const ya = np.asarray(y);
  const c = new Float64Array(1);
  const us = (ms: number): string => (ms * 1e3).toFixed(0);
  lines.push(
    "",
    "| 10⁶ float64 | JavaScript kernel µs | SIMD kernel µs | eager np µs |",
    "| --- | ---: | ---: | ---: |",
    `| sum (pairwise) | ${us(timeCall(() => pairwiseJs(x, 0, N), timing))} | ${us(timeCall(() => simdPairwiseSum(m, x, 0, N), timing))} | ${us(timeCall(() => np.sum(xa), timing))} |`,
    `| mean | – | – | ${us(timeCall(() => np.mean(xa), timing))} |`,
    `| max | ${us(timeCall(() => jsMax(x), timing))} | ${us(timeCall(() => simdExtremum(m, "max", x, 0, N), timing))} | ${us(timeCall(() => np.max(xa), timing))} |`,
    `| dot | ${us(timeCall(() => matmulData(x, y, c, 1, 1, N, 1, false, false), timing))} | ${us(timeCall(() => simdPairwiseDot(m, x, 0, y, 0, N), timing))} | ${us(timeCall(() => np.dot(xa, ya), timing))} |`,
  );
  console.log(`\n${lines.join("\n")}\n\nMedians after a 1 s warm-up, in one process; "Math loop" is the JavaScript kernel eager used before the SIMD kernels; the dot's JavaScript column is the matrix-product kernel with m = n = 1.`);
}

/** The JavaScript max loop of `reduceData` (NaN-propagating). */
function jsMax(x: Float64Array): number {
  let acc = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v > acc || v !== v) acc = v;
  }
  return acc;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) printSimdTable();
