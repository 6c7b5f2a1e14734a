/**
 * @file `npm run build:wasm` step 1: writes `src/kernels/wasm/math.wat`, the WebAssembly SIMD
 * (f64x2) kernels of `src/kernels/simd.ts` — exp, expm1, log, log1p, tanh, sigmoid, sin, cos, pow
 * over a buffer in place, and the pairwise sum, max and dot reductions — with their tables, which
 * are computed here in double-double arithmetic (`double-double.ts`). The text is generated rather
 * than written by hand because the functions share pieces (the exp core appears in four of them)
 * and the constants must be exact; `test/simd-math.test.ts` checks that the committed `.wat` is
 * what this script writes.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as dd from "./double-double.ts";
import { extremum, pairwise } from "./gen-simd-reduce.ts";

// ------------------------------------------------------------------ memory layout (bytes)

/** 2^(j/128) for j < 128 as (hi, lo) pairs of doubles. */
export const EXP_TABLE = 0;
export const EXP_BITS = 7;
const EXP_N = 1 << EXP_BITS;
/** The two-lane constants (`constPool`), after the exp table and pow's log table (which end at 6144). */
export const CONST_TABLE = 8192;
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

/**
 * The two-lane constants of the kernels, by their 64-bit pattern, each at a 16-byte slot from
 * `CONST_TABLE`: V8 (TurboFan) rebuilds a `v128.const` at each use inside a loop with three
 * instructions (a 64-bit immediate moved to a register, then broadcast), but a load from memory
 * is one, so every constant is read from this pool.
 */
const constPool = new Map<bigint, number>();
/** The load of the two-lane constant with these 64 bits. */
function pooled(bits: bigint): string {
  const key = BigInt.asUintN(64, bits);
  let slot = constPool.get(key);
  if (slot === undefined) {
    slot = constPool.size;
    constPool.set(key, slot);
  }
  return `(v128.load offset=${CONST_TABLE + 16 * slot} (i32.const 0))`;
}
/** A two-lane constant. */
const c = (x: number): string => pooled(bitsOf(x));
/** A two-lane 64-bit integer constant. */
const ci = (x: bigint): string => pooled(x);

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
/** min(a, C) and max(a, C) as clamps: `pmin`/`pmax` are one instruction each (`min`/`max` are
 * several, for IEEE ±0 and NaN ordering) and keep a NaN in `a`. */
const fmin = op("f64x2.pmin");
const fmax = op("f64x2.pmax");
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
/** Arithmetic shift right: no SSE instruction, so V8 emulates it; used only on rare slow paths. */
const ishr = (a: string, n: number): string => `(i64x2.shr_s ${a} (i32.const ${n}))`;
const ushr = (a: string, n: number): string => `(i64x2.shr_u ${a} (i32.const ${n}))`;
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
  const { text, consts } = hoistConstants(body.join("\n        "));
  return `
  (func $${name} (export "${name}") (param $p i32) (param $n i32) ${extra ? "(result i32)" : ""}
    (local $end i32) ${locals.map((l) => `(local $${l} v128)`).join(" ")} ${consts.map(([l]) => `(local ${l} v128)`).join(" ")}
    ${consts.map(([l, load]) => `(local.set ${l} ${load})`).join("\n    ")}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        ${text}
        (v128.store (local.get $p) (local.get $y))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    ${extra})`;
}

/**
 * A function looping over `n` doubles at `p` four at a time with `pair` (which reads `x`, `x_2`
 * and sets `y`, `y_2`), an odd vector at the end with `one` (`x` to `y`): two independent
 * dependency chains a step, so that the processor overlaps them. With `extra`, the function
 * returns that i32 expression.
 */
function pairLoop(name: string, locals: readonly string[], pair: string, one: string, extra = ""): string {
  const { text: pairText, consts: pairConsts } = hoistConstants(pair);
  const { text: oneText, consts: oneConsts } = hoistConstants(one);
  return loopOfPairs(name, locals, [...new Map([...pairConsts, ...oneConsts])], pairText, oneText, extra);
}

/**
 * The loop `pairLoop` and `inPlaceFast` share: constant-pool loads `consts` hoisted into locals
 * before it, `pair` on `$x`, `$x_2` (results in `$y`, `$y_2`) per 32 bytes, `one` on a last odd
 * vector, then `extra`.
 */
function loopOfPairs(name: string, locals: readonly string[], consts: readonly [string, string][], pair: string, one: string, extra = ""): string {
  return `
  (func $${name} (export "${name}") (param $p i32) (param $n i32) ${extra ? "(result i32)" : ""}
    (local $end i32) ${locals.map((l) => `(local $${l} v128)`).join(" ")} ${consts.map(([l]) => `(local ${l} v128)`).join(" ")}
    ${consts.map(([l, load]) => `(local.set ${l} ${load})`).join("\n    ")}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $x_2 (v128.load offset=16 (local.get $p)))
        ${pair}
        (v128.store (local.get $p) (local.get $y))
        (v128.store offset=16 (local.get $p) (local.get $y_2))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $next)))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (local.set $x (v128.load (local.get $p)))
        ${one}
        (v128.store (local.get $p) (local.get $y))))
    ${extra})`;
}

/** `inPlace` two vectors a step: `body` for `x` and for `x_2`, interleaved line by line; the locals in `shared` (accumulators) are not duplicated. */
function inPlaceTwo(name: string, locals: readonly string[], body: string[], extra = "", shared: readonly string[] = []): string {
  const own = locals.filter((l) => !shared.includes(l));
  const pair = body.flatMap((l) => [l, secondCopy(l, own)]).join("\n        ");
  return pairLoop(name, [...locals, ...own.map((l) => `${l}_2`)], pair, body.join("\n        "), extra);
}

/** `text` with the locals `names` renamed to `<name>_2` (the second copy of an unrolled body). */
function secondCopy(text: string, names: readonly string[]): string {
  const own = new Set(names);
  return text.replace(/\$([A-Za-z0-9_]+)/g, (whole, name: string) => (own.has(name) ? `$${name}_2` : whole));
}

/** `text` with its constant-pool loads read from locals `$k<offset>` instead, and these locals with their loads. */
function hoistConstants(text: string): { text: string; consts: [string, string][] } {
  const consts = new Map<string, string>();
  const out = text.replace(/\(v128\.load offset=(\d+) \(i32\.const 0\)\)/g, (load, offset: string) => {
    const l = `$k${offset}`;
    consts.set(l, load);
    return `(local.get ${l})`;
  });
  return { text: out, consts: [...consts] };
}

/**
 * Like `inPlace` but two vectors per iteration, so that their dependency chains overlap, with a
 * fast body that is right only where no lane has |x| > `limit` (and NaN): when a lane of either
 * vector is beyond, both are recomputed by `slow`, which is right everywhere. An odd vector at the
 * end goes through the same test alone.
 */
function inPlaceFast(name: string, locals: readonly string[], limit: number, fast: string[], slow: string[]): string {
  const beyond = (x: string): string => gt(fabs(x), c(limit));
  const two = (lines: string[]): string => [...lines, ...lines.map((l) => secondCopy(l, locals))].join("\n          ");
  // Only the fast body reads hoisted constants: the slow one is rare, and more live locals spill.
  const { text: fastText, consts } = hoistConstants(two(fast));
  const pair = `(if (v128.any_true (v128.or ${beyond(get("x"))} ${beyond(get("x_2"))}))
          (then
          ${two(slow)})
          (else
          ${fastText}))`;
  const one = `(if (v128.any_true ${beyond(get("x"))})
          (then ${slow.join(" ")})
          (else ${fast.join(" ")}))`;
  return loopOfPairs(name, [...locals, ...locals.map((l) => `${l}_2`)], consts, pair, one);
}

// ------------------------------------------------------------------ exp

/** Locals used by `expCore`. */
const EXP_LOCALS = ["kd", "ki", "r", "pr", "ta", "tb", "thi", "tlo", "q", "sc", "e1", "e2"];
const ONE_BITS = bitsOf(1);

/**
 * The shared core of exp: for x (within [−746, 710], or NaN; plus `lo`, a low part) sets `thi`,
 * `q` and `sc` with e^x = (thi + q)·sc and |q| < 0.0028·thi: x = (k/128)·ln2 + r with
 * |r| ≤ ln2/256, e^x = 2^⌊k/128⌋ · 2^(j/128) · e^r with j = k mod 128 from the table (hi + lo),
 * e^r − 1 by its Taylor polynomial of degree 5 (truncation error 2⁻⁶¹). sc = 2^⌊k/128⌋ is only
 * right for |x| ≤ 708 (normal results); beyond, `twoFactor` gives it as two factors.
 */
function expCore(x: string, lo?: string): string[] {
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
function twoFactor(): string[] {
  return [
    set("e1", ishr(isub(get("ki"), ci(SHIFT_BITS)), EXP_BITS)),
    set("e2", ishr(get("e1"), 1)),
    set("e1", isub(get("e1"), get("e2"))),
    set("e1", ishl(iadd(get("e1"), ci(1023n)), 52)),
    set("e2", ishl(iadd(get("e2"), ci(1023n)), 52)),
  ];
}

/** Runs `body` only when some lane of `v` exceeds `limit` in magnitude (a rare, slow path). */
const ifBeyond = (v: string, limit: number, body: string[]): string =>
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

const expKernel = inPlaceFast("exp", ["x", "y", ...EXP_LOCALS], 708, expFast, expAnywhere);

/**
 * After `expCore`, e^x as a double-double (`eh`, `el`): thi + q before its rounding (Fast2Sum,
 * |thi| ≥ |q|), scaled by `sc` (or by 2^e1·2^e2 with `twoFactors`).
 */
function expPair(twoFactors = false): string[] {
  const scale = (v: string): string => (twoFactors ? mul(mul(v, get("e1")), get("e2")) : mul(v, get("sc")));
  return [
    set("eh", add(get("thi"), get("q"))),
    set("el", add(sub(get("thi"), get("eh")), get("q"))),
    set("eh", scale(get("eh"))),
    set("el", scale(get("el"))),
  ];
}

/** (s, err) = TwoSum(a, b): s + err = a + b exactly. */
function twoSum(s: string, err: string, a: string, b: string): string[] {
  return [set(s, add(a, b)), set("bb", sub(get(s), a)), set(err, add(sub(a, sub(get(s), get("bb"))), sub(b, get("bb"))))];
}

/** Dekker's split: the leading 26 bits of a (to `hi`), for products that are exact. */
const SPLITTER = 134217729;
function split(hi: string, a: string): string[] {
  return [set("bb", mul(a, c(SPLITTER))), set(hi, sub(get("bb"), sub(get("bb"), a)))];
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
const keepZero = set("y", select(get("x"), get("y"), feq(get("x"), c(0))));

/** expm1 near 0 and of ±0, after `y` holds it elsewhere. */
const expm1Small = [
  // |x| < 1/16: x + x²·(1/2 + x/6 + … + x⁷/9!), relative error below 2⁻⁵⁹.
  ifSmall([
    set("t", add(get("x"), mul(mul(get("x"), get("x")), horner(get("x"), expm1Tail(9))))),
    set("y", select(get("t"), get("y"), lt(fabs(get("x")), c(1 / 16)))),
    keepZero,
  ]),
];

const expm1Kernel = inPlaceFast(
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

/**
 * Solves the square system m·c = v in double-double arithmetic (Gaussian elimination with partial
 * pivoting); the generator's polynomial fits are small and the 106 bits absorb their conditioning.
 */
function solveDD(m: dd.DD[][], v: dd.DD[]): dd.DD[] {
  const n = v.length;
  const a = m.map((row, i) => [...row, v[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]![0]) > Math.abs(a[pivot]![col]![0])) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = dd.div(a[r]![col]!, a[col]![col]!);
      for (let k = col; k <= n; k++) a[r]![k] = dd.sub(a[r]![k]!, dd.mul(f, a[col]![k]!));
    }
  }
  const c: dd.DD[] = new Array<dd.DD>(n);
  for (let r = n - 1; r >= 0; r--) {
    let acc = a[r]![n]!;
    for (let k = r + 1; k < n; k++) acc = dd.sub(acc, dd.mul(a[r]![k]!, c[k]!));
    c[r] = dd.div(acc, a[r]![r]!);
  }
  return c;
}

/** A polynomial coefficient: a double (read from the constant pool) or a WAT expression of its two lanes. */
type Coef = number | string;
const coef = (k: Coef): string => (typeof k === "number" ? c(k) : k);

/**
 * Estrin's scheme: coefs[0] + x·coefs[1] + … with the pairs, then pairs of pairs, combined by the
 * powers x², x⁴, x⁸ held in the locals `powers` (set by the caller): a dependency chain of about
 * 2·log₂(n) operations instead of Horner's 2n.
 */
function estrin(x: string, coefs: readonly Coef[], powers: readonly string[]): string {
  let terms: string[] = [];
  for (let i = 0; i < coefs.length; i += 2) terms.push(i + 1 < coefs.length ? add(coef(coefs[i]!), mul(x, coef(coefs[i + 1]!))) : coef(coefs[i]!));
  for (let level = 0; terms.length > 1; level++) {
    const next: string[] = [];
    for (let j = 0; j < terms.length; j += 2) next.push(j + 1 < terms.length ? add(terms[j]!, mul(get(powers[level]!), terms[j + 1]!)) : terms[j]!);
    terms = next;
  }
  return terms[0]!;
}

/**
 * coefs[0] + x·(the rest by Estrin's scheme): the leading coefficient, which dominates a series in
 * a small x, is added last and alone (its one rounding, as in Horner's scheme), the rest with a
 * short dependency chain. `powers` hold x², x⁴, x⁸ as far as the rest needs them.
 */
const leadThenEstrin = (x: string, coefs: readonly Coef[], powers: readonly string[]): string =>
  add(coef(coefs[0]!), mul(x, estrin(x, coefs.slice(1), powers)));
/** Sets the locals `powers` to x², x⁴, x⁸ (as many as named). */
const powersOf = (x: string, powers: readonly string[]): string[] =>
  powers.map((p, i) => set(p, i === 0 ? mul(x, x) : mul(get(powers[i - 1]!), get(powers[i - 1]!))));

// ------------------------------------------------------------------ tables by binade

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
const rowOf = (v: number): number => Number(bitsOf(v) >> BigInt(ROW_SHIFT)) - ROW_BASE;
/** Row j ≥ 1's interval [lo, lo + 2·(centre − lo)) and its middle. */
function rowSpan(j: number): { lo: number; centre: number } {
  const top = BigInt(j + ROW_BASE) << BigInt(ROW_SHIFT);
  return { lo: fromBits(top), centre: fromBits(top | (1n << BigInt(ROW_SHIFT - 1))) };
}

/** A two-lane constant whose 64 bits are these four 16-bit lanes (low first). */
const i16Lanes = (lanes: readonly number[]): string => ci(lanes.reduce((acc, l, i) => acc | (BigInt(l) << BigInt(16 * i)), 0n));
/** The first (`lane` 0) or second f64 lanes of a and b, as one vector. */
const lanesOf = (lane: 0 | 1, a: string, b: string): string =>
  lane === 0 ? `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${a} ${b})` : `(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 ${a} ${b})`;

/**
 * Sets `u` so that its low 64 bits hold the byte offsets of both lanes' rows (at most `last`, the
 * row that NaN, ±∞ and larger |x| take): x's bits shifted, each lane's 16 bits of exponent and
 * significand (the sign above them) brought next to the other's, the base subtracted with unsigned
 * saturation (so that small |x| give row 0), capped (the sign's 16 bits capped at 0, which clears
 * them), times the row size.
 */
const rowOffsets = (x: string, last: number): string[] => [
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
const loadRows = (table: number): string[] => [
  set("la", `(v128.load offset=${table} ${rowOffset(0)})`),
  set("lb", `(v128.load offset=${table} ${rowOffset(1)})`),
  set("ha", `(v128.load offset=${table + 16} ${rowOffset(0)})`),
  set("hb", `(v128.load offset=${table + 16} ${rowOffset(1)})`),
];

/** The bytes of a table of rows (4 doubles each) as a WAT string literal, checked to end before `end`. */
function rowTableBytes(name: string, at: number, end: number, rows: readonly number[][]): string {
  if (at + rows.length * ROW_BYTES > end) throw new Error(`gen-simd-math: the ${name} table overlaps what follows it`);
  const buf = new DataView(new ArrayBuffer(rows.length * ROW_BYTES));
  rows.forEach((row, i) => row.forEach((v, k) => buf.setFloat64(i * ROW_BYTES + k * 8, v, true)));
  return [...new Uint8Array(buf.buffer)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
}

/** The spacing of the doubles at a normal x. */
const ulpOf = (x: number): number => 2 ** (dd.exponentOf(x) - 52);
/** How far a double-double's value is from its leading double, in ulps of that double. */
const residue = (v: dd.DD): number => Math.abs(v[1]) / ulpOf(v[0]);
/** A table's leading values are within this many of their ulps of the function's exact values. */
const ACCURATE = 2 ** -7;

/**
 * A point b near `centre` where f(b) is within ACCURATE ulp of a double (Gal's "accurate tables":
 * the table then needs no low part of f(b)), or undefined: candidates spread evenly (steps of the
 * golden ratio) over `window` about the centre, pre-selected by f's Taylor expansion
 * `near(d)` ≈ f(centre + d), confirmed by `f` itself.
 */
function accuratePoint(centre: number, window: number, f: (b: number) => dd.DD, near: (d: number) => dd.DD): number | undefined {
  const step = ulpOf(centre);
  for (let k = 1; k < 100000; k++) {
    const d = Math.round(((((k * (Math.sqrt(5) - 1)) / 2) % 1) - 0.5) * (window / step)) * step;
    if (residue(near(d)) <= ACCURATE && residue(f(centre + d)) <= ACCURATE) return centre + d;
  }
  return undefined;
}

// ------------------------------------------------------------------ tanh

/** Where tanh's table lives: after the constant pool (which must end before it), before sin and cos's. */
export const TANH_TABLE = 32768;
/** |x| is clamped to this (tanh x rounds to 1 from 19.06 on). */
export const TANH_CLAMP = 20;
/** The last row: that of TANH_CLAMP. */
const TANH_LAST = rowOf(TANH_CLAMP);
/** From this |x| on tanh x rounds to 1: atanh(1 − 2⁻⁵⁴) = ½·ln((2 − 2⁻⁵⁴)/2⁻⁵⁴). */
export const TANH_ONE = dd.logDD(dd.div(dd.sub([2, 0], [2 ** -54, 0]), [2 ** -54, 0]))[0] / 2;

/**
 * The point b of a row [lo, …) with middle `centre`, and tanh b as a double within ACCURATE ulp:
 * - below 8, near the centre (a window a 2⁻³² part of b, or 2⁹ ulps of tanh b's worth of change;
 *   tanh(c + d) ≈ T + W·d − T·W·d², W = sech² c);
 * - from 8 on (tanh b within 2⁻²² of 1, where it moves by far less than an ulp per ulp of b), the
 *   point where tanh b is exactly 1 − n·2⁻⁵³, n the nearest count for the centre (at least 1: up
 *   to TANH_ONE the result may be below 1), b = atanh(1 − n·2⁻⁵³);
 * - a row all beyond TANH_ONE: tanh b = 1 exactly as the result rounds (and sech² b is taken as 0).
 */
function tanhPoint(lo: number, centre: number): [number, number] {
  if (lo >= TANH_ONE) return [centre, 1];
  let b: number | undefined;
  if (centre >= 8) {
    const n = Math.max(1, Math.round(dd.sub([1, 0], dd.tanhDD(centre))[0] * 2 ** 53));
    const e: dd.DD = [n * 2 ** -53, 0];
    b = dd.logDD(dd.div(dd.sub([2, 0], e), e))[0] / 2;
    if (residue(dd.tanhDD(b)) > ACCURATE) b = undefined;
  } else {
    const t = dd.tanhDD(centre);
    const w = dd.sech2DD(centre);
    const window = Math.max(ulpOf(centre) * 2 ** 20, (2 ** 9 * ulpOf(t[0])) / w[0]);
    const near = (d: number): dd.DD => {
      const wd = dd.mul(w, [d, 0]);
      return dd.sub(dd.add(t, wd), dd.mul(dd.mul(t, wd), [d, 0]));
    };
    b = accuratePoint(centre, window, dd.tanhDD, near);
  }
  if (b === undefined) throw new Error(`gen-simd-math: no accurate tanh point near ${centre}`);
  return [b, dd.tanhDD(b)[0]];
}

/** The rows of `TANH_TABLE` ([tanh b, sech² b, b, 0]): row 0 (|x| < ROW0_LIMIT) b = 0, then one per 2⁻⁵ of each binade up to TANH_CLAMP's. */
function tanhTable(): number[][] {
  const rows: number[][] = [[0, 1, 0, 0]];
  for (let j = 1; j <= TANH_LAST; j++) {
    const { lo, centre } = rowSpan(j);
    const [b, t] = tanhPoint(lo, centre);
    // The error bound below takes |b − centre| small next to the row's half-width where tanh is not flat.
    if (centre < 8 && Math.abs(b - centre) > (centre - lo) * 2 ** -10) throw new Error(`gen-simd-math: tanh point ${b} far from ${centre}`);
    rows.push([t, t === 1 ? 0 : dd.sech2DD(b)[0], b, 0]);
  }
  return rows;
}

/** tanh r − r = r·z·P(z) (so that z·P(z) = tanh r / r − 1). */
const tanhTarget = (a: number): dd.DD => dd.sub(dd.div(dd.tanhDD(a), [a, 0]), [1, 0]);

/**
 * The 4 coefficients of P with tanh r ≈ r + r·z·P(z), z = r²: a least-squares fit (`fitEven`) on
 * row 0's range |r| < ROW0_LIMIT. The generator measures the error relative to tanh r and refuses
 * more than 2⁻⁶² there (row 0's result is this polynomial), 2⁻³⁴ up to |r| = 0.13 and 2⁻⁸ up to 0.8
 * (the rows from 8 on, where δ is weighted by W < 2⁻²¹, resp. W < 2⁻⁵⁰ where b was moved to an
 * exact 1 − n·2⁻⁵³).
 */
const TANH_SERIES = fitEven(4, 1, ROW0_LIMIT * ROW0_LIMIT, tanhTarget);
for (const [upTo, limit] of [[ROW0_LIMIT, 2 ** -62], [0.13, 2 ** -34], [0.8, 2 ** -8]] as const) {
  // r·(z·P − (tanh r/r − 1)) relative to tanh r.
  const e = fitError(TANH_SERIES, 1, upTo, tanhTarget, (a) => Math.tanh(a) / a);
  if (e > limit) throw new Error(`gen-simd-math: the tanh series' error ${e} up to ${upTo} exceeds ${limit}`);
}

const TANH_LOCALS = ["x", "y", "u", "a", "la", "lb", "ha", "hb", "t", "w", "b", "r", "z", "q"];

/**
 * tanh on f64x2, two vectors a step, with no branch: each lane's row of `TANH_TABLE`
 * (`rowOffsets`: all |x| < 2⁻⁵ take row 0; NaN, ±∞ and |x| beyond 20 the last) holds a point b,
 * T = tanh b (a double within 2⁻⁷ ulp of it: `tanhPoint`) and W = 1 − T² = sech² b. Then with
 * a = min(|x|, 20) (NaN stays), r = a − b (exact: within a factor 2 of each other, Sterbenz;
 * r = a in row 0) and t = tanh r,
 *
 *   tanh a = (T + t)/(1 + T·t) = T + δ,  δ = W·t/(1 + T·t),
 *
 * and the sign of x put back (±0 too).
 *
 * Error, in ulps of the result: in row 0, b = 0, T = 0, W = 1 and y = t = r + (r·z)·P(z) rounded
 * once (the correction is below 2⁻¹⁰·r, so its own roundings and the fit's error, 2⁻⁶², count for
 * under 0.01 ulp): at most 0.51 ulp. In the other rows |r| ≤ 2⁻⁶·b (plus b's offset from the
 * centre, a 2⁻¹⁰ part of that, below 8), so |δ| ≤ 0.021·tanh a; δ carries about 5 roundings (t's
 * last, W's, the product, 1 + T·t and the quotient), 5·2⁻⁵³ of δ, so at most 0.11 ulp of the
 * result; T's distance to tanh b, 2⁻⁷ ulp; the final rounding ½ ulp: at most 0.63 ulp. From 8 on,
 * where W < 2⁻²¹ and r grows to 0.8 (in the rows whose b is moved to an exact 1 − n·2⁻⁵³), t's
 * series error (at most 2⁻³⁴, resp. 2⁻⁸ of t there) is weighted by W·|t| and stays below 0.01 ulp.
 * Measured: 0.525 ulp at most (test/simd-tanh.test.ts).
 */
const tanhKernel = inPlaceTwo("tanh", TANH_LOCALS, [
  ...rowOffsets(get("x"), TANH_LAST),
  set("a", fmin(fabs(get("x")), c(TANH_CLAMP))),
  ...loadRows(TANH_TABLE),
  set("t", lanesOf(0, get("la"), get("lb"))),
  set("w", lanesOf(1, get("la"), get("lb"))),
  set("b", lanesOf(0, get("ha"), get("hb"))),
  set("r", sub(get("a"), get("b"))),
  set("z", mul(get("r"), get("r"))),
  set("q", add(get("r"), mul(mul(get("r"), get("z")), horner(get("z"), TANH_SERIES)))),
  set("q", div(mul(get("q"), get("w")), add(c(1), mul(get("t"), get("q"))))),
  set("y", or(add(get("t"), get("q")), and(get("x"), SIGN))),
]);

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

const sigmoidKernel = inPlaceFast(
  "sigmoid",
  ["x", "y", "t", "eh", "el", "nh", "nl", "mh", "ml", "rcp", "q0", "res", ...EXP_LOCALS],
  708,
  [set("t", fneg(fabs(get("x")))), ...expCore(get("t")), ...expPair(), ...sigmoidFinish()],
  [set("t", fmax(fneg(fabs(get("x"))), c(-746))), ...expCore(get("t")), ...expPair(), ifBeyond(get("x"), 708, [...twoFactor(), ...expPair(true)]), ...sigmoidFinish()],
);


// ------------------------------------------------------------------ log, log1p

/** Bits of √½: subtracting them from a double's bits leaves its exponent e with m = x/2ᵉ in [√½, √2). */
const SQRT_HALF_BITS = bitsOf(Math.SQRT1_2);
/** Taylor coefficients 2/3, 2/5, … 2/25 of (2 atanh s − 2s)/s³ in z = s². */
const ATANH_TAYLOR = Array.from({ length: 12 }, (_, k) => dd.div([2, 0], [2 * k + 3, 0])[0]);
const LOG_LOCALS = ["ix", "e", "dk", "f", "s", "z", "hf", "w2", "w4", "w8"];

/** Added to a double's bits, leaves e + 1023 in the top 12 (never negative, so a logical shift gets it). */
const LOG_BIAS = (1023n << 52n) - SQRT_HALF_BITS;
const BIAS_BITS = 1023n << 52n;

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
const eToDouble = set("dk", sub(iadd(get("e"), ci(SHIFT_BITS)), c(SHIFT + 1023)));

const logKernel = inPlaceTwo("log", ["x", "y", "t", ...LOG_LOCALS], [
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

const log1pKernel = inPlaceTwo("log1p", ["x", "y", "t", "u", "cr", ...LOG_LOCALS], [
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

// ------------------------------------------------------------------ sin, cos

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

/**
 * A polynomial F(z) = c₀ + c₁z + … of n coefficients with z^w·F(z) ≈ g(a) at z = a² on
 * [0, zMax]: a least-squares fit in double-double on 4n Chebyshev points by its normal equations,
 * one coefficient at a time (fit all the remaining ones, keep the lowest rounded to a double, refit
 * the others to what it leaves, so that the roundings are compensated instead of adding up).
 * `g(a)` returns the target z^w·F as a double-double.
 */
function fitEven(n: number, w: number, zMax: number, g: (a: number, z: dd.DD) => dd.DD): number[] {
  const rows = Array.from({ length: 4 * n }, (_, j) => {
    const a = Math.sqrt((zMax * (1 - Math.cos(((2 * j + 1) * Math.PI) / (8 * n)))) / 2);
    const z = dd.twoProd(a, a);
    return { z, t: g(a, z) };
  });
  const powers = rows.map(({ z }) => {
    let zw: dd.DD = [1, 0];
    for (let k = 0; k < w; k++) zw = dd.mul(zw, z);
    const pw: dd.DD[] = [zw];
    for (let k = 1; k < n; k++) pw.push(dd.mul(pw[k - 1]!, z));
    return pw;
  });
  const coefs: number[] = [];
  while (coefs.length < n) {
    const fixed = coefs.length;
    const rest = rows.map(({ t }, j) => coefs.reduce((acc, ck, k) => dd.sub(acc, dd.mul([ck, 0], powers[j]![k]!)), t));
    const cols = Array.from({ length: n - fixed }, (_, i) => i + fixed);
    const dot = (u: (j: number) => dd.DD, v: (j: number) => dd.DD): dd.DD => rows.reduce<dd.DD>((acc, _, j) => dd.add(acc, dd.mul(u(j), v(j))), [0, 0]);
    const normal = cols.map((i) => cols.map((k) => dot((j) => powers[j]![i]!, (j) => powers[j]![k]!)));
    const rhs = cols.map((i) => dot((j) => powers[j]![i]!, (j) => rest[j]!));
    coefs.push(solveDD(normal, rhs)[0]![0]);
  }
  return coefs;
}

/** z^w·F(z) − g(a) relative to `scale(a)`, worst over a dense grid of [0, aMax]. */
function fitError(coefs: readonly number[], w: number, aMax: number, g: (a: number, z: dd.DD) => dd.DD, scale: (a: number) => number): number {
  let worst = 0;
  for (let i = 1; i <= 4000; i++) {
    const a = (aMax * i) / 4000;
    const z = dd.twoProd(a, a);
    let q: dd.DD = [coefs[coefs.length - 1]!, 0];
    for (let k = coefs.length - 2; k >= 0; k--) q = dd.add(dd.mul(q, z), [coefs[k]!, 0]);
    for (let k = 0; k < w; k++) q = dd.mul(q, z);
    worst = Math.max(worst, Math.abs(dd.sub(q, g(a, z))[0] / scale(a)));
  }
  return worst;
}

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

/**
 * Where the per-lane polynomial coefficients live (after pow's log table, before the constant
 * pool): 4 rows of 128 bytes, row m (bit i set when lane i takes cos) holding in slot k the
 * two-lane vector (lane i: Q's kᵗʰ coefficient if bit i is set, else P's), Q padded with 0.
 */
export const TRIG_TABLE = 6144;
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
function trigTableBytes(): string {
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
/** Where sin and cos's table lives (after tanh's). */
export const SIN_TABLE = 43008;
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
function sinTable(): number[][] {
  const rows: number[][] = [[0, 1, 0, 0]];
  for (let j = 1; j <= SIN_LAST; j++) {
    const { centre } = rowSpan(j);
    const s = dd.sinDD(centre);
    const co = dd.cosDD(centre);
    const near = (d: number): dd.DD => dd.sub(dd.add(s, dd.mul(co, [d, 0])), dd.mul(s, [(d * d) / 2, 0]));
    const b = accuratePoint(centre, Math.max(ulpOf(centre) * 2 ** 20, (2 ** 9 * ulpOf(s[0])) / co[0]), dd.sinDD, near);
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
function trigKernel(name: string, offset: number): string {
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

// ------------------------------------------------------------------ pow

/** The log table of pow: 128 intervals of m (the bits of m minus those of √½, 7 bits below the exponent). */
export const LOG_TABLE = EXP_TABLE + EXP_N * 16;
const LOG_BITS = 7;
const LOG_N = 1 << LOG_BITS;
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
const powKernel = `
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
function logTableBytes(): string {
  const buf = new DataView(new ArrayBuffer(LOG_N * 32));
  logTable().forEach(([centre, hi, lo], i) => {
    buf.setFloat64(i * 32, centre, true);
    buf.setFloat64(i * 32 + 8, hi, true);
    buf.setFloat64(i * 32 + 16, lo, true);
  });
  return [...new Uint8Array(buf.buffer)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
}

export const source = `;; Generated by scripts/gen-simd-math.ts; do not edit.
(module
  (memory (export "memory") ${PAGES})
  ${expKernel}
  ${expm1Kernel}
  ${tanhKernel}
  ${sigmoidKernel}
  ${logKernel}
  ${log1pKernel}
  ${trigKernel("sin", 0)}
  ${trigKernel("cos", 1)}
  ${powKernel}
  ${pairwise("sum", false)}
  ${pairwise("dot", true)}
  ${extremum("max")}
  ${extremum("min")}
  (data (i32.const ${EXP_TABLE}) "${expTableBytes()}")
  (data (i32.const ${LOG_TABLE}) "${logTableBytes()}")
  (data (i32.const ${TRIG_TABLE}) "${trigTableBytes()}")
  (data (i32.const ${CONST_TABLE}) "${constPoolBytes()}")
  (data (i32.const ${TANH_TABLE}) "${rowTableBytes("tanh", TANH_TABLE, SIN_TABLE, tanhTable())}")
  (data (i32.const ${SIN_TABLE}) "${rowTableBytes("sin", SIN_TABLE, SCRATCH_A, sinTable())}")
)
`;

/** The bytes of the constant pool (each constant twice, one per lane). */
function constPoolBytes(): string {
  if (constPool.size * 16 > TANH_TABLE - CONST_TABLE) throw new Error("gen-simd-math: the constant pool overlaps the tanh table");
  const buf = new DataView(new ArrayBuffer(constPool.size * 16));
  for (const [bits, slot] of constPool) {
    buf.setBigUint64(slot * 16, bits, true);
    buf.setBigUint64(slot * 16 + 8, bits, true);
  }
  return [...new Uint8Array(buf.buffer)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("");
}

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
