/** @file Dtypes, their storage, and NumPy's promotion rules for the dtypes we have. */

export type DType = "float64" | "float32" | "int32" | "bool";

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Allocates zeroed storage for `n` elements of `dtype`. */
export function allocate(dtype: DType, n: number): TypedArray {
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
