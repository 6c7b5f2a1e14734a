/**
 * @file The tables by binade that tanh, sin and cos read: a row per 2⁻⁵ of each binade of |x|,
 * found from x's bits, at accurate points.
 */
import * as dd from "../double-double.ts";
import { bitsOf, ci, fromBits } from "./constants.ts";
import { get, set, ushr } from "./wat.ts";

/**
 * tanh, and sin and cos of |x| up to about π/2, read tables with a row per 2⁻⁵ of each binade of
 * |x| from ROW0_LIMIT on, row 0 below it: the row is |x|'s exponent and top 5 significand bits,
 * found with integer operations on x's bits (so that it needs no clamp of x first). A row holds 4
 * doubles; its point b (the row's middle, or near it) is chosen so that the function's value at b
 * is within 2⁻⁷ ulp of a double (`accuratePoint`), and the kernels evaluate f(b + r), r = |x| − b.
 */
const ROW_BITS = 5;
const ROW_SHIFT = 52 - ROW_BITS;
/** Below this |x| every lane takes row 0, whose b is 0. */
export const ROW0_LIMIT = 2 ** -5;
const ROW_BYTES = 32;
/** The top bits (exponent and ROW_BITS bits of significand) of |x| just below ROW0_LIMIT: subtracted, they leave the row. */
const ROW_BASE = Number(bitsOf(ROW0_LIMIT) >> BigInt(ROW_SHIFT)) - 1;
/** The row of |x| = v ≥ ROW0_LIMIT. */
export const rowOf = (v: number): number => Number(bitsOf(v) >> BigInt(ROW_SHIFT)) - ROW_BASE;
/** Row j ≥ 1's interval [lo, lo + 2·(centre − lo)) and its middle. */
export function rowSpan(j: number): { lo: number; centre: number } {
  const top = BigInt(j + ROW_BASE) << BigInt(ROW_SHIFT);
  return { lo: fromBits(top), centre: fromBits(top | (1n << BigInt(ROW_SHIFT - 1))) };
}

/** A two-lane constant whose 64 bits are these four 16-bit lanes (low first). */
const i16Lanes = (lanes: readonly number[]): string => ci(lanes.reduce((acc, l, i) => acc | (BigInt(l) << BigInt(16 * i)), 0n));
/** The first (`lane` 0) or second f64 lanes of a and b, as one vector. */
export const lanesOf = (lane: 0 | 1, a: string, b: string): string =>
  lane === 0 ? `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${a} ${b})` : `(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${a} ${b})`;

/**
 * Sets `u` so that its low 64 bits hold the byte offsets of both lanes' rows (at most `last`, the
 * row that NaN, ±∞ and larger |x| take): x's bits shifted, each lane's 16 bits of exponent and
 * significand (the sign above them) brought next to the other's, the base subtracted with unsigned
 * saturation (so that small |x| give row 0), capped (the sign's 16 bits capped at 0, which clears
 * them), times the row size.
 */
export const rowOffsets = (x: string, last: number): string[] => [
  set("u", ushr(x, ROW_SHIFT)),
  set("u", `(i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 ${get("u")} ${get("u")})`),
  set("u", `(i16x8.sub_sat_u ${get("u")} ${i16Lanes([ROW_BASE, 0, ROW_BASE, 0])})`),
  set("u", `(i32x4.shl (i16x8.min_u ${get("u")} ${i16Lanes([last, 0, last, 0])}) (i32.const ${Math.log2(ROW_BYTES)}))`),
];
/** The byte offset of lane `lane`'s row (after `rowOffsets`): the two sit in one 64-bit lane, moved to a general register once. */
const rowOffset = (lane: 0 | 1): string => {
  const both = `(i64.reinterpret_f64 (f64x2.extract_lane 0 ${get("u")}))`;
  return `(i32.wrap_i64 ${lane === 0 ? both : `(i64.shr_u ${both} (i64.const 32))`})`;
};
/** Each lane's row of the table at `table`: its first 16 bytes into `la`, `lb`, its last into `ha`, `hb`. */
export const loadRows = (table: number): string[] => [
  set("la", `(v128.load offset=${table} ${rowOffset(0)})`),
  set("lb", `(v128.load offset=${table} ${rowOffset(1)})`),
  set("ha", `(v128.load offset=${table + 16} ${rowOffset(0)})`),
  set("hb", `(v128.load offset=${table + 16} ${rowOffset(1)})`),
];

/** The bytes of a table of rows (4 doubles each) as a WAT string literal, checked to end before `end`. */
export function rowTableBytes(name: string, at: number, end: number, rows: readonly number[][]): string {
  if (at + rows.length * ROW_BYTES > end) throw new Error(`gen-simd-math: the ${name} table overlaps what follows it`);
  const buf = new DataView(new ArrayBuffer(rows.length * ROW_BYTES));
  rows.forEach((row, i) => row.forEach((v, k) => buf.setFloat64(i * ROW_BYTES + k * 8, v, true)));
  return [...new Uint8Array(buf.buffer)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
}

/** How far a double-double's value is from its leading double, in ulps of that double. */
export const residue = (v: dd.DD): number => Math.abs(v[1]) / dd.ulpOf(v[0]);
/** A table's leading values are within this many of their ulps of the function's exact values. */
export const ACCURATE = 2 ** -7;

/**
 * A point b near `centre` where f(b) is within ACCURATE ulp of a double (Gal's "accurate tables":
 * the table then needs no low part of f(b)), or undefined: candidates spread evenly (steps of the
 * golden ratio) over `window` about the centre, pre-selected by f's Taylor expansion
 * `near(d)` ≈ f(centre + d), confirmed by `f` itself.
 */
export function accuratePoint(centre: number, window: number, f: (b: number) => dd.DD, near: (d: number) => dd.DD): number | undefined {
  const step = dd.ulpOf(centre);
  for (let k = 1; k < 100000; k++) {
    const d = Math.round(((((k * (Math.sqrt(5) - 1)) / 2) % 1) - 0.5) * (window / step)) * step;
    if (residue(near(d)) <= ACCURATE && residue(f(centre + d)) <= ACCURATE) return centre + d;
  }
  return undefined;
}
