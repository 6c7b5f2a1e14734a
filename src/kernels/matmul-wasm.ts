/**
 * @file The matrix product on WebAssembly SIMD (`wasm/gemm.wat`): about 4× the plain-JavaScript
 * kernel of `matmul.ts` on this project's machine (13 against 3.4 GFLOP/s at 512³), because V8
 * compiles JavaScript to scalar code while the Wasm kernel does two float64 lanes per instruction.
 *
 * Each product copies A into the module's memory, packs B there in strips of four columns (the
 * layout the kernel reads sequentially), pads both to multiples of four with zeros, runs the
 * kernel and copies C out. The copies are O(mk + kn + mn) against the product's O(mkn), which is
 * why `matmul.ts` sends only products with every dimension of some size here. The memory grows to
 * the largest product seen and is kept (reused by later products, so its pages are touched once).
 *
 * Where WebAssembly or its SIMD instructions are missing, `wasmMatmul` reports false and the caller
 * uses the JavaScript kernel.
 */
import { gemmWasm } from "./wasm/gemm.wasm.ts";
import type { MatmulKernel } from "./matmul.ts";

/** The part of the WebAssembly API used here (the project compiles without the DOM's types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface Gemm {
  memory: WasmMemory;
  gemm: (a: number, bp: number, c: number, m: number, k: number, n: number) => void;
}

/** The instantiated kernel, `null` where it cannot run, `undefined` before the first attempt. */
let kernel: Gemm | null | undefined;

function instantiate(): Gemm | null {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return null;
    const bytes = Uint8Array.from(atob(gemmWasm), (ch) => ch.charCodeAt(0));
    const { exports } = new wasm.Instance(new wasm.Module(bytes), {});
    return exports as Gemm;
  } catch {
    return null;
  }
}

/** Whether the WebAssembly kernel can run here (instantiated on first use). */
export function wasmAvailable(): boolean {
  if (kernel === undefined) kernel = instantiate();
  return kernel !== null;
}

const PAGE = 65536;
/** Wasm32 addresses stop at 4 GiB; larger products stay in JavaScript. */
const MAX_BYTES = 2 ** 32 - PAGE;

/**
 * `c` ([batch, m, n]) receives `a · b` for `a` ([batch, m, k], or [batch, k, m] with `transA`) and
 * `b` ([batch, k, n], or [batch, n, k] with `transB`), computed by the Wasm kernel; false (and `c`
 * untouched) where the kernel is unavailable or the operands do not fit its memory.
 */
export function wasmMatmul(...[a, b, c, batch, m, k, n, transA = false, transB = false]: Parameters<MatmulKernel>): boolean {
  if (!wasmAvailable()) return false;
  const m4 = (m + 3) & ~3;
  const n4 = (n + 3) & ~3;
  // Element offsets of A, packed B and C in the memory (all multiples of 2: 16-byte aligned).
  const bAt = m4 * k;
  const cAt = bAt + n4 * k;
  const bytes = (cAt + m4 * n4) * 8;
  if (bytes > MAX_BYTES) return false;
  const { memory, gemm } = kernel!;
  if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
  const f = new Float64Array(memory.buffer);
  for (let bi = 0; bi < batch; bi++) {
    if (transA) copyTransposed(a, bi * m * k, f, k, m);
    else f.set(a.subarray(bi * m * k, (bi + 1) * m * k), 0);
    f.fill(0, m * k, bAt);
    if (transB) packTransposedB(b, bi * k * n, f, bAt, k, n);
    else packB(b, bi * k * n, f, bAt, k, n);
    gemm(0, bAt * 8, cAt * 8, m4, k, n4);
    const cOff = bi * m * n;
    if (n === n4) c.set(f.subarray(cAt, cAt + m * n), cOff);
    else for (let i = 0; i < m; i++) c.set(f.subarray(cAt + i * n4, cAt + i * n4 + n), cOff + i * n);
  }
  return true;
}

/** Writes B ([k, n] at `bOff`) into `f` at `at` as strips of four columns, zero-padded past column n. */
function packB(b: Float64Array, bOff: number, f: Float64Array, at: number, k: number, n: number): void {
  const full = n >> 2;
  for (let s = 0; s < full; s++) {
    let dst = at + s * k * 4;
    for (let p = 0, src = bOff + s * 4; p < k; p++, src += n, dst += 4) {
      f[dst] = b[src]!;
      f[dst + 1] = b[src + 1]!;
      f[dst + 2] = b[src + 2]!;
      f[dst + 3] = b[src + 3]!;
    }
  }
  packLastStrip(b, bOff + full * 4, f, at + full * k * 4, k, n, n - full * 4);
}

/** The last strip when n is not a multiple of four: `rest` < 4 columns, then zeros. */
function packLastStrip(b: Float64Array, src: number, f: Float64Array, dst: number, k: number, n: number, rest: number): void {
  if (rest === 0) return;
  f.fill(0, dst, dst + k * 4);
  for (let p = 0; p < k; p++, src += n, dst += 4) {
    for (let r = 0; r < rest; r++) f[dst + r] = b[src + r]!;
  }
}

/** Writes the transpose of A ([k, m] at `aOff`) into `f` from 0, as [m, k]. */
function copyTransposed(a: Float64Array, aOff: number, f: Float64Array, k: number, m: number): void {
  for (let p = 0; p < k; p++) {
    const row = aOff + p * m;
    for (let i = 0; i < m; i++) f[i * k + p] = a[row + i]!;
  }
}

/** `packB` for B stored transposed ([n, k] at `bOff`): strip s takes rows 4s … 4s+3 of it. */
function packTransposedB(b: Float64Array, bOff: number, f: Float64Array, at: number, k: number, n: number): void {
  const full = n >> 2;
  for (let s = 0; s < full; s++) {
    const r0 = bOff + s * 4 * k;
    let dst = at + s * k * 4;
    for (let p = 0; p < k; p++, dst += 4) {
      f[dst] = b[r0 + p]!;
      f[dst + 1] = b[r0 + k + p]!;
      f[dst + 2] = b[r0 + 2 * k + p]!;
      f[dst + 3] = b[r0 + 3 * k + p]!;
    }
  }
  const rest = n - full * 4;
  if (rest === 0) return;
  let dst = at + full * k * 4;
  f.fill(0, dst, dst + k * 4);
  for (let p = 0; p < k; p++, dst += 4) {
    for (let r = 0; r < rest; r++) f[dst + r] = b[bOff + (full * 4 + r) * k + p]!;
  }
}
