/**
 * @file The sigmoid kernel: e^−|x| from the exp core as a double-double, then one division with an
 * exact residual.
 */
import { c, ci } from "./constants.ts";
import { add, and, div, fabs, fmax, fneg, get, inPlaceFast, lt, mul, select, set, sub } from "./wat.ts";
import { EXP_LOCALS, expCore, expPair, ifBeyond, twoFactor } from "./exp.ts";

/** Clears the low 27 bits of a double's significand: 26 significant bits are left. */
const MASK_26 = ci(-(1n << 27n));

/**
 * σ(x) once `eh`, `el` hold v = e^−|x| as a double-double: n/(1 + v) with n = 1 for x ≥ 0 and
 * n = v below, by a division whose residual is exact without a two-product: s′ = 1 + eh rounded
 * and cut to 26 significant bits, lo = 1 + v − s′ exactly ((1 − s′) + eh is exact, |lo| < 2⁻²⁴);
 * q = n/s′ cut to 26 bits, so that q·s′ (52 bits) and r = nh − q·s′ are exact; then
 * σ = q + (r + nl − q·lo)/(s′ + lo), the quotient by 1/s′ to first order in lo/s′ (the dropped
 * terms are below 2⁻⁷⁰ of σ). The correction is under 2⁻²⁴ of σ and carries a few roundings of
 * its own, so the result is σ rounded once, plus the exp core's 2⁻⁵⁹: within 0.52 ulp (measured
 * 0.507) — except below x ≈ −670, where v's low part underflows to the subnormals and, from −708 on,
 * σ itself (a second rounding): at most 0.75 ulp there, as for exp.
 */
const sigmoidFinish = (): string[] => [
  set("t", lt(get("x"), c(0))),
  set("nh", select(get("eh"), c(1), get("t"))),
  set("nl", and(get("el"), get("t"))),
  set("mh", and(add(c(1), get("eh")), MASK_26)),
  set("ml", add(add(sub(c(1), get("mh")), get("eh")), get("el"))),
  set("rcp", div(c(1), get("mh"))),
  set("q0", and(mul(get("nh"), get("rcp")), MASK_26)),
  set("res", sub(add(sub(get("nh"), mul(get("q0"), get("mh"))), get("nl")), mul(get("q0"), get("ml")))),
  set("res", mul(get("res"), get("rcp"))),
  set("y", add(get("q0"), sub(get("res"), mul(get("res"), mul(get("ml"), get("rcp")))))),
];

export const sigmoidKernel = inPlaceFast(
  "sigmoid",
  ["x", "y", "t", "eh", "el", "nh", "nl", "mh", "ml", "rcp", "q0", "res", ...EXP_LOCALS],
  708,
  [set("t", fneg(fabs(get("x")))), ...expCore(get("t")), ...expPair(), ...sigmoidFinish()],
  [set("t", fmax(fneg(fabs(get("x"))), c(-746))), ...expCore(get("t")), ...expPair(), ifBeyond(get("x"), 708, [...twoFactor(), ...expPair(true)]), ...sigmoidFinish()],
);
