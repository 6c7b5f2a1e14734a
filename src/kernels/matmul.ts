/**
 * @file Batched matrix product C[b] = A[b] · B[b] on contiguous row-major float64 data, tuned for
 * V8: a panel of B is packed into a contiguous scratch buffer, and a 3×4 register-blocked
 * micro-kernel keeps twelve sums in local variables while it walks that panel.
 *
 * Why this shape: V8 emits scalar SSE code, so speed comes from doing many multiply-adds per
 * load and store. The naive i-k-j loop loads and stores C on every multiply-add; the 3×4 tile loads
 * 3 + 4 values per 12 multiply-adds and touches C once per tile. Twelve accumulators plus the seven
 * operands fit x64's sixteen float registers; larger tiles spill and run slower (measured).
 *
 * Products with every dimension at least 4 and some work go to the WebAssembly SIMD kernel
 * (`matmul-wasm.ts`, on several threads for large products) when it is available, about 5× faster
 * on one thread; the paths below serve the others
 * (matrix-vector, a few rows, shallow products such as per-example outer products) and any
 * platform without Wasm.
 *
 * Skinny shapes take simpler paths, where packing would cost more than it saves: a matrix-vector
 * product (n = 1) is a set of dot products, a few rows of A (m small) stream B row by row, and
 * shallow products (small k) and tiny matrices are summed as outer products.
 *
 * Every product a[i,p]·b[p,j] is computed and added, zeros included, so NaN and ±Inf propagate as
 * in the naive triple loop; only the order of the additions differs (rounding-level differences).
 *
 * C is overwritten, and each path writes a part of C before it reads it. C is usually a fresh
 * allocation, and a large one (over 32 MB with glibc) comes as untouched pages from the kernel: a
 * page that is first read is mapped to the shared zero page and faults again when written, so
 * read-modify-write costs two page faults per 4 KB where a write costs one. Measured here on a
 * fresh 51 MB array: 60 ms for `c[i] += x` against 32 ms for `c[i] = x` (the per-example gradient
 * of `vmap(grad)` on a 784×128 layer is exactly such an array).
 */

import { wasmMatmul, wasmProduct } from "./matmul-wasm.ts";
import { mirrorUpper } from "./matmul-symmetric.ts";
import { allocateUninitialized } from "../core/dtype.ts";

/** Depth (rows of B) of a packed panel. */
const KC = 128;
/** Width (columns of B) of a packed panel; a multiple of `NR`. */
const NC = 256;
/** Rows of C per micro-tile. */
const MR = 3;
/** Columns of C per micro-tile. */
const NR = 4;
/** Below this many rows of A, packing B does not pay for itself: stream B instead. */
const PACK_MIN_ROWS = 4;
/** Below this depth, or this many multiply-adds, packing B does not pay for itself either. */
const PACK_MIN_DEPTH = 4;
const PACK_MIN_WORK = 512;

/**
 * Scratch for one packed panel of B: strip `s` (columns `4s … 4s+3` of the panel) is stored
 * row after row, `panel[s·kc·4 + p·4 + r] = B[k0 + p, j0 + 4s + r]`, zero-padded past the last column.
 * Shared across calls: kernels run synchronously, so no two calls use it at once.
 */
const panel = new Float64Array(KC * NC);

/**
 * A batched product: `c` ([batch, m, n]) receives `a · b` for `a` ([batch, m, k]) and `b`
 * ([batch, k, n]); its contents are ignored. With `transA`, each matrix of `a` is stored
 * transposed ([batch, k, m]); with `transB`, each of `b` ([batch, n, k]).
 */
export type MatmulKernel = (
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  batch: number,
  m: number,
  k: number,
  n: number,
  transA?: boolean,
  transB?: boolean,
) => void;

/**
 * The product, by the fastest kernel for its shape. Beyond `SPLIT_K` the inner dimension is cut into
 * blocks of `KB` whose products are added pairwise (`blockedProduct`), so the rounding error of a
 * long inner product grows as ε·(KB + log₂(k/KB)) rather than ε·k. `bKey`, an object standing for
 * B's contents (they never change while it lives), lets the WebAssembly kernel keep B packed for the
 * next product with the same B (`wasmMatmul`); results are the same bits with or without it.
 */
export const matmulData = (a: Float64Array, b: Float64Array, c: Float64Array, batch: number, m: number, k: number, n: number, transA = false, transB = false, bKey?: object): void => {
  if (k > SPLIT_K && m > 0 && n > 0) {
    for (let bi = 0; bi < batch; bi++) {
      const [aOff, bOff, cOff] = [bi * m * k, bi * k * n, bi * m * n];
      // Dot products of contiguous rows: A·x (rows of A), x·Bᵀ (rows of B), or one dot of two vectors.
      if (n === 1 && m === 1) c[cOff] = pairwiseDot(a, aOff, b, bOff, k);
      else if (m === 1 && (transB || n === 1)) for (let j = 0; j < n; j++) c[cOff + j] = pairwiseDot(a, aOff, b, bOff + j * k, k);
      else blockedProduct(a, b, c, aOff, bOff, cOff, m, k, n, transA, transB);
    }
    return;
  }
  directProduct(a, b, c, batch, m, k, n, transA, transB, bKey);
};

const directProduct = (a: Float64Array, b: Float64Array, c: Float64Array, batch: number, m: number, k: number, n: number, transA = false, transB = false, bKey?: object): void => {
  if (wasmPays(m, k, n) && wasmMatmul(a, b, c, batch, m, k, n, transA, transB, undefined, bKey)) return;
  matmulJs(a, b, c, batch, m, k, n, transA, transB);
};

/**
 * `matmulData` for one shape, the kernel chosen once (for a compiled program, which calls it at
 * every run): `into(a, b, c)` writes the product into `c` as `matmulData(a, b, c, batch, m, k, n,
 * transA, transB)` does, bit for bit. `inMemory(a, b)`, where the WebAssembly kernel computes the
 * product and can leave C in its memory (see `wasmProduct`), returns C there, valid until the next
 * matrix product of any kind; where the kernel fails at run time it returns C in a new array.
 *
 * With `symmetric` (a single square product the compiler proved symmetric), C's lower triangle is
 * its upper one mirrored, on every path, and the WebAssembly kernel computes only the tiles on and
 * above the diagonal: elements below the diagonal then differ from `matmulData`'s by rounding (see
 * `matmul-symmetric.ts`).
 */
export function productOf(batch: number, m: number, k: number, n: number, transA: boolean, transB: boolean, symmetric = false): Product {
  if (symmetric && (batch !== 1 || m !== n)) throw new Error(`productOf: a symmetric product must be single and square, got batch ${batch}, [${m}, ${k}]·[${k}, ${n}]`);
  const mirror = (c: Float64Array): void => {
    if (symmetric) mirrorUpper(c, 0, m, m);
  };
  const generic = (a: Float64Array, b: Float64Array, c: Float64Array): void => {
    matmulData(a, b, c, batch, m, k, n, transA, transB);
    mirror(c);
  };
  if (k > SPLIT_K || !wasmPays(m, k, n)) return { into: generic, wasm: false };
  const wasm = wasmProduct(batch, m, k, n, transA, transB, symmetric);
  if (wasm === undefined) return { into: generic, wasm: false };
  const fallback = (a: Float64Array, b: Float64Array, c: Float64Array): void => {
    matmulJs(a, b, c, batch, m, k, n, transA, transB);
    mirror(c);
  };
  const into = (a: Float64Array, b: Float64Array, c: Float64Array): void => {
    if (!wasm.into(a, b, c)) fallback(a, b, c);
  };
  const inWasm = wasm.inMemory;
  if (inWasm === undefined) return { into, wasm: true };
  const inMemory = (a: Float64Array, b: Float64Array): Float64Array => {
    const c = inWasm(a, b);
    if (c !== undefined) return c;
    const fresh = allocateUninitialized(m * n);
    fallback(a, b, fresh);
    return fresh;
  };
  return { into, inMemory, wasm: true };
}

/** A matrix product of fixed shape: see `productOf`. */
export interface Product {
  /** Whether the WebAssembly kernel computes it (operands in its memory then save copies). */
  readonly wasm: boolean;
  readonly into: (a: Float64Array, b: Float64Array, c: Float64Array) => void;
  readonly inMemory?: (a: Float64Array, b: Float64Array) => Float64Array;
}

/** Σ a[aOff + p]·b[bOff + p], p < k, summed pairwise (leaves of 128 with four accumulators, as `pairwiseSum`). */
export function pairwiseDot(a: Float64Array, aOff: number, b: Float64Array, bOff: number, k: number): number {
  if (k <= 128) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      s0 += a[aOff + p]! * b[bOff + p]!;
      s1 += a[aOff + p + 1]! * b[bOff + p + 1]!;
      s2 += a[aOff + p + 2]! * b[bOff + p + 2]!;
      s3 += a[aOff + p + 3]! * b[bOff + p + 3]!;
    }
    for (; p < k; p++) s0 += a[aOff + p]! * b[bOff + p]!;
    return s0 + s1 + (s2 + s3);
  }
  const half = (k >> 1) & ~3;
  return pairwiseDot(a, aOff, b, bOff, half) + pairwiseDot(a, aOff + half, b, bOff + half, k - half);
}

/** Inner dimensions up to this are summed by the kernels in one pass (every ordinary shape). */
const SPLIT_K = 1024;
/** The block of the inner dimension whose products are then added pairwise. */
const KB = 256;

/**
 * One product [m, k]·[k, n] (at the given offsets) with k cut into blocks of `KB`, the block
 * products combined as a balanced tree: C = A[:, lo:mid]·B[lo:mid] + A[:, mid:hi]·B[mid:hi], halves
 * at multiples of KB. A block of B rows (or of A, when stored transposed) is a contiguous slice; the
 * other operand's block is copied into scratch, one m×KB (or KB×n) copy per block.
 */
function blockedProduct(a: Float64Array, b: Float64Array, c: Float64Array, aOff: number, bOff: number, cOff: number, m: number, k: number, n: number, transA: boolean, transB: boolean): void {
  const aBlock = transA ? null : new Float64Array(m * KB);
  const bBlock = transB ? new Float64Array(n * KB) : null;
  const scratch: Float64Array[] = [];
  const leaf = (lo: number, hi: number, out: Float64Array): void => {
    const kb = hi - lo;
    if (!transA && !transB && (n === 1 || m < PACK_MIN_ROWS)) {
      // A·x and few rows of A: the kernels read A's block in place (row stride k), without a copy.
      if (n === 1) matVec(a, b, out, aOff + lo, bOff + lo, 0, m, kb, k);
      else streamRows(a, b, out, aOff + lo, bOff + lo * n, 0, m, kb, n, k);
      return;
    }
    let ab: Float64Array;
    if (aBlock === null) ab = a.subarray(aOff + lo * m, aOff + hi * m); // stored [k, m]: rows lo…hi
    else {
      for (let i = 0; i < m; i++) for (let p = 0; p < kb; p++) aBlock[i * kb + p] = a[aOff + i * k + lo + p]!;
      ab = aBlock.subarray(0, m * kb);
    }
    let bb: Float64Array;
    if (bBlock === null) bb = b.subarray(bOff + lo * n, bOff + hi * n);
    else {
      for (let j = 0; j < n; j++) for (let p = 0; p < kb; p++) bBlock[j * kb + p] = b[bOff + j * k + lo + p]!;
      bb = bBlock.subarray(0, n * kb);
    }
    directProduct(ab, bb, out, 1, m, kb, n, transA, transB);
  };
  const tree = (lo: number, hi: number, out: Float64Array, depth: number): void => {
    if (hi - lo <= KB) {
      leaf(lo, hi, out);
      return;
    }
    const mid = lo + Math.ceil((hi - lo) / (2 * KB)) * KB;
    tree(lo, mid, out, depth + 1);
    while (scratch.length <= depth) scratch.push(new Float64Array(m * n));
    const tmp = scratch[depth]!;
    tree(mid, hi, tmp, depth + 1);
    for (let i = 0; i < m * n; i++) out[i] += tmp[i]!;
  };
  tree(0, k, c.subarray(cOff, cOff + m * n), 0);
}

/** The matrices of `x` ([batch, rows, cols]) transposed into a new array ([batch, cols, rows]). */
function untranspose(x: Float64Array, batch: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(batch * rows * cols);
  for (let bi = 0; bi < batch; bi++) {
    const base = bi * rows * cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[base + j * rows + i] = x[base + i * cols + j]!;
    }
  }
  return out;
}

/**
 * Whether the WebAssembly kernel beats this file's for one [m, k]·[k, n] product, copies included
 * (measured with bench/matmul-check.ts): it needs every dimension at least 4 wide (it works on
 * 4 × 4 tiles) and enough work per copied element.
 */
function wasmPays(m: number, k: number, n: number): boolean {
  return m >= WASM_MIN_DIM && k >= WASM_MIN_DIM && n >= WASM_MIN_DIM && m * k * n >= WASM_MIN_WORK;
}
const WASM_MIN_DIM = 4;
const WASM_MIN_WORK = 512;

/** The plain-JavaScript kernel (a `MatmulKernel`); transposed operands are copied upright first. */
export function matmulJs(a: Float64Array, b: Float64Array, c: Float64Array, batch: number, m: number, k: number, n: number, transA = false, transB = false): void {
  if (m === 0 || n === 0) return;
  if (transA) a = untranspose(a, batch, k, m);
  if (transB) b = untranspose(b, batch, n, k);
  if (k === 0) {
    c.fill(0, 0, batch * m * n);
    return;
  }
  // The shape picks one path for the whole batch: one loop per path keeps each loop monomorphic.
  const aStep = m * k;
  const bStep = k * n;
  const cStep = m * n;
  if (n === 1) {
    for (let bi = 0; bi < batch; bi++) matVec(a, b, c, bi * aStep, bi * bStep, bi * cStep, m, k);
  } else if (m < PACK_MIN_ROWS) {
    for (let bi = 0; bi < batch; bi++) streamRows(a, b, c, bi * aStep, bi * bStep, bi * cStep, m, k, n);
  } else if (k < PACK_MIN_DEPTH || m * k * n < PACK_MIN_WORK) {
    for (let bi = 0; bi < batch; bi++) outerRows(a, b, c, bi * aStep, bi * bStep, bi * cStep, m, k, n);
  } else {
    for (let bi = 0; bi < batch; bi++) packedProduct(a, b, c, bi * aStep, bi * bStep, bi * cStep, m, k, n);
  }
}

/*
 * A note on remainders (the last rows or columns that do not fill a block). Each is handled by a
 * separate function that is called unconditionally and may do nothing. Were it an `if` inside the
 * long-running loop, the first large product (with no remainder) would leave a never-executed
 * branch in V8's on-stack-replaced code, which then deoptimises on every later call that takes it.
 */

/** C = A · B for one matrix, panel by panel: pack B[k0:k0+kc, j0:j0+nc], then sweep all rows of A. */
function packedProduct(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  aOff: number,
  bOff: number,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  // The tiles below accumulate across panels of k; zeroing first makes C's first touch a write.
  c.fill(0, cOff, cOff + m * n);
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    const strips = ((nc + NR - 1) / NR) | 0;
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0);
      packPanel(b, bOff + k0 * n + j0, n, kc, nc);
      let i = 0;
      for (; i + MR <= m; i += MR) {
        const aRow = aOff + i * k + k0;
        const cRow = cOff + i * n + j0;
        for (let s = 0; s < strips; s++) {
          tile3x4(a, c, aRow, k, cRow + s * NR, n, s * kc * NR, kc, Math.min(NR, nc - s * NR));
        }
      }
      leftoverRows(a, c, aOff + i * k + k0, k, cOff + i * n + j0, n, m - i, kc, nc);
    }
  }
}

/** The last `rows` < MR rows of a panel sweep, one row at a time. */
function leftoverRows(a: Float64Array, c: Float64Array, aRow: number, k: number, cRow: number, n: number, rows: number, kc: number, nc: number): void {
  const strips = ((nc + NR - 1) / NR) | 0;
  for (let i = 0; i < rows; i++, aRow += k, cRow += n) {
    for (let s = 0; s < strips; s++) tile1x4(a, c, aRow, cRow + s * NR, s * kc * NR, kc, Math.min(NR, nc - s * NR));
  }
}

/** Copies the kc × nc block of B starting at `start` (row stride `n`) into `panel`, in strips of NR columns. */
function packPanel(b: Float64Array, start: number, n: number, kc: number, nc: number): void {
  const fullStrips = (nc / NR) | 0;
  for (let s = 0; s < fullStrips; s++) {
    let dst = s * kc * NR;
    let src = start + s * NR;
    for (let p = 0; p < kc; p++, dst += NR, src += n) {
      panel[dst] = b[src]!;
      panel[dst + 1] = b[src + 1]!;
      panel[dst + 2] = b[src + 2]!;
      panel[dst + 3] = b[src + 3]!;
    }
  }
  packPartialStrip(b, start + fullStrips * NR, n, kc, fullStrips * kc * NR, nc - fullStrips * NR);
}

/**
 * The last strip of a panel, `rest` < NR columns wide, padded with zeros. The padded columns' sums
 * are computed but never stored, so a NaN or Inf in A cannot leak into C through them.
 */
function packPartialStrip(b: Float64Array, src: number, n: number, kc: number, dst: number, rest: number): void {
  if (rest === 0) return;
  panel.fill(0, dst, dst + kc * NR);
  for (let p = 0; p < kc; p++, dst += NR, src += n) {
    for (let r = 0; r < rest; r++) panel[dst + r] = b[src + r]!;
  }
}

/**
 * C[3 rows, `cols` ≤ 4 columns] += A[3 rows, kc] · (one packed strip of B). `aRow` indexes A's first
 * row (row stride `k`), `cAt` C's first element (row stride `n`), `bq` the strip in `panel`.
 */
function tile3x4(
  a: Float64Array,
  c: Float64Array,
  aRow: number,
  k: number,
  cAt: number,
  n: number,
  bq: number,
  kc: number,
  cols: number,
): void {
  const r0 = aRow;
  const r1 = r0 + k;
  const r2 = r1 + k;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  for (let p = 0; p < kc; p++, bq += NR) {
    const b0 = panel[bq]!;
    const b1 = panel[bq + 1]!;
    const b2 = panel[bq + 2]!;
    const b3 = panel[bq + 3]!;
    const x0 = a[r0 + p]!;
    c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
    const x1 = a[r1 + p]!;
    c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
    const x2 = a[r2 + p]!;
    c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
  }
  const q0 = cAt;
  const q1 = q0 + n;
  const q2 = q1 + n;
  if (cols === NR) {
    c[q0] += c00; c[q0 + 1] += c01; c[q0 + 2] += c02; c[q0 + 3] += c03;
    c[q1] += c10; c[q1 + 1] += c11; c[q1 + 2] += c12; c[q1 + 3] += c13;
    c[q2] += c20; c[q2 + 1] += c21; c[q2 + 2] += c22; c[q2 + 3] += c23;
    return;
  }
  c[q0] += c00; c[q1] += c10; c[q2] += c20;
  if (cols > 1) { c[q0 + 1] += c01; c[q1 + 1] += c11; c[q2 + 1] += c21; }
  if (cols > 2) { c[q0 + 2] += c02; c[q1 + 2] += c12; c[q2 + 2] += c22; }
}

/** C[1 row, `cols` ≤ 4 columns] += A[1 row, kc] · (one packed strip of B): the rows left over by `tile3x4`. */
function tile1x4(a: Float64Array, c: Float64Array, aRow: number, cAt: number, bq: number, kc: number, cols: number): void {
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  for (let p = 0; p < kc; p++, bq += NR) {
    const x = a[aRow + p]!;
    c0 += x * panel[bq]!;
    c1 += x * panel[bq + 1]!;
    c2 += x * panel[bq + 2]!;
    c3 += x * panel[bq + 3]!;
  }
  c[cAt] += c0;
  if (cols > 1) c[cAt + 1] += c1;
  if (cols > 2) c[cAt + 2] += c2;
  if (cols > 3) c[cAt + 3] += c3;
}

/**
 * C[m, 1] = A[m, k] · b[k] as dot products, four rows at a time so that each load of `b` serves
 * four independent sums (which also hides the latency of the additions).
 */
function matVec(a: Float64Array, b: Float64Array, c: Float64Array, aOff: number, bOff: number, cOff: number, m: number, k: number, lda = k): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = aOff + i * lda;
    const r1 = r0 + lda;
    const r2 = r1 + lda;
    const r3 = r2 + lda;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let p = 0; p < k; p++) {
      const x = b[bOff + p]!;
      s0 += a[r0 + p]! * x;
      s1 += a[r1 + p]! * x;
      s2 += a[r2 + p]! * x;
      s3 += a[r3 + p]! * x;
    }
    c[cOff + i] = s0;
    c[cOff + i + 1] = s1;
    c[cOff + i + 2] = s2;
    c[cOff + i + 3] = s3;
  }
  dotRows(a, b, c, aOff + i * lda, bOff, cOff + i, m - i, k, lda);
}

/** C[rows, 1] = A[rows, k] · b[k], one dot product per row: the rows `matVec` leaves over. */
function dotRows(a: Float64Array, b: Float64Array, c: Float64Array, aOff: number, bOff: number, cOff: number, rows: number, k: number, lda: number): void {
  for (let i = 0; i < rows; i++) {
    const r = aOff + i * lda;
    let s = 0;
    for (let p = 0; p < k; p++) s += a[r + p]! * b[bOff + p]!;
    c[cOff + i] = s;
  }
}

/**
 * C[m, n] = A[m, k] · B[k, n] for few rows of A (row stride `lda`): each row of C takes four rows of B per pass
 * (c[j] += x0·B[p,j] + … + x3·B[p+3,j]), so C is loaded and stored once per four multiply-adds.
 */
function streamRows(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  aOff: number,
  bOff: number,
  cOff: number,
  m: number,
  k: number,
  n: number,
  lda = k,
): void {
  for (let i = 0; i < m; i++) {
    const aRow = aOff + i * lda;
    const cRow = cOff + i * n;
    c.fill(0, cRow, cRow + n);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const x0 = a[aRow + p]!;
      const x1 = a[aRow + p + 1]!;
      const x2 = a[aRow + p + 2]!;
      const x3 = a[aRow + p + 3]!;
      const q0 = bOff + p * n;
      const q1 = q0 + n;
      const q2 = q1 + n;
      const q3 = q2 + n;
      for (let j = 0; j < n; j++) {
        c[cRow + j] += x0 * b[q0 + j]! + x1 * b[q1 + j]! + x2 * b[q2 + j]! + x3 * b[q3 + j]!;
      }
    }
    axpyRows(a, b, c, aRow + p, bOff + p * n, cRow, k - p, n);
  }
}

/** c[cRow + j] += Σ_t a[aAt + t]·b[bAt + t·n + j] over `count` < 4 rows of B: what `streamRows` leaves over. */
function axpyRows(a: Float64Array, b: Float64Array, c: Float64Array, aAt: number, bAt: number, cRow: number, count: number, n: number): void {
  for (let t = 0; t < count; t++, bAt += n) {
    const x = a[aAt + t]!;
    for (let j = 0; j < n; j++) c[cRow + j] += x * b[bAt + j]!;
  }
}

/**
 * C[m, n] = A[m, k] · B[k, n] as a sum of outer products, four rows of C at a time, for shallow
 * products (small k) and tiny matrices: each load of B serves four multiply-adds, and nothing is
 * packed. The first outer product is stored, the others added, so C is written before it is read.
 */
function outerRows(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  aOff: number,
  bOff: number,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const q0 = cOff + i * n;
    const q1 = q0 + n;
    const q2 = q1 + n;
    const q3 = q2 + n;
    const r0 = aOff + i * k;
    const x0 = a[r0]!;
    const x1 = a[r0 + k]!;
    const x2 = a[r0 + 2 * k]!;
    const x3 = a[r0 + 3 * k]!;
    for (let j = 0; j < n; j++) {
      const y = b[bOff + j]!;
      c[q0 + j] = x0 * y;
      c[q1 + j] = x1 * y;
      c[q2 + j] = x2 * y;
      c[q3 + j] = x3 * y;
    }
    for (let p = 1; p < k; p++) {
      const x0 = a[r0 + p]!;
      const x1 = a[r0 + k + p]!;
      const x2 = a[r0 + 2 * k + p]!;
      const x3 = a[r0 + 3 * k + p]!;
      const br = bOff + p * n;
      for (let j = 0; j < n; j++) {
        const y = b[br + j]!;
        c[q0 + j] += x0 * y;
        c[q1 + j] += x1 * y;
        c[q2 + j] += x2 * y;
        c[q3 + j] += x3 * y;
      }
    }
  }
  streamRows(a, b, c, aOff + i * k, bOff, cOff + i * n, m - i, k, n);
}
