/**
 * @file The matrix–vector product A·x of a constant A (a compiled program's), on WebAssembly SIMD:
 * A is stored once, transposed, in the matrix kernel's memory, and each row's sum is taken as
 * `matmul.ts`' matVec takes it — from 0, over p = 0 … k−1, each product rounded then added — so the
 * result is the JavaScript kernel's bit for bit, two rows per instruction instead of one.
 */
import { kernelMemory, kernelMemoryArray } from "./matmul-wasm.ts";
import { get, I32, i32, instantiate, oneFunctionModule, set, simd, uleb, V128, vec } from "./wasm-encode.ts";

/** Rows per block: eight f64x2 sums, enough independent additions to keep the adder busy. */
const BLOCK = 16;

/** `mv(aT, x, c)` over the addresses of Aᵀ ([k, mPad]), x ([k]) and c ([mPad]). */
type MatVecFn = (aT: number, x: number, c: number) => void;

const memarg = (offset: number): number[] => [3, ...uleb(offset)];

/** The body of `mv` for `mPad` rows (a multiple of BLOCK) and depth `k` ≥ 1. */
function body(mPad: number, k: number): number[] {
  const [aT, x, c] = [0, 1, 2];
  const [ib, ap, pb] = [3, 4, 5];
  const acc = (u: number) => 6 + u;
  const xs = 6 + BLOCK / 2;
  const code: number[] = [];
  // loop (blocks of rows) {
  code.push(0x03, 0x40);
  for (let u = 0; u < BLOCK / 2; u++) code.push(...simd(12), ...new Array<number>(16).fill(0), ...set(acc(u)));
  code.push(...get(aT), ...get(ib), 0x6a, ...set(ap), ...i32(0), ...set(pb));
  //   loop (p) { xs = splat x[p]; acc_u += Aᵀ[p, rows of u] · xs; ap += row; pb += 8; br_if pb < 8k }
  code.push(0x03, 0x40);
  code.push(...get(x), ...get(pb), 0x6a, ...simd(10), ...memarg(0), ...set(xs));
  for (let u = 0; u < BLOCK / 2; u++) {
    code.push(...get(acc(u)), ...get(ap), ...simd(0), ...memarg(16 * u), ...get(xs), ...simd(242), ...simd(240), ...set(acc(u)));
  }
  code.push(...get(ap), ...i32(mPad * 8), 0x6a, ...set(ap));
  code.push(...get(pb), ...i32(8), 0x6a, ...set(pb), ...get(pb), ...i32(k * 8), 0x49, 0x0d, 0, 0x0b);
  //   c[rows] = acc; ib += block; br_if ib < 8·mPad }
  for (let u = 0; u < BLOCK / 2; u++) code.push(...get(c), ...get(ib), 0x6a, ...get(acc(u)), ...simd(11), ...memarg(16 * u));
  code.push(...get(ib), ...i32(BLOCK * 8), 0x6a, ...set(ib), ...get(ib), ...i32(mPad * 8), 0x49, 0x0d, 0, 0x0b, 0x0b);
  const locals = vec([[3, I32], [...uleb(BLOCK / 2 + 1), V128]]);
  const all = [...locals, ...code];
  return [...uleb(all.length), ...all];
}

/** Compiled functions by shape (`mPad`, `k`). */
const compiled = new Map<string, MatVecFn | undefined>();

function compile(mPad: number, k: number, memory: unknown): MatVecFn | undefined {
  const key = `${mPad},${k}`;
  if (!compiled.has(key)) {
    compiled.set(key, instantiate(oneFunctionModule("mv", 3, body(mPad, k), true), memory)?.["mv"] as MatVecFn | undefined);
  }
  return compiled.get(key);
}

/**
 * `(x, c) => c ← A·x` for the constant `a` ([m, k], row-major; k ≥ 1), x of k elements and c of
 * m, equal bit for bit to `matmulData(a, x, c, 1, m, k, 1)` for k up to its `SPLIT_K` (1024, where
 * it sums each row in one pass, matVec's order); undefined where the matrix kernel's memory is not
 * shared or has no room. Aᵀ, x and c live in that memory (freed once the function is collected).
 */
export function constantMatVec(a: Float64Array, m: number, k: number): ((x: Float64Array, c: Float64Array) => void) | undefined {
  const mem = kernelMemory();
  if (mem === undefined || !mem.shared || k < 1 || m < 1) return undefined;
  const mPad = Math.ceil(m / BLOCK) * BLOCK;
  const fn = compile(mPad, k, mem.memory);
  const aT = fn && kernelMemoryArray(k * mPad);
  const xs = aT && kernelMemoryArray(k);
  const cs = xs && kernelMemoryArray(mPad);
  if (fn === undefined || aT === undefined || xs === undefined || cs === undefined) return undefined;
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aT[p * mPad + i] = a[i * k + p]!;
  const [aAt, xAt, cAt] = [aT.byteOffset, xs.byteOffset, cs.byteOffset];
  const rows = cs.subarray(0, m);
  return (x, c) => {
    xs.set(x);
    fn(aAt, xAt, cAt);
    c.set(rows);
  };
}
