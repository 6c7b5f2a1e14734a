/**
 * @file Arguments that must be plain JS numbers — shapes, sizes, axes, counts, offsets — reject a
 * traced value with a `TracerConversionError` that names the function and the argument, instead of
 * letting JS coerce it (which would read a primal and drop the derivative, or fail per batch member).
 */
import { Tracer } from "../core/trace.ts";
import { fmtShape, TracerConversionError } from "../core/errors.ts";

/** What a static argument decides, for the error message: "a shape", "an axis", "a count"… */
export type StaticRole = "a shape" | "a size" | "an axis" | "an index" | "a count" | "an offset" | "a number";

/** The error for traced `value` given as argument `arg` of `op`, where a JS number is needed. */
export function staticArgError(op: string, arg: string, value: Tracer, role: StaticRole): TracerConversionError {
  return new TracerConversionError(
    `${op}: ${arg} is a traced value (${value.dtype} array of shape ${fmtShape(value.shape)}, under ${value.trace.transformName}), ` +
      `but it is used as ${role}, which must be a concrete JS number: ` +
      (role === "a number" ? `${op} reads it as a JS number, so it cannot be traced. ` : "the result's shape or layout cannot depend on a traced value. ") +
      "Compute it outside the transformation (or make it a static argument of jit); under grad/jvp, x.item() reads the concrete value.",
  );
}

/**
 * Throws unless `value` — a number, or a list of numbers (one level, or two for pairs such as
 * padding widths) — holds no traced value. Cheap on the eager path: one `instanceof` per entry.
 */
export function requireStatic(op: string, arg: string, value: unknown, role: StaticRole): void {
  if (value instanceof Tracer) throw staticArgError(op, arg, value, role);
  if (!Array.isArray(value)) return;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (v instanceof Tracer) throw staticArgError(op, `${arg}[${i}]`, v, role);
    if (Array.isArray(v)) requireStatic(op, `${arg}[${i}]`, v, role);
  }
}
