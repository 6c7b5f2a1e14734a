/** @file Typed error classes: each message names the operation, the argument and the shapes. */

/** Shapes that do not fit together (broadcasting, matmul, reshape, concatenate, …). */
export class ShapeError extends Error {
  override name = "ShapeError";
}

/** An axis outside `[-ndim, ndim)`, or repeated. */
export class AxisError extends RangeError {
  override name = "AxisError";
}

/** An index outside the array's extent. */
export class IndexError extends RangeError {
  override name = "IndexError";
}

/** A traced value used where a concrete JS value is needed and cannot be had. */
export class TracerConversionError extends Error {
  override name = "TracerConversionError";
}

/** `vmap` arguments whose batch axes disagree in size. */
export class BatchSizeError extends Error {
  override name = "BatchSizeError";
}

/** A value outside a function's domain where NumPy would raise (linalg on a singular matrix, …). */
export class DomainError extends RangeError {
  override name = "DomainError";
}

/**
 * Formats a shape the way NumPy prints it: `(2, 3)`, `()`, `(5,)`.
 * @example
 * fmtShape([2, 3]) === "(2, 3)" && fmtShape([5]) === "(5,)"; // true
 */
export const fmtShape = (shape: readonly number[]): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;

/** A NaN produced while `config.update("debugNans", true)` is on: names the primitive and the calling line. */
export class FloatingPointError extends Error {
  override name = "FloatingPointError";
}
