/** @file Dtypes, their storage, and NumPy's promotion rules for the dtypes we have. */

import { minBytes, recordAllocation, takePooled } from "./pool.ts";
import { fmtShape, ShapeError } from "./errors.ts";

/**
 * The element types of arrays: `float64` (the default), `float32`, `int32`, `bool`, and the complex
 * `complex128` (the default complex) and `complex64`.
 */
export type DType = "float64" | "float32" | "int32" | "bool" | "complex64" | "complex128";

/** The complex dtypes: each element is a (re, im) pair stored interleaved in a float array. */
export type ComplexDType = "complex64" | "complex128";

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64", "complex64", "complex128"];

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3, complex64: 4, complex128: 5 };

/**
 * Below this many bytes, uninitialised allocation is not worth it (Node carves buffers under 4 KB
 * out of a shared pool). From 16 KB it is: `Buffer.allocUnsafe` took 0.4–1.4 µs where a zeroed
 * `new Float64Array` took 1.7–4.4 µs at 16–64 KB (W7's [32, 128] arrays are 32 KB; issue #10).
 */
const UNINIT_MIN_BYTES = 1 << 14;
/** Node's `Buffer.allocUnsafe`, where it exists (it returns memory without zeroing it). */
const allocUnsafe = (globalThis as { Buffer?: { allocUnsafe(size: number): Uint8Array } }).Buffer?.allocUnsafe;

/** Bytes per element of each dtype's storage. */
const BYTES: Record<DType, number> = { float64: 8, float32: 4, int32: 4, bool: 1, complex64: 8, complex128: 16 };

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

/**
 * Allocates zeroed storage for `n` elements of `dtype`. A complex element takes two slots, its real
 * and imaginary parts interleaved (`re₀, im₀, re₁, im₁, …`), as NumPy and C99 lay them out. Large
 * arrays may come from the pool of dead buffers (zeroed), which is keyed by storage length.
 */
export function allocate(dtype: DType, n: number): TypedArray {
  // No element is wider than 16 bytes: the first test leaves small arrays one comparison.
  if (n * 16 >= minBytes && n * BYTES[dtype] >= minBytes) {
    const pooled = takePooled(dtype, n * slotsPerElement(dtype));
    if (pooled !== undefined) pooled.fill(0);
    const out = pooled ?? fresh(dtype, n);
    recordAllocation(out);
    return out;
  }
  return fresh(dtype, n);
}

function fresh(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "complex128":
      return new Float64Array(2 * n);
    case "complex64":
      return new Float32Array(2 * n);
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

/** Whether `d` is a real floating dtype (float32, float64); complex dtypes are not. */
export const isFloat = (d: DType): boolean => d === "float64" || d === "float32";

/** Whether `d` is a complex dtype. */
export const isComplex = (d: DType): d is ComplexDType => d === "complex128" || d === "complex64";

/** Whether `d` is float or complex (NumPy's `inexact`): the dtypes that carry derivatives. */
export const isInexact = (d: DType): boolean => isFloat(d) || isComplex(d);

/** Storage slots per element: 2 for complex (re, im), 1 otherwise. */
export const slotsPerElement = (d: DType): 1 | 2 => (isComplex(d) ? 2 : 1);

/** The dtype of the real and imaginary parts: complex128 → float64, complex64 → float32; real dtypes are their own. */
export function realDtype(d: DType): DType {
  return d === "complex128" ? "float64" : d === "complex64" ? "float32" : d;
}

/** The complex dtype whose parts have dtype `d`: float32 → complex64, anything else → complex128 (as NumPy). */
export function complexDtype(d: DType): ComplexDType {
  return d === "float32" || d === "complex64" ? "complex64" : "complex128";
}

/**
 * The dtype two array operands promote to, as NumPy: bool < int32 < float32 < float64, and
 * complex64 < complex128 above them; int32 with float32 gives float64, and a complex operand with a
 * real one gives the complex dtype wide enough for both (float64 + complex64 → complex128,
 * float32 + complex64 → complex64, int32 + complex64 → complex128).
 */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (isComplex(a) || isComplex(b)) {
    const real = promote(realDtype(a), realDtype(b));
    return complexDtype(real === "float32" ? "float32" : "float64");
  }
  if ((a === "int32" && b === "float32") || (a === "float32" && b === "int32")) return "float64";
  return rank[a] >= rank[b] ? a : b;
}

/**
 * The dtype of an array operand combined with a JS number, which is "weak" as Python scalars are
 * in NumPy 2 and JAX: it takes the array's dtype unless it needs a wider kind.
 */
export function promoteWeak(arrayDtype: DType, value: number | boolean): DType {
  if (typeof value === "boolean") return arrayDtype;
  if (isInexact(arrayDtype)) return arrayDtype;
  if (Number.isInteger(value)) return arrayDtype === "bool" ? "int32" : arrayDtype;
  return "float64";
}

/** Sets every element of `data` (storage of `dtype`) to the real number `v` (a complex element to v + 0i). */
export function fillReal(data: TypedArray, dtype: DType, v: number): void {
  if (!isComplex(dtype)) data.fill(v);
  else for (let i = 0; i < data.length; i += 2) data[i] = v;
}

/** The dtype a transformation's tangents and cotangents have for a primal of this dtype (a complex primal has complex tangents). */
export const tangentDtype = (d: DType): DType | null => (isInexact(d) ? d : null);

/**
 * Storage for `n` elements of `dtype`, for `op`; a `ShapeError` naming `op` and the size when the
 * engine cannot allocate it (the shape itself was already checked against `MAX_SIZE`).
 */
export function allocateFor(op: string, dtype: DType, n: number, shape: readonly number[]): TypedArray {
  try {
    return allocate(dtype, n);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ShapeError(`${op}: cannot allocate an array of shape ${fmtShape(shape)} (${n} ${dtype} elements): ${e.message}`);
  }
}
