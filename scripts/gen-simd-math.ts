/**
 * @file `npm run build:wasm` step 1: writes `src/kernels/wasm/math.wat`, the WebAssembly SIMD
 * (f64x2) kernels of `src/kernels/simd.ts` — exp, expm1, log, log1p, tanh, sigmoid, sin, cos, pow
 * over a buffer in place, and the pairwise sum, max and dot reductions — with their tables, which
 * are computed here in double-double arithmetic (`double-double.ts`). The text is generated rather
 * than written by hand because the functions share pieces (the exp core appears in five of them)
 * and the constants must be exact; `test/simd-math.test.ts` checks that the committed `.wat` is
 * what this script writes.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as dd from "./double-double.ts";

// ------------------------------------------------------------------ memory layout (bytes)

/** 2^(j/128) for j < 128 as (hi, lo) pairs of doubles. */
export const EXP_TABLE = 0;
export const EXP_BITS = 7;
const EXP_N = 1 << EXP_BITS;
/** Where the first streamed operand (and every result) lives. */
export const SCRATCH_A = 65536;
/** Elements per chunk: 16 KiB per operand, so the two operands and the tables stay in L1. */
export const CHUNK = 2048;
/** Where the second operand of pow and dot lives. */
export const SCRATCH_B = SCRATCH_A + CHUNK * 8;
const PAGES = 2;

// ------------------------------------------------------------------ constants

/** A double as a WAT hex float literal, exact (e.g. 0x1.62e42fefa39efp-1). */
export function hexFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0x0p+0" : "0x0p+0";
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  const e = Math.max(dd.exponentOf(a), -1022);
  const mant = BigInt(dd.ldexp(a, 52 - e)); // < 2⁵³, with the leading 1 unless subnormal
  const lead = mant >> 52n;
  const frac = (mant & ((1n << 52n) - 1n)).toString(16).padStart(13, "0");
  return `${sign}0x${lead}.${frac}p${e >= 0 ? "+" : ""}${e}`;
}

/** A two-lane constant. */
const c = (x: number): string => `(v128.const f64x2 ${hexFloat(x)} ${hexFloat(x)})`;
/** A two-lane 64-bit integer constant. */
const ci = (x: bigint): string => `(v128.const i64x2 ${x} ${x})`;

/** The bits of a double, as a BigInt. */
function bitsOf(x: number): bigint {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0);
}
/** The double with these bits. */
function fromBits(b: bigint): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigUint64(0, b);
  return v.getFloat64(0);
}

/** x rounded toward zero to `bits` significant bits (so that products with small integers are exact). */
const truncateBits = (x: number, bits: number): number => fromBits(bitsOf(x) & ~((1n << BigInt(53 - bits)) - 1n));

const LN2 = dd.fixedToDoubles(dd.LN2_FIXED, 1600n, 3);
/** ln2/128 in two parts: the first with 35 bits (k · it is exact for |k| < 2¹⁸), the second the rest. */
const LN2N_HI = truncateBits(LN2[0]! / EXP_N, 35);
const LN2N_LO = dd.bigToDouble(dd.LN2_FIXED / BigInt(EXP_N) - dd.doubleToFixed(LN2N_HI, 1600n), 1600n);
/** ln2 in two parts for log: the first with 42 bits (e · it is exact for |e| < 2¹¹). */
const LN2_HI = truncateBits(LN2[0]!, 42);
const LN2_LO = dd.bigToDouble(dd.LN2_FIXED - dd.doubleToFixed(LN2_HI, 1600n), 1600n);
/** Rounds to an integer when added and subtracted (1.5 · 2⁵²), and leaves the integer in the low bits. */
const SHIFT = 6755399441055744;
const SHIFT_BITS = bitsOf(SHIFT);

/** 1/n! */
const invFact = (n: number): number => {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return dd.div([1, 0], [f, 0])[0];
};

// ------------------------------------------------------------------ a small WAT vocabulary

const get = (name: string): string => `(local.get $${name})`;
const set = (name: string, e: string): string => `(local.set $${name} ${e})`;
const op = (name: string) => (...args: string[]): string => `(${name} ${args.join(" ")})`;
const add = op("f64x2.add");
const sub = op("f64x2.sub");
const mul = op("f64x2.mul");
const div = op("f64x2.div");
const fmin = op("f64x2.min");
const fmax = op("f64x2.max");
const fabs = op("f64x2.abs");
const fneg = op("f64x2.neg");
const lt = op("f64x2.lt");
const le = op("f64x2.le");
const gt = op("f64x2.gt");
const ge = op("f64x2.ge");
const feq = op("f64x2.eq");
const iadd = op("i64x2.add");
const isub = op("i64x2.sub");
const ishl = (a: string, n: number): string => `(i64x2.shl ${a} (i32.const ${n}))`;
const ishr = (a: string, n: number): string => `(i64x2.shr_s ${a} (i32.const ${n}))`;
const and = op("v128.and");
const or = op("v128.or");
const xor = op("v128.xor");
const andnot = op("v128.andnot");
/** Lanes of `a` where `mask` is set, of `b` elsewhere. */
const select = (a: string, b: string, mask: string): string => `(v128.bitselect ${a} ${b} ${mask})`;
const SIGN = ci(-0x8000000000000000n);
/** |a| with the sign of `s`. */
const copysign = (a: string, s: string): string => or(a, and(s, SIGN));

/** Horner's scheme: coefs[0] + x·(coefs[1] + x·(…)). */
function horner(x: string, coefs: readonly number[]): string {
  let e = c(coefs[coefs.length - 1]!);
  for (let i = coefs.length - 2; i >= 0; i--) e = add(c(coefs[i]!), mul(x, e));
  return e;
}

/** A function looping over `n` doubles at `p` two at a time (n even), with a body that reads `x` and sets `y`. */
function inPlace(name: string, locals: readonly string[], body: string[], extra = ""): string {
  return `
  (func $${name} (export "${name}") (param $p i32) (param $n i32) ${extra ? "(result i32)" : ""}
    (local $end i32) ${locals.map((l) => `(local $${l} v128)`).join(" ")}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        ${body.join("\n        ")}
        (v128.store (local.get $p) (local.get $y))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    ${extra})`;
}

// ------------------------------------------------------------------ exp

/** Locals used by `expCore`. */
const EXP_LOCALS = ["kd", "ki", "r", "pr", "ta", "tb", "thi", "tlo", "q", "e1", "e2"];

/**
 * The shared core of exp: for x (a local, within [−746, 710], or NaN) sets `thi`, `q`, `e1`, `e2`
 * with e^x = (thi + q) · 2^e1 · 2^e2 and |q| < 0.0028·thi: x = (k/128)·ln2 + r with |r| ≤ ln2/256,
 * e^x = 2^⌊k/128⌋ · 2^(j/128) · e^r with j = k mod 128 from the table (hi + lo), e^r − 1 by its
 * Taylor polynomial of degree 5 (truncation error 2⁻⁶¹). The power of two is split in two
 * factors so that neither overflows nor underflows when the result does.
 */
function expCore(x: string): string[] {
  return [
    set("kd", add(mul(x, c(EXP_N / LN2[0]!)), c(SHIFT))),
    set("ki", get("kd")),
    set("kd", sub(get("kd"), c(SHIFT))),
    set("r", sub(sub(x, mul(get("kd"), c(LN2N_HI))), mul(get("kd"), c(LN2N_LO)))),
    // Table entries (16 bytes each) for both lanes.
    set("pr", ishl(and(get("ki"), ci(BigInt(EXP_N - 1))), 4)),
    set("ta", `(v128.load offset=${EXP_TABLE} (i32.wrap_i64 (i64x2.extract_lane 0 ${get("pr")})))`),
    set("tb", `(v128.load offset=${EXP_TABLE} (i32.wrap_i64 (i64x2.extract_lane 1 ${get("pr")})))`),
    set("thi", `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${get("ta")} ${get("tb")})`),
    set("tlo", `(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${get("ta")} ${get("tb")})`),
    // e^r − 1 = r + r²·(1/2 + r/6 + r²/24 + r³/120)
    set("pr", add(get("r"), mul(mul(get("r"), get("r")), horner(get("r"), [0.5, invFact(3), invFact(4), invFact(5)])))),
    set("q", add(mul(get("thi"), get("pr")), get("tlo"))),
    // k/128 rounded down, split as e1 + e2, each turned into the bits of 2^e.
    set("e1", ishr(isub(get("ki"), ci(SHIFT_BITS)), EXP_BITS)),
    set("e2", ishr(get("e1"), 1)),
    set("e1", isub(get("e1"), get("e2"))),
    set("e1", ishl(iadd(get("e1"), ci(1023n)), 52)),
    set("e2", ishl(iadd(get("e2"), ci(1023n)), 52)),
  ];
}

const expKernel = inPlace("exp", ["x", "y", ...EXP_LOCALS], [
  set("x", fmax(fmin(get("x"), c(710)), c(-746))),
  ...expCore(get("x")),
  set("y", mul(mul(add(get("thi"), get("q")), get("e1")), get("e2"))),
]);

// ------------------------------------------------------------------ reductions

/**
 * NumPy's pairwise sum (`pairwise_sum` in its umath loops): fewer than 8 elements in order from 0;
 * up to 128 with 8 accumulators (here 4 lanes pairs), combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)),
 * then the rest in order; longer runs split at a multiple of 8 near the half.
 */
const pairwiseSum = `
  (func $sum (export "sum") (param $p i32) (param $n i32) (result f64)
    (local $i i32) (local $m i32) (local $res f64) (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $n2 i32)
    (if (i32.lt_u (local.get $n) (i32.const 8))
      (then
        (local.set $res (f64.const 0))
        (local.set $i (i32.const 0))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $res (f64.add (local.get $res) (f64.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (return (local.get $res))))
    (if (i32.le_u (local.get $n) (i32.const 128))
      (then
        (local.set $a (v128.load (local.get $p)))
        (local.set $b (v128.load offset=16 (local.get $p)))
        (local.set $c (v128.load offset=32 (local.get $p)))
        (local.set $d (v128.load offset=48 (local.get $p)))
        (local.set $m (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 3))))
        (local.set $i (i32.add (local.get $p) (i32.const 64)))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $a (f64x2.add (local.get $a) (v128.load (local.get $i))))
          (local.set $b (f64x2.add (local.get $b) (v128.load offset=16 (local.get $i))))
          (local.set $c (f64x2.add (local.get $c) (v128.load offset=32 (local.get $i))))
          (local.set $d (f64x2.add (local.get $d) (v128.load offset=48 (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 64)))
          (br $next)))
        (local.set $res (f64.add
          (f64.add
            (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a)))
            (f64.add (f64x2.extract_lane 0 (local.get $b)) (f64x2.extract_lane 1 (local.get $b))))
          (f64.add
            (f64.add (f64x2.extract_lane 0 (local.get $c)) (f64x2.extract_lane 1 (local.get $c)))
            (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d))))))
        (local.set $m (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $res (f64.add (local.get $res) (f64.load (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 8)))
          (br $next)))
        (return (local.get $res))))
    (local.set $n2 (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -8)))
    (f64.add
      (call $sum (local.get $p) (local.get $n2))
      (call $sum (i32.add (local.get $p) (i32.shl (local.get $n2) (i32.const 3))) (i32.sub (local.get $n) (local.get $n2)))))`;

export const source = `;; Generated by scripts/gen-simd-math.ts; do not edit.
(module
  (memory (export "memory") ${PAGES})
  ${expKernel}
  ${pairwiseSum}
  (data (i32.const ${EXP_TABLE}) "${expTableBytes()}")
)
`;

/** The bytes of the exp table as a WAT string literal. */
function expTableBytes(): string {
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

export const watFile = fileURLToPath(new URL("../src/kernels/wasm/math.wat", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(watFile, source);
  console.log(`${watFile}: ${source.length} characters`);
}
