/** @file Dtypes, their storage, and NumPy's promotion rules for the dtypes we have. */

import { minBytes, recordAllocation, takePooled } from "./pool.ts";

/** The element types of arrays: `float64` (the default), `float32`, `int32` and `bool`. */
export type DType = "float64" | "float32" | "int32" | "bool";

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Below this many bytes, uninitialised allocation is not worth it (Node pools small buffers). */
const UNINIT_MIN_BYTES = 1 << 16;
/** Node's `Buffer.allocUnsafe`, where it exists (it returns memory without zeroing it). */
const allocUnsafe = (globalThis as { Buffer?: { allocUnsafe(size: number): Uint8Array } }).Buffer?.allocUnsafe;

/** Bytes per element of each dtype's storage. */
const BYTES: Record<DType, number> = { float64: 8, float32: 4, int32: 4, bool: 1 };

/**
 * A float64 array of `n` elements whose contents are arbitrary, for a kernel that writes every
 * element before reading any: zero-filling a large output first would cost a pass over memory
 * (a 12.8 MB per-example gradient: ≈ 1 ms). Small arrays, and platforms without Node's `Buffer`,
 * get an ordinary zeroed array. Large ones may come from the pool of dead buffers (`pool.ts`).
 */
export function allocateUninitialized(n: number): Float64Array {
  const bytes = n * 8;
  if (bytes < minBytes) return new Float64Array(n);
  const pooled = takePooled("float64", n) as Float64Array | undefined;
  const out = pooled ?? freshUninitialized(n, bytes);
  recordAllocation(out);
  return out;
}

function freshUninitialized(n: number, bytes: number): Float64Array {
  if (allocUnsafe === undefined || bytes < UNINIT_MIN_BYTES) return new Float64Array(n);
  // Sizes above Node's pool threshold get a buffer of their own, starting at offset 0 (8-byte aligned).
  const buf = allocUnsafe(bytes);
  return new Float64Array(buf.buffer, buf.byteOffset, n);
}

/** Allocates zeroed storage for `n` elements of `dtype` (large arrays may come from the pool, zeroed). */
export function allocate(dtype: DType, n: number): TypedArray {
  // No element is wider than 8 bytes: the first test leaves small arrays one comparison.
  if (n * 8 >= minBytes && n * BYTES[dtype] >= minBytes) {
    const pooled = takePooled(dtype, n);
    if (pooled !== undefined) pooled.fill(0);
    const out = pooled ?? fresh(dtype, n);
    recordAllocation(out);
    return out;
  }
  return fresh(dtype, n);
}

function fresh(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "float64":
      return new Float64Array(n);
    case "float32":
      return new Float32Array(n);
    case "int32":
      return new Int32Array(n);
    case "bool":
      return new Uint8Array(n);
  }
}

export const isFloat = (d: DType): boolean => d === "float64" || d === "float32";

/** The dtype two array operands promote to (NumPy: bool < int32 < float32 < float64). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  // int32 with float32 gives float64 in NumPy.
  if ((a === "int32" && b === "float32") || (a === "float32" && b === "int32")) return "float64";
  return rank[a] >= rank[b] ? a : b;
}

/**
 * The dtype of an array operand combined with a JS number, which is "weak" as Python scalars are
 * in NumPy 2 and JAX: it takes the array's dtype unless it needs a wider kind.
 */
export function promoteWeak(arrayDtype: DType, value: number | boolean): DType {
  if (typeof value === "boolean") return arrayDtype;
  if (isFloat(arrayDtype)) return arrayDtype;
  if (Number.isInteger(value)) return arrayDtype === "bool" ? "int32" : arrayDtype;
  return "float64";
}

/** The dtype a transformation's tangents and cotangents have for a primal of this dtype. */
export const tangentDtype = (d: DType): DType | null => (isFloat(d) ? d : null);
