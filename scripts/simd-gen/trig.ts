/**
 * @file The sin and cos kernels: the polynomial of x, the table body, and the short or four-part
 * reductions with per-lane coefficients.
 */
import * as dd from "../double-double.ts";
import { CONST_TABLE, LOG_N, LOG_TABLE, SIN_TABLE, TRIG_TABLE } from "./layout.ts";
import { c, ci, SHIFT, truncateBits } from "./constants.ts";
import {
  add, and, fabs, fneg, get, horner, iadd, ishl, le, leadThenEstrin, mul, or, powersOf, select, set, SIGN, sub, twoSum,
  xor,
} from "./wat.ts";
import { fitError, fitEven } from "./fit.ts";
import { accuratePoint, lanesOf, loadRows, ROW0_LIMIT, rowOf, rowOffsets, rowSpan } from "./tables.ts";
import { keepZero } from "./exp.ts";

/** |x| beyond this goes to the caller's scalar fallback (k = round(x·2/π) stays below 2²⁰). */
export const TRIG_LIMIT = 1.6e6;
/**
 * π/2 as `count` doubles summing to it: all but the last truncated to `bits` significant bits (so
 * k times them is exact for small k), each the rounded rest of π/2 after the ones before it.
 */
function splitPiOver2(count: number, bits: number): number[] {
  let rest = dd.PI_FIXED >> 1n;
  const parts: number[] = [];
  for (let i = 0; i < count; i++) {
    const d = dd.bigToDouble(rest, 1600n);
    const part = i < count - 1 ? truncateBits(d, bits) : d;
    parts.push(part);
    rest -= dd.doubleToFixed(part, 1600n);
  }
  return parts;
}
/** π/2 in four parts, the first three of 32 bits (k · them is exact for k < 2²¹). */
const PIO2: number[] = splitPiOver2(4, 32);
/** Up to this |x| (both lanes of a vector) k ≤ 255: the short reduction (`trigReduceNear`). */
export const TRIG_NEAR = 400;
/** π/2 in three parts, the first two of 45 bits (k · them is exact for |k| < 2⁸), then a double. */
const PIO2_NEAR: number[] = splitPiOver2(3, 45);
/** The widest |r| of a reduction: π/4 and a little (k rounds x·2/π, itself rounded). */
const TRIG_R_MAX = 0.7854;

/** sin r − r = r·z·P(z) (so that z·P(z) = sin r / r − 1). */
const sinTarget = (a: number): dd.DD => dd.sub(dd.div(dd.sinDD(a), [a, 0]), [1, 0]);
/** cos r − 1 + z/2 = z²·Q(z). */
const cosTarget = (_a: number, z: dd.DD): dd.DD => dd.add(dd.sub(dd.cosDD(_a), [1, 0]), dd.mul(z, [0.5, 0]));

/**
 * The 7 coefficients of P with sin r ≈ r + r·z·P(z) and the 6 of Q with cos r ≈ 1 − z/2 + z²·Q(z)
 * on |r| ≤ TRIG_R_MAX (least-squares fits, in place of 9-term Taylor polynomials). The generator
 * refuses an error above 2⁻⁶⁰ relative to sin r or cos r (about 0.01 ulp); the fits measure
 * 2⁻⁶²·⁷ and 2⁻⁶³·⁸ (6 terms for sin would be 2⁻⁵⁷·⁷).
 */
const [SIN_POLY, COS_POLY] = (() => {
  const zMax = TRIG_R_MAX * TRIG_R_MAX;
  const sin = fitEven(7, 1, zMax, sinTarget);
  const cos = fitEven(6, 2, zMax, cosTarget);
  // sin: r·(z·P − (sin r/r − 1)) relative to sin r, i.e. (z·P − …)·r/sin r ≤ 1.12·(…).
  const es = fitError(sin, 1, TRIG_R_MAX, sinTarget, () => 1 / 1.12);
  const ec = fitError(cos, 2, TRIG_R_MAX, cosTarget, (a) => Math.cos(a));
  if (es > 2 ** -60 || ec > 2 ** -60) throw new Error(`gen-simd-math: the sin/cos polynomials' errors ${es}, ${ec} exceed 2^-60`);
  return [sin, cos];
})();

/**
 * sin x ≈ x + (x·v)·(−P(−v)) with v = 0 − z (z = x², z2 = z², z4 = z⁴ set): the same numbers as
 * x + (x·z)·P(z), negated twice (rounding to nearest is symmetric), but v is +0 where z is, so
 * the correction is a zero of x's sign and ±0 keep theirs without `keepZero`.
 */
const sinOf = (x: string): string[] => [
  set("t", sub(c(0), get("z"))),
  set("y", add(x, mul(mul(x, get("t")), leadThenEstrin(get("t"), SIN_POLY.map((p, k) => (k % 2 === 0 ? -p : p)), ["z2", "z4"])))),
];
/** cos x ≈ w + (((1 − w) − z/2) + z²·Q(z)) with w = 1 − z/2 (uses `t`, `h`). */
const cosOf = [
  set("t", mul(get("z"), c(0.5))),
  set("h", sub(c(1), get("t"))),
  set("y", add(get("h"), add(sub(sub(c(1), get("h")), get("t")), mul(get("z2"), leadThenEstrin(get("z"), COS_POLY, ["z2", "z4"]))))),
];

/** k = round(x·2/π) as a double (`kd`) and in the low bits of `ki`. */
const trigQuadrant = [
  set("kd", add(mul(get("x"), c(2 / Math.PI)), c(SHIFT))),
  set("ki", get("kd")),
  set("kd", sub(get("kd"), c(SHIFT))),
];

/**
 * x − k·π/2 as r + rl for any |x| ≤ TRIG_LIMIT, from the four-part π/2, every step exact by
 * TwoSum (so r keeps full relative accuracy even next to a multiple of π/2).
 */
const trigReduceFar = [
  ...trigQuadrant,
  set("t", sub(get("x"), mul(get("kd"), c(PIO2[0]!)))),
  ...twoSum("h", "l", get("t"), fneg(mul(get("kd"), c(PIO2[1]!)))),
  ...twoSum("h2", "l2", get("h"), fneg(mul(get("kd"), c(PIO2[2]!)))),
  set("l", sub(add(get("l"), get("l2")), mul(get("kd"), c(PIO2[3]!)))),
  set("r", add(get("h2"), get("l"))),
  set("rl", add(sub(get("h2"), get("r")), get("l"))),
];

/**
 * x − k·π/2 as r + rl for |x| ≤ TRIG_NEAR (|k| ≤ 255): t = x − k·C₁ is exact (k·C₁ has 53 bits
 * and lies within a factor 2 of x: Sterbenz), t − k·C₂ by TwoSum (k·C₂ exact too), then k·C₃ into
 * the low part, whose rounding (below 2⁻¹³⁴) is the only error: far below 2⁻⁵³·|r| even for the
 * doubles nearest a multiple of π/2 (the edge test takes them). rl is not renormalised: |rl| is at
 * most ulp(r)/2 and 2⁻⁸¹, tiny next to r, which is all the first-order correction needs.
 */
const trigReduceNear = [
  ...trigQuadrant,
  set("t", sub(get("x"), mul(get("kd"), c(PIO2_NEAR[0]!)))),
  ...twoSum("r", "rl", get("t"), fneg(mul(get("kd"), c(PIO2_NEAR[1]!)))),
  set("rl", sub(get("rl"), mul(get("kd"), c(PIO2_NEAR[2]!)))),
];

/** The bytes of a row of `TRIG_TABLE` (its layout in `layout.ts`). */
const TRIG_ROW = 128;
/** The rows of `TRIG_TABLE`, as doubles (lane by lane). */
function trigTable(): number[] {
  const out: number[] = [];
  for (let m = 0; m < 4; m++) {
    for (let k = 0; k < TRIG_ROW / 16; k++) for (let lane = 0; lane < 2; lane++) out.push(((m >> lane) & 1 ? COS_POLY[k] : SIN_POLY[k]) ?? 0);
  }
  return out;
}
/** The bytes of `TRIG_TABLE` as a WAT string literal. */
export function trigTableBytes(): string {
  if (TRIG_TABLE < LOG_TABLE + LOG_N * 32 || TRIG_TABLE + 4 * TRIG_ROW > CONST_TABLE) throw new Error("gen-simd-math: the trig table overlaps its neighbours");
  const rows = trigTable();
  const buf = new DataView(new ArrayBuffer(rows.length * 8));
  rows.forEach((v, i) => buf.setFloat64(i * 8, v, true));
  return [...new Uint8Array(buf.buffer)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
}

/**
 * After a reduction: sin or cos of r + rl as the quadrant (k + offset) mod 4 asks, lane by lane,
 * with one polynomial whose coefficients are the lane's (a row of `TRIG_TABLE`, chosen by the
 * mask `m` of the lanes taking cos through `i64x2.bitmask`): y = A + (C + B·F(z)) with
 *   sin: A = r, B = r·z, F = P, C = rl·(1 − z/2)               (sin(r + rl) to first order in rl)
 *   cos: A = w = 1 − z/2, B = z², F = Q, C = ((1 − w) − z/2) − r·rl   (w's rounding error back)
 * then the sign of the quadrant.
 */
const trigFinish = (offset: number): string[] => {
  const slot = (k: number): string => `(v128.load offset=${TRIG_TABLE + 16 * k} (local.get $row))`;
  const lanes = Array.from({ length: SIN_POLY.length }, (_, k) => slot(k));
  return [
    set("ki", offset === 0 ? get("ki") : iadd(get("ki"), ci(BigInt(offset)))),
    set("m", `(i64x2.eq ${and(get("ki"), ci(1n))} ${ci(1n)})`),
    `(local.set $row (i32.shl (i64x2.bitmask ${get("m")}) (i32.const 7)))`,
    set("z", mul(get("r"), get("r"))),
    ...powersOf(get("z"), ["z2", "z4"]),
    set("t", mul(get("z"), c(0.5))),
    set("h", sub(c(1), get("t"))),
    set("cterm", select(sub(sub(sub(c(1), get("h")), get("t")), mul(get("r"), get("rl"))), sub(get("rl"), mul(get("t"), get("rl"))), get("m"))),
    set("bterm", select(get("z2"), mul(get("r"), get("z")), get("m"))),
    set("y", add(select(get("h"), get("r"), get("m")), add(get("cterm"), mul(get("bterm"), leadThenEstrin(get("z"), lanes, ["z2", "z4"]))))),
    set("y", xor(get("y"), and(ishl(get("ki"), 62), SIGN))),
    ...(offset === 0 ? [keepZero] : []),
  ];
};

/** Up to this |x| (both lanes of a vector) no reduction and no table: the polynomial of x. */
const TRIG_SMALL = truncateBits(Math.PI / 4, 40);
/** Up to this |x| (both lanes of a vector) sin reads its table, no reduction. */
export const SIN_TABLE_LIMIT = 1.5;
/** Up to this |x| (both lanes) cos reads the table (beyond, cos x < 0.36 and δ below would weigh more). */
export const COS_TABLE_LIMIT = 1.2;
/** The last row of the table: that of SIN_TABLE_LIMIT. */
const SIN_LAST = rowOf(SIN_TABLE_LIMIT);

/**
 * The rows of `SIN_TABLE` ([sin b, cos b, its low part, b]): row 0 (|x| < ROW0_LIMIT) b = 0, then
 * one per 2⁻⁵ of each binade up to SIN_TABLE_LIMIT's, b within a 2⁻³² part of the middle where sin b
 * is within 2⁻⁷ ulp of a double (sin(c + d) ≈ S + C·d − S·d²/2), cos b as a double-double.
 */
export function sinTable(): number[][] {
  const rows: number[][] = [[0, 1, 0, 0]];
  for (let j = 1; j <= SIN_LAST; j++) {
    const { centre } = rowSpan(j);
    const s = dd.sinDD(centre);
    const co = dd.cosDD(centre);
    const near = (d: number): dd.DD => dd.sub(dd.add(s, dd.mul(co, [d, 0])), dd.mul(s, [(d * d) / 2, 0]));
    const b = accuratePoint(centre, Math.max(dd.ulpOf(centre) * 2 ** 20, (2 ** 9 * dd.ulpOf(s[0])) / co[0]), dd.sinDD, near);
    if (b === undefined || Math.abs(b - centre) > centre * 2 ** -30) throw new Error(`gen-simd-math: no accurate sin point near ${centre}`);
    const cb = dd.cosDD(b);
    rows.push([dd.sinDD(b)[0], cb[0], cb[1], b]);
  }
  return rows;
}

/** sin r − r = r·z·P(z) (so that z·P(z) = sin r / r − 1): 3 coefficients on |r| < ROW0_LIMIT. */
const SIN_SERIES = fitEven(3, 1, ROW0_LIMIT * ROW0_LIMIT, sinTarget);
/** cos r − 1 = z·Q(z): 4 coefficients on |r| < ROW0_LIMIT. */
const COS_SERIES = fitEven(4, 1, ROW0_LIMIT * ROW0_LIMIT, (a) => dd.sub(dd.cosDD(a), [1, 0]));
{
  // Relative to sin r (r/sin r < 1.0002 there), resp. absolute (cos r − 1 is added to 1 in effect).
  const es = fitError(SIN_SERIES, 1, ROW0_LIMIT, sinTarget, () => 1 / 1.0002);
  const ec = fitError(COS_SERIES, 1, ROW0_LIMIT, (a) => dd.sub(dd.cosDD(a), [1, 0]), () => 1);
  if (es > 2 ** -62 || ec > 2 ** -62) throw new Error(`gen-simd-math: the table series' errors ${es}, ${ec} exceed 2^-62`);
}

/**
 * sin (offset 0) or cos (offset 1) of |x| ≤ SIN_TABLE_LIMIT, resp. COS_TABLE_LIMIT, from the row of
 * |x| (`rowOffsets`): S = sin b (within 2⁻⁷ ulp), C = cos b (+ its low part Cl), r = |x| − b (exact,
 * Sterbenz; |r| ≤ 2⁻⁶·b, or r = |x| < 2⁻⁵ in row 0), s = sin r = r + (r·z)·P(z), m = cos r − 1 = z·Q(z):
 *
 *   sin |x| = S + (C·s + S·m),   cos x = C + (Cl + (C·m − S·s)),
 *
 * sin's sign put back (±0 too). Error: in row 0, sin is s rounded once (its correction below
 * 2⁻¹⁰·r): 0.51 ulp; cos is 1 + (m) with m ≤ 2⁻¹¹: 0.5 ulp. Elsewhere the correction δ (in
 * parentheses) is below 2⁻⁶·b in size, at most 0.025 of sin |x| (|x| ≤ 1.5: sin |x| ≥ 0.66·|x|) and
 * 0.052 of cos x (|x| ≤ 1.2: cos x ≥ 0.36), and carries about 5 roundings of its size: 0.13 resp.
 * 0.26 ulp; S's distance to sin b 2⁻⁷ ulp, the final rounding ½: at most 0.64 ulp (sin), 0.77 (cos).
 */
const trigTableBody = (offset: number): string[] => [
  ...rowOffsets(get("x"), SIN_LAST),
  set("a", fabs(get("x"))),
  ...loadRows(SIN_TABLE),
  set("sb", lanesOf(0, get("la"), get("lb"))),
  set("cb", lanesOf(1, get("la"), get("lb"))),
  set("r", sub(get("a"), lanesOf(1, get("ha"), get("hb")))),
  set("z", mul(get("r"), get("r"))),
  set("sr", add(get("r"), mul(mul(get("r"), get("z")), horner(get("z"), SIN_SERIES)))),
  set("cm", mul(get("z"), horner(get("z"), COS_SERIES))),
  offset === 0
    ? set("y", or(add(get("sb"), add(mul(get("cb"), get("sr")), mul(get("sb"), get("cm")))), and(get("x"), SIGN)))
    : set("y", add(get("cb"), add(lanesOf(0, get("ha"), get("hb")), sub(mul(get("cb"), get("cm")), mul(get("sb"), get("sr")))))),
];

/** sin (offset 0) or cos (offset 1) of |x| ≤ TRIG_SMALL: the one polynomial, no reduction. */
const trigSmall = (offset: number): string[] => [
  set("z", mul(get("x"), get("x"))),
  ...powersOf(get("z"), ["z2", "z4"]),
  ...(offset === 0 ? sinOf(get("x")) : cosOf),
];

const TRIG_LOCALS = ["x", "y", "t", "kd", "ki", "h", "l", "h2", "l2", "r", "rl", "z", "z2", "z4", "cterm", "bterm", "m", "far", "bb", "u", "a", "la", "lb", "ha", "hb", "sb", "cb", "sr", "cm"];

/**
 * sin (offset 0) or cos (offset 1) over `n` doubles at `p`, a vector a step by one of three bodies
 * chosen by its largest |x|: ≤ SIN_TABLE_LIMIT (sin) or COS_TABLE_LIMIT (cos), the table and no
 * reduction (`trigTableBody`); ≤ TRIG_NEAR, the short reduction; else the four-part one (NaN too:
 * the tests are written to let it through); after a reduction, one polynomial with each lane's
 * coefficients (`trigFinish`). Returns 1 when some lane had |x| > TRIG_LIMIT or was not finite, for
 * the caller's fallback. One vector a step rather than two (measured: two interleaved copies of
 * the reductions spill as many registers as they save latency);
 * constants are read from the pool at each use (V8 keeps the repeated loads in registers anyway).
 */
export function trigKernel(name: string, offset: number): string {
  // A lane beyond, or NaN (not both lanes within): the bitmask test compiles shorter than
  // any_true of the negation, and measured faster where the branch is predictable (the near/far
  // test), but slower where it is not (the small test on arguments spread over [−1.1, 1.1]).
  const outside = (limit: number): string => `(v128.any_true (v128.not ${le(fabs(get("x")), c(limit))}))`;
  const outsideMask = (limit: number): string => `(i32.ne (i64x2.bitmask ${le(fabs(get("x")), c(limit))}) (i32.const 3))`;
  const farFlag = set("far", or(get("far"), `(v128.not ${le(fabs(get("x")), c(TRIG_LIMIT))})`));
  const body = (lines: string[]): string => lines.join("\n                ");
  return `
  (func $${name} (export "${name}") (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $row i32) ${TRIG_LOCALS.map((l) => `(local $${l} v128)`).join(" ")}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (if ${outside(TRIG_SMALL)}
          (then
            (if ${outside(offset === 0 ? SIN_TABLE_LIMIT : COS_TABLE_LIMIT)}
              (then
                (if ${outsideMask(TRIG_NEAR)}
                  (then
                    ${body([farFlag, ...trigReduceFar, ...trigFinish(offset)])})
                  (else
                    ${body([...trigReduceNear, ...trigFinish(offset)])})))
              (else
                ${body(trigTableBody(offset))})))
          (else
                ${body(trigSmall(offset))}))
        (v128.store (local.get $p) (local.get $y))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (v128.any_true (local.get $far)))`;
}
