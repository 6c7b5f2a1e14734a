/**
 * @file Arguments that must be plain JS numbers — shapes, sizes, axes, counts, offsets — reject a
 * traced value with a `TracerConversionError` that names the function and the argument, instead of
 * letting JS coerce it (which would read a primal and drop the derivative, or fail per batch member).
 * The check and its message are the option parsers' (`core/parse.ts`), so both say the same.
 */
import { rejectTraced } from "../core/parse.ts";

/** What a static argument decides, for the error message: "a shape", "an axis", "a count"… */
export type StaticRole = "a shape" | "a size" | "an axis" | "an index" | "a count" | "an offset" | "a number";

/** Throws unless `value` — a number, or nested lists of numbers — holds no traced value. */
export const requireStatic = (op: string, arg: string, value: unknown, role: StaticRole): void => rejectTraced(op, arg, value, role);
