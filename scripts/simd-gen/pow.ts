/**
 * @file The pow kernel: log x as a double-double from a table of centres, times y by Dekker's
 * product, then the exp core.
 */
import * as dd from "../double-double.ts";
import { LOG_N, LOG_TABLE } from "./layout.ts";
import { bitsOf, c, ci, fromBits, LN2_HI, LN2_LO } from "./constants.ts";
import {
  add, and, div, fabs, feq, fmax, fmin, get, gt, hoistConstants, horner, iadd, ishl, isub, lt, mul, or, select, set,
  split, sub, twoSum, ushr,
} from "./wat.ts";
import { EXP_LOCALS, expCore, ifBeyond, twoFactor } from "./exp.ts";
import { ATANH_TAYLOR, BIAS_BITS, eToDouble, LOG_BIAS, SQRT_HALF_BITS } from "./log.ts";

/** Centre c of interval i (the one holding 1 has c = 1 exactly, so that log 1 = 0), and log c as hi, lo. */
function logTable(): [number, number, number][] {
  const rows: [number, number, number][] = [];
  const one = Number(((bitsOf(1) - SQRT_HALF_BITS) >> 45n) & BigInt(LOG_N - 1));
  for (let i = 0; i < LOG_N; i++) {
    const cBits = SQRT_HALF_BITS + (BigInt(i) << 45n) + (1n << 44n);
    const centre = i === one ? 1 : fromBits(cBits);
    const l = dd.logDD([centre, 0]);
    rows.push([centre, centre === 1 ? 0 : l[0], centre === 1 ? 0 : l[1]]);
  }
  return rows;
}

/** (p, e) = a·b exactly (Dekker's product: both split in 26-bit halves; no FMA in Wasm SIMD). */
function twoProd(p: string, e: string, a: string, b: string): string[] {
  return [
    ...split("ah", a),
    set("al", sub(a, get("ah"))),
    ...split("bh", b),
    set("bl", sub(b, get("bh"))),
    set(p, mul(a, b)),
    set(e, add(add(add(sub(mul(get("ah"), get("bh")), get(p)), mul(get("ah"), get("bl"))), mul(get("al"), get("bh"))), mul(get("al"), get("bl")))),
  ];
}

/** The loop body of pow (from `x` and `yy` to `y`), its constants read from locals set before the loop (`hoistConstants`). */
const powBody = hoistConstants(
  [
    set("far", or(get("far"), `(v128.not ${and(and(gt(get("x"), c(0)), lt(get("x"), c(Infinity))), lt(fabs(get("yy")), c(Infinity)))})`)),
    // x = 2ᵉ·m (subnormals scaled by 2⁵⁴ first), i = the interval of m, c its centre.
    set("t", lt(get("x"), c(2 ** -1022))),
    set("ix", select(mul(get("x"), c(2 ** 54)), get("x"), get("t"))),
    set("u", iadd(get("ix"), ci(LOG_BIAS))),
    set("e", ushr(get("u"), 52)),
    set("m", iadd(isub(get("ix"), ishl(get("e"), 52)), ci(BIAS_BITS))),
    set("e", iadd(get("e"), and(get("t"), ci(-54n)))),
    set("u", ishl(and(`(i64x2.shr_u ${get("u")} (i32.const 45))`, ci(BigInt(LOG_N - 1))), 5)),
    // Table rows of 32 bytes: c, log c hi, log c lo, padding.
    set("ta", `(v128.load offset=${LOG_TABLE} (i32x4.extract_lane 0 ${get("u")}))`),
    set("tb", `(v128.load offset=${LOG_TABLE} (i32x4.extract_lane 2 ${get("u")}))`),
    set("cc", `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${get("ta")} ${get("tb")})`),
    set("h1", `(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${get("ta")} ${get("tb")})`),
    set("ta", `(v128.load offset=${LOG_TABLE + 16} (i32x4.extract_lane 0 ${get("u")}))`),
    set("tb", `(v128.load offset=${LOG_TABLE + 16} (i32x4.extract_lane 2 ${get("u")}))`),
    set("l1", `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${get("ta")} ${get("tb")})`),
    // s = (m − c)/(m + c) as sh + sl: m − c exact (Sterbenz), m + c by TwoSum, one correction step.
    set("nn", sub(get("m"), get("cc"))),
    ...twoSum("dh", "dl", get("m"), get("cc")),
    set("rcp", div(c(1), get("dh"))),
    set("sh", mul(get("nn"), get("rcp"))),
    ...twoProd("pp", "pe", get("sh"), get("dh")),
    set("sl", mul(sub(sub(sub(get("nn"), get("pp")), get("pe")), mul(get("sh"), get("dl"))), get("rcp"))),
    // log m − log c = 2s + s³·(2/3 + 2s²/5 + 2s⁴/7)
    set("z", mul(get("sh"), get("sh"))),
    set("z", mul(mul(get("z"), get("sh")), horner(get("z"), ATANH_TAYLOR.slice(0, 3)))),
    // log x = e·ln2 + log c + 2s + …, summed as a double-double.
    eToDouble,
    ...twoSum("h2", "l2", mul(get("dk"), c(LN2_HI)), get("h1")),
    ...twoSum("lh", "ll", get("h2"), mul(c(2), get("sh"))),
    set("ll", add(add(add(get("ll"), get("l2")), add(mul(get("dk"), c(LN2_LO)), get("l1"))), add(mul(c(2), get("sl")), get("z")))),
    set("h2", add(get("lh"), get("ll"))),
    set("ll", add(sub(get("lh"), get("h2")), get("ll"))),
    set("lh", get("h2")),
    // t = y·log x (th + tl), then e^t.
    ...twoProd("th", "tl", get("yy"), get("lh")),
    set("tl", add(get("tl"), mul(get("yy"), get("ll")))),
    set("t", fmax(fmin(get("th"), c(710)), c(-746))),
    ...expCore(get("t"), get("tl")),
    set("y", mul(add(get("thi"), get("q")), get("sc"))),
    ifBeyond(get("th"), 708, [...twoFactor(), set("y", mul(mul(add(get("thi"), get("q")), get("e1")), get("e2")))]),
    set("y", select(select(c(Infinity), c(0), gt(get("th"), c(0))), get("y"), gt(fabs(get("th")), c(800)))),
    set("y", select(c(1), get("y"), feq(get("x"), c(1)))),
  ].join("\n        "),
);

/**
 * pow(x, y) for x > 0 finite and y finite: log x as a double-double to about 2⁻⁷⁰ (x = 2ᵉ·m, m
 * near a table centre c, log m = log c + 2 atanh((m − c)/(m + c)) with the quotient as a
 * double-double), y·log x by Dekker's product, then exp of that double-double (the exp core with
 * the low part added to its reduced argument). Lanes with x ≤ 0, x or y not finite are flagged
 * (the function returns 1) and left to the caller's `Math.pow`; x = 1 gives 1, |y·log x| > 800
 * gives ∞ or 0 directly.
 */
export const powKernel = `
  (func $pow (export "pow") (param $p i32) (param $pb i32) (param $n i32) (result i32)
    (local $end i32) ${["x", "yy", "y", "t", "u", "ix", "e", "dk", "m", "cc", "nn", "dh", "dl", "rcp", "sh", "sl", "pp", "pe", "z", "h1", "l1", "h2", "l2", "lh", "ll", "th", "tl", "far", "ah", "al", "bh", "bl", "bb", ...EXP_LOCALS].map((l) => `(local $${l} v128)`).join(" ")} ${powBody.consts.map(([l]) => `(local ${l} v128)`).join(" ")}
    ${powBody.consts.map(([l, load]) => `(local.set ${l} ${load})`).join("\n    ")}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $yy (v128.load (local.get $pb)))
        ${powBody.text}
        (v128.store (local.get $p) (local.get $y))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (br $next)))
    (v128.any_true (local.get $far)))`;

/** The bytes of the log table of pow (32 per row: c, log c hi, log c lo, 0). */
export function logTableBytes(): string {
  const buf = new DataView(new ArrayBuffer(LOG_N * 32));
  logTable().forEach(([centre, hi, lo], i) => {
    buf.setFloat64(i * 32, centre, true);
    buf.setFloat64(i * 32 + 8, hi, true);
    buf.setFloat64(i * 32 + 16, lo, true);
  });
  return [...new Uint8Array(buf.buffer)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
}
