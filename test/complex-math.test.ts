/**
 * @file The complex elementwise kernels against NumPy 2 and exact values: special values (±0, ±∞,
 * NaN, sides of the branch cuts) and accuracy over a grid of huge, tiny and edge points.
 *
 * The fixture test/fixtures/complex-math.json is written by test/fixtures/gen-complex-math.py
 * (NumPy 2.4 with glibc's complex functions, mpmath at 400 digits where NumPy's value is not
 * correctly rounded); no Python runs here.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { complexUnaryKernels, complexPower, type ComplexUnaryName } from "../src/kernels/complex-math.ts";

type Enc = number | "inf" | "-inf" | "nan";
type Pair = [Enc, Enc];
interface Fixture {
  points: Pair[];
  points64: Pair[];
  unary: Record<string, { numpy: Pair[]; exact: Record<string, Pair> }>;
  unary64: Record<string, Pair[]>;
  power: { z: Pair[]; w: Pair[]; numpy: Pair[]; exact: Record<string, Pair> };
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/complex-math.json", import.meta.url), "utf8")) as Fixture;
const dec = (v: Enc): number => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : v);
const decPair = (p: Pair): [number, number] => [dec(p[0]), dec(p[1])];
const EPS = 2 ** -52;
const EPS32 = 2 ** -23;
const show = (a: number, b: number): string => `(${Object.is(a, -0) ? "-0" : a}, ${Object.is(b, -0) ? "-0" : b})`;

/**
 * The largest error in the complex norm, |w − ref| / max(|ref|, 2⁻¹⁰²²) (absolute below the
 * smallest normal double, where results have fewer digits), against the correctly rounded value,
 * measured on the fixture's finite points, per function: the bound each test asserts, in units of
 * ε = 2⁻⁵² (so 1.0 is two half-ulps of the larger part). exp2 is measured for |Im z| < 2⁵³ only.
 */
const MAX_ERROR: Record<ComplexUnaryName, number> = {
  exp: 1.1, expm1: 1.2, exp2: 1.1, log: 1.0, log2: 1.2, log10: 1.0, log1p: 1.8, sqrt: 1.0, square: 1.0,
  reciprocal: 1.2, sign: 1.2, sin: 1.1, cos: 1.0, tan: 1.6, arcsin: 1.1, arccos: 1.0, arctan: 1.0,
  sinh: 1.0, cosh: 1.0, tanh: 1.4, arcsinh: 1.2, arccosh: 1.0, arctanh: 1.0,
};

/**
 * Where NumPy's special values are not the ones taken here, and why (each is still checked, against
 * the value given here). Returns the expected pair, or undefined to compare with NumPy.
 */
const deviation: Partial<Record<ComplexUnaryName, (x: number, y: number, k: number) => [number, number] | "skip" | undefined>> = {
  // NumPy's own expm1 formula, expm1(x)cos y − 2sin²(y/2) + i eˣ sin y, turns ∞·0 into NaN and
  // overflows eˣ·sin y at x = 711; taken here: e^z − 1 with C99's special values of e^z.
  expm1: (x, y, k) => {
    if (Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) < 709) return undefined;
    const [er, ei] = decPair(fx.unary.exp!.numpy[k]!);
    return Number.isFinite(er) && Number.isFinite(ei) && Math.abs(x) < 709 ? undefined : [er - 1, ei];
  },
  // 2^z rounds y·ln 2 once; beyond |y| = 2⁵³ that rounding is larger than a turn (NumPy's too). NumPy
  // gives +0 for Im 2^{x − i0}; taken here: −0, as f(z̄) = f(z)‾.
  exp2: (x, y) => (Math.abs(y) >= 2 ** 53 ? "skip" : y === 0 && Number.isFinite(x) ? [2 ** x, y] : undefined),
  // NumPy's x² − y² gives NaN (∞ − ∞) where one part is infinite and the other's square overflows;
  // taken here: (x − y)(x + y), which is ±∞ there.
  square: (x, y) => (Math.abs(x) > 1e154 && Math.abs(y) > 1e154 && (Math.abs(x) === Infinity) !== (Math.abs(y) === Infinity) ? "skip" : undefined),
};

function run(name: ComplexUnaryName, pts: [number, number][], f32 = false): Float64Array | Float32Array {
  const make = (n: number) => (f32 ? new Float32Array(n) : new Float64Array(n));
  const x = make(2 * pts.length);
  pts.forEach(([a, b], k) => ((x[2 * k] = a), (x[2 * k + 1] = b)));
  const out = make(2 * pts.length);
  complexUnaryKernels[name](x, out, pts.length);
  return out;
}

/** Same special value: NaN for NaN, the same infinity, the same signed zero (when ours is zero too). */
function sameSpecial(ours: number, ref: number): boolean {
  if (Number.isNaN(ref)) return Number.isNaN(ours);
  if (!Number.isFinite(ref)) return ours === ref;
  if (ref === 0 && ours === 0) return Object.is(ours, ref);
  return !Number.isNaN(ours);
}

function relError(or: number, oi: number, rr: number, ri: number): number {
  return Math.hypot(or - rr, oi - ri) / Math.max(Math.hypot(rr, ri), 2 ** -1022);
}

interface Check {
  inputs: number[][];
  ours: Float64Array | Float32Array;
  numpy: [number, number][];
  exact: Record<string, Pair>;
  expect?: (k: number) => [number, number] | "skip" | undefined;
}

/** The special-value mismatches and the largest relative error over one function's points. */
function compare(c: Check): { mismatches: string[]; maxError: number } {
  const mismatches: string[] = [];
  let maxError = 0;
  for (let k = 0; k < c.inputs.length; k++) {
    const [or, oi] = [c.ours[2 * k]!, c.ours[2 * k + 1]!];
    const dev = c.expect?.(k);
    if (dev === "skip") continue;
    const ex = c.exact[String(k)] ? decPair(c.exact[String(k)]!) : undefined;
    const exFinite = ex !== undefined && Number.isFinite(ex[0]) && Number.isFinite(ex[1]);
    const ref = dev ?? (exFinite ? ex : c.numpy[k]!);
    // Where NumPy overflows to NaN but the exact value is infinite, either is accepted.
    const special = (r: [number, number]) => sameSpecial(or, r[0]) && sameSpecial(oi, r[1]);
    if (!special(ref) && !(ex && !exFinite && special(ex))) {
      mismatches.push(`${c.inputs[k]!.map((v, i) => (i % 2 ? "" : show(v, c.inputs[k]![i + 1]!))).join(" ")}: ours ${show(or, oi)}, expected ${show(...ref)}`);
      continue;
    }
    if (Number.isFinite(ref[0]) && Number.isFinite(ref[1])) maxError = Math.max(maxError, relError(or, oi, ref[0], ref[1]));
  }
  return { mismatches, maxError };
}

const points = fx.points.map(decPair);

describe("complex unary kernels vs NumPy 2 (special values) and exact values (accuracy)", () => {
  for (const name of Object.keys(complexUnaryKernels) as ComplexUnaryName[]) {
    it(`${name}: special values as NumPy's, error within ${MAX_ERROR[name]} ε`, () => {
      const f = fx.unary[name]!;
      const dev = deviation[name];
      const { mismatches, maxError } = compare({
        inputs: points,
        ours: run(name, points),
        numpy: f.numpy.map(decPair),
        exact: f.exact,
        expect: dev && ((k) => dev(points[k]![0], points[k]![1], k)),
      });
      expect(mismatches).toEqual([]);
      expect(maxError / EPS).toBeLessThanOrEqual(MAX_ERROR[name]);
    });
  }

  it("complex64 (Float32Array): within 2 ulp of NumPy's single-precision values", () => {
    const pts64 = fx.points64.map(decPair);
    const worst: Record<string, number> = {};
    for (const name of Object.keys(complexUnaryKernels) as ComplexUnaryName[]) {
      const ours = run(name, pts64, true);
      const { mismatches, maxError } = compare({ inputs: pts64, ours, numpy: fx.unary64[name]!.map(decPair), exact: {} });
      expect(mismatches, name).toEqual([]);
      worst[name] = maxError / EPS32;
    }
    // NumPy's complex64 functions run in single precision (1–2 ulp off); ours round a double result
    // once. Measured: at most 2.0 ε₃₂ (tan), most below 1.2.
    for (const [name, e] of Object.entries(worst)) expect(e, name).toBeLessThanOrEqual(2);
  });
});

describe("complex power vs NumPy 2", () => {
  const z = fx.power.z.map(decPair);
  const w = fx.power.w.map(decPair);
  const x = new Float64Array(z.flat());
  const y = new Float64Array(w.flat());
  const out = new Float64Array(x.length);
  complexPower(x, y, out, z.length);

  it("special values (0^w, w = 0, integer powers, overflow) as NumPy's", () => {
    const { mismatches } = compare({
      inputs: z.map((p, k) => [...p, ...w[k]!]),
      ours: out,
      numpy: fx.power.numpy.map(decPair),
      exact: {},
      // The sign of a zero from e^{−∞ + i·NaN} follows the sign of a NaN, which JS cannot see.
      expect: (k) => (!Number.isFinite(z[k]![0]) || !Number.isFinite(z[k]![1]) ? "skip" : undefined),
    });
    expect(mismatches).toEqual([]);
  });

  it("accuracy: integer powers bit-for-bit as NumPy's repeated squaring, others within 230 ε (|w log z| magnifies the rounding of log z; measured 223 ε)", () => {
    const np = fx.power.numpy.map(decPair);
    let maxOther = 0;
    for (let k = 0; k < z.length; k++) {
      const [c, d] = w[k]!;
      const [rr, ri] = fx.power.exact[String(k)] ? decPair(fx.power.exact[String(k)]!) : np[k]!;
      if (!Number.isFinite(rr) || !Number.isFinite(ri) || !Number.isFinite(out[2 * k]!)) continue;
      if (d === 0 && Number.isInteger(c) && Math.abs(c) < 100) {
        expect([out[2 * k], out[2 * k + 1]], `${show(...z[k]!)}^${c}`).toEqual(np[k]);
      } else {
        maxOther = Math.max(maxOther, relError(out[2 * k]!, out[2 * k + 1]!, rr, ri));
      }
    }
    expect(maxOther / EPS).toBeLessThanOrEqual(230);
  });
});

describe("closed forms and branch cuts", () => {
  const one = (name: ComplexUnaryName, re: number, im: number): [number, number] => {
    const out = new Float64Array(2);
    complexUnaryKernels[name](new Float64Array([re, im]), out, 1);
    return [out[0]!, out[1]!];
  };
  it("Euler's formula: e^{iθ} = cos θ + i sin θ, e^{iπ} + 1 ≈ 0", () => {
    for (const t of [0, 0.3, 1, Math.PI / 2, 2.5, -7]) {
      const [re, im] = one("exp", 0, t);
      expect(re).toBe(Math.cos(t));
      expect(im).toBe(Math.sin(t));
    }
    const [re, im] = one("exp", 0, Math.PI);
    expect(Math.abs(re + 1)).toBeLessThan(1e-16);
    expect(Math.abs(im)).toBeLessThan(2e-16);
  });
  it("the sign of a zero picks the side of a cut", () => {
    expect(one("sqrt", -4, 0)).toEqual([0, 2]);
    expect(one("sqrt", -4, -0)).toEqual([0, -2]);
    expect(one("log", -1, 0)).toEqual([0, Math.PI]);
    expect(one("log", -1, -0)).toEqual([0, -Math.PI]);
    expect(one("arcsin", 2, 0)[1]).toBeGreaterThan(0);
    expect(one("arcsin", 2, -0)[1]).toBeLessThan(0);
    expect(one("arctan", 0, 2)[0]).toBeCloseTo(Math.PI / 2, 15);
    expect(one("arctan", -0, 2)[0]).toBeCloseTo(-Math.PI / 2, 15);
    expect(one("arccosh", -2, 0)[1]).toBeCloseTo(Math.PI, 15);
    expect(one("arccosh", -2, -0)[1]).toBeCloseTo(-Math.PI, 15);
  });
  it("log1p and expm1 keep their digits near 0, where NumPy's log1p returns 0", () => {
    expect(one("log1p", 1e-20, 0)).toEqual([1e-20, 0]);
    expect(one("log1p", 0, 1e-9)[0]).toBeCloseTo(5e-19, 30);
    expect(one("expm1", 1e-20, 1e-20)).toEqual([1e-20, 1e-20]);
  });
  it("no overflow in |z|: sqrt, log, sign, reciprocal of the largest doubles", () => {
    const M = Number.MAX_VALUE;
    expect(one("sqrt", M, M)[0]).toBeCloseTo(Math.sqrt(M) * 1.0986841134678098, -140);
    expect(one("log", M, M)[0]).toBeCloseTo(Math.log(M) + Math.LN2 / 2, 12);
    expect(one("sign", M, -M)).toEqual([Math.SQRT1_2, -Math.SQRT1_2].map((v) => v * (1 - EPS / 2)));
    const [rr, ri] = one("reciprocal", M, M); // (1 − i)/(2M), subnormal: NumPy's gives 0
    expect(rr / (0.5 / M)).toBeCloseTo(1, 10);
    expect(ri / (-0.5 / M)).toBeCloseTo(1, 10);
  });
  it("only the first n elements are written", () => {
    const out = new Float64Array([7, 7, 7, 7]);
    complexUnaryKernels.exp(new Float64Array([0, 0, 1, 1]), out, 1);
    expect([...out]).toEqual([1, 0, 7, 7]);
  });
});
