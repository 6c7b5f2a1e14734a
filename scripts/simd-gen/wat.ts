/**
 * @file A small WAT vocabulary for the SIMD math kernels: f64x2 and i64x2 operations, polynomial
 * schemes, exact sums, and the loop skeletons the kernels run in.
 */
import { c, ci } from "./constants.ts";

export const get = (name: string): string => `(local.get $${name})`;
export const set = (name: string, e: string): string => `(local.set $${name} ${e})`;
const op = (name: string) => (...args: string[]): string => `(${name} ${args.join(" ")})`;
export const add = op("f64x2.add");
export const sub = op("f64x2.sub");
export const mul = op("f64x2.mul");
export const div = op("f64x2.div");
/** min(a, C) and max(a, C) as clamps: `pmin`/`pmax` are one instruction each (`min`/`max` are
 * several, for IEEE ±0 and NaN ordering) and keep a NaN in `a`. */
export const fmin = op("f64x2.pmin");
export const fmax = op("f64x2.pmax");
export const fabs = op("f64x2.abs");
export const fneg = op("f64x2.neg");
export const lt = op("f64x2.lt");
export const le = op("f64x2.le");
export const gt = op("f64x2.gt");
export const ge = op("f64x2.ge");
export const feq = op("f64x2.eq");
export const iadd = op("i64x2.add");
export const isub = op("i64x2.sub");
export const ishl = (a: string, n: number): string => `(i64x2.shl ${a} (i32.const ${n}))`;
/** Arithmetic shift right: no SSE instruction, so V8 emulates it; used only on rare slow paths. */
export const ishr = (a: string, n: number): string => `(i64x2.shr_s ${a} (i32.const ${n}))`;
export const ushr = (a: string, n: number): string => `(i64x2.shr_u ${a} (i32.const ${n}))`;
export const and = op("v128.and");
export const or = op("v128.or");
export const xor = op("v128.xor");
export const andnot = op("v128.andnot");
/** Lanes of `a` where `mask` is set, of `b` elsewhere. */
export const select = (a: string, b: string, mask: string): string => `(v128.bitselect ${a} ${b} ${mask})`;
export const SIGN = ci(-0x8000000000000000n);

// ------------------------------------------------------------------ polynomials

/** Horner's scheme: coefs[0] + x·(coefs[1] + x·(…)). */
export function horner(x: string, coefs: readonly number[]): string {
  let e = c(coefs[coefs.length - 1]!);
  for (let i = coefs.length - 2; i >= 0; i--) e = add(c(coefs[i]!), mul(x, e));
  return e;
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
export const leadThenEstrin = (x: string, coefs: readonly Coef[], powers: readonly string[]): string =>
  add(coef(coefs[0]!), mul(x, estrin(x, coefs.slice(1), powers)));
/** Sets the locals `powers` to x², x⁴, x⁸ (as many as named). */
export const powersOf = (x: string, powers: readonly string[]): string[] =>
  powers.map((p, i) => set(p, i === 0 ? mul(x, x) : mul(get(powers[i - 1]!), get(powers[i - 1]!))));

// ------------------------------------------------------------------ exact sums and splits

/** (s, err) = TwoSum(a, b): s + err = a + b exactly. */
export function twoSum(s: string, err: string, a: string, b: string): string[] {
  return [set(s, add(a, b)), set("bb", sub(get(s), a)), set(err, add(sub(a, sub(get(s), get("bb"))), sub(b, get("bb"))))];
}

/** Dekker's split: the leading 26 bits of a (to `hi`), for products that are exact. */
const SPLITTER = 134217729;
export function split(hi: string, a: string): string[] {
  return [set("bb", mul(a, c(SPLITTER))), set(hi, sub(get("bb"), sub(get("bb"), a)))];
}

// ------------------------------------------------------------------ loops

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

/**
 * A function looping over `n` doubles at `p` in place, two vectors a step (`pairLoop`), with a
 * body that reads `x` and sets `y`: `body` for `x` and for `x_2`, interleaved line by line; the
 * locals in `shared` (accumulators) are not duplicated.
 */
export function inPlaceTwo(name: string, locals: readonly string[], body: string[], extra = "", shared: readonly string[] = []): string {
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
export function hoistConstants(text: string): { text: string; consts: [string, string][] } {
  const consts = new Map<string, string>();
  const out = text.replace(/\(v128\.load offset=(\d+) \(i32\.const 0\)\)/g, (load, offset: string) => {
    const l = `$k${offset}`;
    consts.set(l, load);
    return `(local.get ${l})`;
  });
  return { text: out, consts: [...consts] };
}

/**
 * A function looping over `n` doubles at `p` in place, two vectors per iteration, so that their
 * dependency chains overlap, with a fast body that is right only where no lane has |x| > `limit`
 * (and NaN): when a lane of either vector is beyond, both are recomputed by `slow`, which is right
 * everywhere. An odd vector at the end goes through the same test alone.
 */
export function inPlaceFast(name: string, locals: readonly string[], limit: number, fast: string[], slow: string[]): string {
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
