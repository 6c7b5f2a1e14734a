/**
 * @file The log and log1p kernels (fdlibm's arrangement on f64x2), with the exponent split and
 * atanh series that pow shares.
 */
import * as dd from "../double-double.ts";
import { bitsOf, c, ci, LN2_HI, LN2_LO, SHIFT, SHIFT_BITS } from "./constants.ts";
import {
  add, and, andnot, div, feq, ge, get, gt, iadd, inPlaceTwo, ishl, isub, leadThenEstrin, lt, mul, powersOf, select, set,
  sub, ushr,
} from "./wat.ts";
import { keepZero } from "./exp.ts";

/** Bits of √½: subtracting them from a double's bits leaves its exponent e with m = x/2ᵉ in [√½, √2). */
export const SQRT_HALF_BITS = bitsOf(Math.SQRT1_2);
/** Taylor coefficients 2/3, 2/5, … 2/25 of (2 atanh s − 2s)/s³ in z = s². */
export const ATANH_TAYLOR = Array.from({ length: 12 }, (_, k) => dd.div([2, 0], [2 * k + 3, 0])[0]);
const LOG_LOCALS = ["ix", "e", "dk", "f", "s", "z", "hf", "w2", "w4", "w8"];

/** Added to a double's bits, leaves e + 1023 in the top 12 (never negative, so a logical shift gets it). */
export const LOG_BIAS = (1023n << 52n) - SQRT_HALF_BITS;
export const BIAS_BITS = 1023n << 52n;

/** Splits the positive normal double u into e + 1023 (integer lanes `e`) and f = m − 1 with m = u/2ᵉ in [√½, √2). */
function logSplit(u: string): string[] {
  return [
    set("ix", u),
    set("e", ushr(iadd(get("ix"), ci(LOG_BIAS)), 52)),
    set("f", sub(iadd(isub(get("ix"), ishl(get("e"), 52)), ci(BIAS_BITS)), c(1))),
  ];
}

/** With `f`, `dk` and the small correction `corr`: e·ln2 + log(1 + f) + corr, as fdlibm arranges it. */
function logFinish(corr: string): string {
  return sub(
    mul(get("dk"), c(LN2_HI)),
    sub(sub(get("hf"), add(mul(get("s"), add(get("hf"), get("z"))), add(mul(get("dk"), c(LN2_LO)), corr))), get("f")),
  );
}

/**
 * s = f/(2 + f), hf = f²/2, and z (reused) = R(s²) = s²·(2/3 + 2s²/5 + …) (2/3 added last, the
 * rest by Estrin's scheme): log(1 + f) = f − (hf − s·(hf + R)).
 */
const logSeries = [
  set("s", div(get("f"), add(c(2), get("f")))),
  set("z", mul(get("s"), get("s"))),
  ...powersOf(get("z"), ["w2", "w4", "w8"]),
  set("z", mul(get("z"), leadThenEstrin(get("z"), ATANH_TAYLOR, ["w2", "w4", "w8"]))),
  set("hf", mul(mul(c(0.5), get("f")), get("f"))),
];

/** dk = e as doubles, from e + 1023 (plus the bits of 1.5·2⁵², minus 1.5·2⁵² + 1023). */
export const eToDouble = set("dk", sub(iadd(get("e"), ci(SHIFT_BITS)), c(SHIFT + 1023)));

export const logKernel = inPlaceTwo("log", ["x", "y", "t", ...LOG_LOCALS], [
  // Subnormals: scaled by 2⁵⁴ first, the exponent corrected after.
  set("t", lt(get("x"), c(2 ** -1022))),
  ...logSplit(select(mul(get("x"), c(2 ** 54)), get("x"), get("t"))),
  set("e", iadd(get("e"), and(get("t"), ci(-54n)))),
  eToDouble,
  ...logSeries,
  set("y", logFinish(c(0))),
  // x ≤ 0, +∞, NaN: log(±0) = −∞, log(+∞) = +∞, NaN otherwise.
  `(if (v128.any_true (v128.not (v128.and ${gt(get("x"), c(0))} ${lt(get("x"), c(Infinity))})))
          (then ${set("y", select(get("y"), select(c(-Infinity), select(get("x"), c(NaN), feq(get("x"), c(Infinity))), feq(get("x"), c(0))), and(gt(get("x"), c(0)), lt(get("x"), c(Infinity)))))}))`,
]);

export const log1pKernel = inPlaceTwo("log1p", ["x", "y", "t", "u", "cr", ...LOG_LOCALS], [
  // u = 1 + x rounded, c = (1 + x − u)/u its rounding error relative to u; where u is in [√½, √2)
  // (e = 0) f is x itself and needs no correction.
  set("u", add(c(1), get("x"))),
  ...logSplit(get("u")),
  set("t", `(i64x2.eq ${get("e")} ${ci(1023n)})`),
  set("cr", select(sub(c(1), sub(get("u"), get("x"))), sub(get("x"), sub(get("u"), c(1))), ge(get("x"), c(1)))),
  set("cr", andnot(div(get("cr"), get("u")), get("t"))),
  set("f", select(get("x"), get("f"), get("t"))),
  eToDouble,
  ...logSeries,
  set("y", logFinish(get("cr"))),
  keepZero,
  // x ≤ −1, +∞, NaN: log1p(−1) = −∞, log1p(+∞) = +∞, NaN otherwise.
  `(if (v128.any_true (v128.not (v128.and ${gt(get("x"), c(-1))} ${lt(get("x"), c(Infinity))})))
          (then ${set("y", select(get("y"), select(c(-Infinity), select(get("x"), c(NaN), feq(get("x"), c(Infinity))), feq(get("x"), c(-1))), and(gt(get("x"), c(-1)), lt(get("x"), c(Infinity)))))}))`,
]);
