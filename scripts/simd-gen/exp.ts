/**
 * @file The exp and expm1 kernels, with the exp core (and its table) that sigmoid and pow share.
 */
import * as dd from "../double-double.ts";
import { EXP_BITS, EXP_N, EXP_TABLE } from "./layout.ts";
import { bitsOf, c, ci, invFact, LN2, LN2N_HI, LN2N_LO, SHIFT, SHIFT_BITS } from "./constants.ts";
import {
  add, and, fabs, feq, fmax, fmin, get, gt, horner, iadd, inPlaceFast, ishl, ishr, isub, lt, mul, select, set, sub,
  twoSum, ushr,
} from "./wat.ts";

/** Locals used by `expCore`. */
export const EXP_LOCALS = ["kd", "ki", "r", "pr", "ta", "tb", "thi", "tlo", "q", "sc", "e1", "e2"];
const ONE_BITS = bitsOf(1);

/**
 * The shared core of exp: for x (within [−746, 710], or NaN; plus `lo`, a low part) sets `thi`,
 * `q` and `sc` with e^x = (thi + q)·sc and |q| < 0.0028·thi: x = (k/128)·ln2 + r with
 * |r| ≤ ln2/256, e^x = 2^⌊k/128⌋ · 2^(j/128) · e^r with j = k mod 128 from the table (hi + lo),
 * e^r − 1 by its Taylor polynomial of degree 5 (truncation error 2⁻⁶¹). sc = 2^⌊k/128⌋ is only
 * right for |x| ≤ 708 (normal results); beyond, `twoFactor` gives it as two factors.
 */
export function expCore(x: string, lo?: string): string[] {
  return [
    set("kd", add(mul(x, c(EXP_N / LN2[0]!)), c(SHIFT))),
    set("ki", get("kd")),
    set("kd", sub(get("kd"), c(SHIFT))),
    set("r", sub(sub(x, mul(get("kd"), c(LN2N_HI))), mul(get("kd"), c(LN2N_LO)))),
    ...(lo ? [set("r", add(get("r"), lo))] : []),
    // Table entries (16 bytes each) for both lanes.
    set("pr", ishl(and(get("ki"), ci(BigInt(EXP_N - 1))), 4)),
    // (the low 32 bits of each 64-bit lane: i32x4 lanes 0 and 2)
    set("ta", `(v128.load offset=${EXP_TABLE} (i32x4.extract_lane 0 ${get("pr")}))`),
    set("tb", `(v128.load offset=${EXP_TABLE} (i32x4.extract_lane 2 ${get("pr")}))`),
    set("thi", `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${get("ta")} ${get("tb")})`),
    set("tlo", `(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${get("ta")} ${get("tb")})`),
    // e^r − 1 = r + r²·(1/2 + r/6 + r²/24 + r³/120)
    set("pr", add(get("r"), mul(mul(get("r"), get("r")), horner(get("r"), [0.5, invFact(3), invFact(4), invFact(5)])))),
    set("q", add(mul(get("thi"), get("pr")), get("tlo"))),
    // 2^⌊k/128⌋: k's bits above the 7 of j, shifted down and into the exponent field (the shift
    // constant's bits fall off the top), plus the bits of 1.
    set("sc", iadd(ishl(ushr(get("ki"), EXP_BITS), 52), ci(ONE_BITS))),
  ];
}

/** After `expCore`: 2^⌊k/128⌋ as 2^e1 · 2^e2 (`e1`, `e2`), neither overflowing nor underflowing when e^x does. */
export function twoFactor(): string[] {
  return [
    set("e1", ishr(isub(get("ki"), ci(SHIFT_BITS)), EXP_BITS)),
    set("e2", ishr(get("e1"), 1)),
    set("e1", isub(get("e1"), get("e2"))),
    set("e1", ishl(iadd(get("e1"), ci(1023n)), 52)),
    set("e2", ishl(iadd(get("e2"), ci(1023n)), 52)),
  ];
}

/** Runs `body` only when some lane of `v` exceeds `limit` in magnitude (a rare, slow path). */
export const ifBeyond = (v: string, limit: number, body: string[]): string =>
  `(if (v128.any_true ${gt(fabs(v), c(limit))}) (then ${body.join(" ")}))`;

/** e^x for |x| ≤ 708 (normal results) and NaN. */
const expFast = [...expCore(get("x")), set("y", mul(add(get("thi"), get("q")), get("sc")))];

/** e^x for any x: clamped to [−746, 710] (0 and ∞ beyond), the scale in two factors. */
const expAnywhere = [
  set("r", fmax(fmin(get("x"), c(710)), c(-746))),
  ...expCore(get("r")),
  ...twoFactor(),
  set("y", mul(mul(add(get("thi"), get("q")), get("e1")), get("e2"))),
];

export const expKernel = inPlaceFast("exp", ["x", "y", ...EXP_LOCALS], 708, expFast, expAnywhere);

/**
 * After `expCore`, e^x as a double-double (`eh`, `el`): thi + q before its rounding (Fast2Sum,
 * |thi| ≥ |q|), scaled by `sc` (or by 2^e1·2^e2 with `twoFactors`).
 */
export function expPair(twoFactors = false): string[] {
  const scale = (v: string): string => (twoFactors ? mul(mul(v, get("e1")), get("e2")) : mul(v, get("sc")));
  return [
    set("eh", add(get("thi"), get("q"))),
    set("el", add(sub(get("thi"), get("eh")), get("q"))),
    set("eh", scale(get("eh"))),
    set("el", scale(get("el"))),
  ];
}

/** Taylor coefficients 1/2!, 1/3!, … 1/n! of (eˣ − 1 − x)/x². */
const expm1Tail = (n: number): number[] => Array.from({ length: n - 1 }, (_, i) => invFact(i + 2));

/**
 * expm1(x) of a non-negative or any argument, as a double-double (`mh`, `ml`) for x outside the
 * small range: e^x − 1 = (a − 1) + Q with a = 2ᵏ·thi and Q = 2ᵏ·q, a − 1 by TwoSum.
 */
function expm1Pair(): string[] {
  return [
    set("eh", mul(get("thi"), get("sc"))),
    set("el", mul(get("q"), get("sc"))),
    ...twoSum("mh", "ml", get("eh"), c(-1)),
    set("ml", add(get("ml"), get("el"))),
    set("eh", add(get("mh"), get("ml"))),
    set("ml", add(sub(get("mh"), get("eh")), get("ml"))),
    set("mh", get("eh")),
  ];
}

/**
 * Runs `body` (the series near 0, ±0 included) only when some lane of `x` has |x| < 1/16: most
 * vectors have none, and the series costs as much as the rest of expm1.
 */
const ifSmall = (body: string[]): string => `(if (v128.any_true ${lt(fabs(get("x")), c(1 / 16))}) (then ${body.join(" ")}))`;

/** Lanes equal to ±0 keep their sign (odd functions whose formulas would turn −0 into +0). */
export const keepZero = set("y", select(get("x"), get("y"), feq(get("x"), c(0))));

/** expm1 near 0 and of ±0, after `y` holds it elsewhere. */
const expm1Small = [
  // |x| < 1/16: x + x²·(1/2 + x/6 + … + x⁷/9!), relative error below 2⁻⁵⁹.
  ifSmall([
    set("t", add(get("x"), mul(mul(get("x"), get("x")), horner(get("x"), expm1Tail(9))))),
    set("y", select(get("t"), get("y"), lt(fabs(get("x")), c(1 / 16)))),
    keepZero,
  ]),
];

export const expm1Kernel = inPlaceFast(
  "expm1",
  ["x", "y", "t", "mh", "ml", "eh", "el", ...EXP_LOCALS, "bb"],
  708,
  // |x| ≤ 708: the scale 2^⌊k/128⌋ is a normal double.
  [...expCore(get("x")), ...expm1Pair(), set("y", add(get("mh"), get("ml"))), ...expm1Small],
  [
    set("t", fmax(fmin(get("x"), c(710)), c(-40))),
    ...expCore(get("t")),
    ...expm1Pair(),
    set("y", add(get("mh"), get("ml"))),
    // Beyond 709: e^x as exp computes it (a = ∞ there would make the TwoSum NaN).
    ifBeyond(get("x"), 709, [...twoFactor(), set("y", select(mul(mul(add(get("thi"), get("q")), get("e1")), get("e2")), get("y"), gt(get("x"), c(709))))]),
    ...expm1Small,
  ],
);

/** The bytes of the exp table as a WAT string literal. */
export function expTableBytes(): string {
  const buf = new DataView(new ArrayBuffer(EXP_N * 16));
  for (let j = 0; j < EXP_N; j++) {
    // 2^(j/128) = e^(j·ln2/128), ln2 from its 1600-bit constant.
    const x = dd.fixedToDoubles((dd.LN2_FIXED * BigInt(j)) / BigInt(EXP_N), 1600n, 2);
    const { m, k } = dd.expScaled([x[0]!, x[1]!]);
    const hi = dd.ldexp(m[0], k);
    const lo = dd.ldexp(m[1], k);
    buf.setFloat64(j * 16, hi, true);
    buf.setFloat64(j * 16 + 8, lo, true);
  }
  return [...new Uint8Array(buf.buffer)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
}
