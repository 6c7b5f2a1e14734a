/**
 * @file The WebAssembly SIMD math kernels (`src/kernels/simd.ts`) against double-double references
 * (`scripts/double-double.ts`): the error in ulps of the exact value on random points over wide
 * ranges (log-uniform magnitudes, both signs, the subnormal and overflow ends) must stay ≤ 1; special
 * values (±0, ±∞, NaN, the overflow and underflow thresholds, huge sin/cos arguments) must be
 * exactly what `Math` gives. CI draws `SIMD_ULP_POINTS` (default 4000) points per function; a local
 * run takes 40000 unless told otherwise. Also: the committed `math.wat` is what the generator writes,
 * and the eager primitives use the kernels above their length threshold.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simdMath, simdPow, simdUnary, type SimdUnaryName } from "../src/kernels/simd.ts";
import { SIMD_MIN_LENGTH } from "../src/kernels/elementwise.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import * as d from "../scripts/double-double.ts";
import { source, watFile } from "../scripts/gen-simd-math.ts";
import * as np from "autograd-ts/numpy";

const POINTS = Number(process.env["SIMD_ULP_POINTS"] ?? (process.env["CI"] ? 4000 : 40000));

/** A random double with magnitude log-uniform over [2^lo, 2^hi] and a random sign (or only positive). */
function logUniform(rand: () => number, lo: number, hi: number, signed = true): number {
  const v = 2 ** (lo + (hi - lo) * rand());
  return signed && rand() < 0.5 ? -v : v;
}

/** The next double up and down (finite x). */
function nextUp(x: number): number {
  if (x === 0) return 5e-324;
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  v.setBigInt64(0, v.getBigInt64(0) + (x > 0 ? 1n : -1n));
  return v.getFloat64(0);
}
const nextDown = (x: number): number => -nextUp(-x);

interface Case {
  readonly name: SimdUnaryName;
  /** Random arguments: a mix of ranges that exercise every path of the kernel. */
  readonly draw: (rand: () => number) => number;
  /** The exact value, as a scaled double-double. */
  readonly exact: (x: number) => d.Scaled;
  /** The IEEE/`Math` function, for special values. */
  readonly math: (x: number) => number;
}

const dd = (f: (x: number) => d.DD) => (x: number): d.Scaled => ({ m: f(x), k: 0 });
/** The logistic function from Math.exp, each side in its non-overflowing form (for special values). */
const sigmoidMath = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const cases: Case[] = [
  { name: "exp", draw: (r) => (r() < 0.7 ? (r() - 0.5) * 1500 : logUniform(r, -60, 6)), exact: (x) => d.expScaled([x, 0]), math: Math.exp },
  { name: "expm1", draw: (r) => (r() < 0.5 ? (r() - 0.5) * 120 : logUniform(r, -60, 3)), exact: d.expm1Scaled, math: Math.expm1 },
  { name: "tanh", draw: (r) => (r() < 0.5 ? (r() - 0.5) * 50 : logUniform(r, -60, 2)), exact: dd(d.tanhDD), math: Math.tanh },
  { name: "sigmoid", draw: (r) => (r() < 0.5 ? (r() - 0.5) * 1500 : logUniform(r, -60, 6)), exact: d.sigmoidScaled, math: sigmoidMath },
  { name: "log", draw: (r) => (r() < 0.3 ? 0.5 + r() * 1.5 : logUniform(r, -1074, 1023, false)), exact: dd((x) => d.logDD([x, 0])), math: Math.log },
  {
    name: "log1p",
    draw: (r) => (r() < 0.3 ? -1 + logUniform(r, -60, 0, false) : r() < 0.5 ? logUniform(r, -60, 0) : logUniform(r, -10, 1023, false)),
    exact: dd(d.log1pDD),
    math: Math.log1p,
  },
  { name: "sin", draw: (r) => (r() < 0.5 ? (r() - 0.5) * 20 : r() < 0.9 ? logUniform(r, -40, 21) : logUniform(r, 21, 1023)), exact: dd(d.sinDD), math: Math.sin },
  { name: "cos", draw: (r) => (r() < 0.5 ? (r() - 0.5) * 20 : r() < 0.9 ? logUniform(r, -40, 21) : logUniform(r, 21, 1023)), exact: dd(d.cosDD), math: Math.cos },
];

/** Arguments where formulas break: zeros, infinities, NaN, thresholds, subnormals, multiples of π/2. */
const SPECIAL = [
  0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 1 / 16, -1 / 16, 2 ** -1022, -(2 ** -1022), 5e-324, -5e-324, 1e-300,
  -1e-300, 1e-20, -1e-20, 20, -20, 40, -40, 709, 709.782712893384, 709.7827128933841, 710, -708.3964185322641,
  -708.4, -745.1332191019411, -745.1332191019412, -746, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE,
  Math.PI, -Math.PI, Math.PI / 2, Math.PI / 4, 1.6e6, 1.6000000000000002e6, 22, 355, 1e22, 2 ** 52, 0.6931471805599453,
  Math.SQRT2, Math.SQRT1_2, -0.2928932188134524, 0.41421356237309515, -0.9999999999999999, 1e-310,
];

describe("SIMD math kernels", () => {
  it("the committed math.wat is what scripts/gen-simd-math.ts writes", () => {
    expect(readFileSync(watFile, "utf8")).toBe(source);
  });

  it("WebAssembly SIMD is available here (else every test below would test the fallback)", () => {
    expect(simdMath()).not.toBeNull();
  });

  it.each(cases)("$name: within 1 ulp of the exact value on random points over wide ranges", ({ name, draw, exact, math }) => {
    const rand = mulberry32(0x5eed + name.length * 7919 + name.charCodeAt(0));
    const x = new Float64Array(POINTS);
    for (let i = 0; i < POINTS; i++) x[i] = draw(rand);
    const out = new Float64Array(POINTS);
    expect(simdUnary(name, x, out)).toBe(true);
    let worst = 0;
    let worstAt = NaN;
    for (let i = 0; i < POINTS; i++) {
      const v = x[i]!;
      const m = math(v);
      // Results that are ±∞, NaN or exactly 0 are checked for equality (the references are finite).
      if (!Number.isFinite(m) || m === 0) {
        if (!Object.is(out[i], m)) throw new Error(`${name}(${v}) = ${out[i]}, Math gives ${m}`);
        continue;
      }
      const err = d.ulpError(out[i]!, exact(v));
      if (!(err <= worst)) {
        worst = err;
        worstAt = v;
      }
    }
    // Printed so that a run reports the measured maximum (see the report of issue #10).
    console.log(`${name}: max error ${worst.toFixed(3)} ulp over ${POINTS} points (at x = ${worstAt})`);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it.each(cases)("$name: special values exactly as Math, finite ones within 1 ulp", ({ name, exact, math }) => {
    const x = Float64Array.from(SPECIAL);
    const out = new Float64Array(x.length);
    simdUnary(name, x, out);
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const m = math(v);
      if (!Number.isFinite(v) || !Number.isFinite(m) || m === 0 || Number.isNaN(m)) {
        expect(Object.is(out[i], m), `${name}(${v}) = ${out[i]}, Math gives ${m}`).toBe(true);
      } else {
        expect(d.ulpError(out[i]!, exact(v)), `${name}(${v})`).toBeLessThanOrEqual(1);
        // Odd functions keep the sign of zero; every result has the sign of the exact value.
        expect(Math.sign(out[i]!)).toBe(Math.sign(m));
      }
    }
  });

  // Most kernels take two vectors a step and an odd last vector alone: every length parity.
  it.each(cases)("$name: every position of a chunk and odd lengths (the padded last lane, the odd last vector) are computed", ({ name, draw, exact, math }) => {
    const rand = mulberry32(0x0dd + name.length);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 2047, 2048, 2049, 2050, 2051, 4097]) {
      const x = Float64Array.from({ length: n }, () => draw(rand));
      const out = new Float64Array(n).fill(NaN);
      simdUnary(name, x, out);
      for (let i = 0; i < n; i++) {
        const m = math(x[i]!);
        if (!Number.isFinite(m) || m === 0) expect(Object.is(out[i], m), `${name}(${x[i]}) at ${i} of ${n}`).toBe(true);
        else expect(d.ulpError(out[i]!, exact(x[i]!)), `${name}(${x[i]}) at ${i} of ${n}`).toBeLessThanOrEqual(1);
      }
    }
  });

  // exp, expm1 and sigmoid take two vectors a step with a fast body, and both again through the
  // slow one when a lane of either is out of its range (|x| > 708), an odd vector at the end alone;
  // tanh takes two vectors a step too, its lanes clamped at 20 and NaN sent to its last row:
  // out-of-range and tiny lanes at every offset of the pair and the tail.
  it.each(cases.filter((c) => ["exp", "expm1", "tanh", "sigmoid"].includes(c.name)))(
    "$name: in-range, out-of-range and tiny lanes at every position of a step and of the odd last vector",
    ({ name, exact, math }) => {
      const odd = [800, -800, 30, -30, 1e-5, -1e-5, 0, -0, Infinity, -Infinity, NaN];
      for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2049]) {
        for (let at = 0; at < Math.min(n, 10); at++) {
          const x = Float64Array.from({ length: n }, (_, i) => (i % 13) / 3 - 2);
          x[at] = odd[(at + n) % odd.length]!;
          const out = new Float64Array(n).fill(12345);
          simdUnary(name, x, out);
          for (let i = 0; i < n; i++) {
            const m = math(x[i]!);
            if (!Number.isFinite(m) || m === 0 || Number.isNaN(m) || !Number.isFinite(x[i]!)) {
              expect(Object.is(out[i], m), `${name}(${x[i]}) at ${i} of ${n} = ${out[i]}, Math gives ${m}`).toBe(true);
            } else {
              expect(d.ulpError(out[i]!, exact(x[i]!)), `${name}(${x[i]}) at ${i} of ${n}`).toBeLessThanOrEqual(1);
            }
          }
        }
      }
    },
  );

  it("sin and cos of huge arguments (past the kernel's range) are Math's, wherever they sit in a chunk", () => {
    const x = Float64Array.from({ length: 3001 }, (_, i) => (i % 3 === 0 ? 1e6 * (i + 1) + 0.5 : i / 100));
    x[2999] = 1e300;
    x[3000] = -Infinity;
    for (const [name, f] of [["sin", Math.sin], ["cos", Math.cos]] as const) {
      const out = new Float64Array(x.length);
      simdUnary(name, x, out);
      for (let i = 0; i < x.length; i++) {
        if (!(Math.abs(x[i]!) <= 1.6e6)) expect(Object.is(out[i], f(x[i]!))).toBe(true);
        else expect(d.ulpError(out[i]!, { m: (name === "sin" ? d.sinDD : d.cosDD)(x[i]!), k: 0 })).toBeLessThanOrEqual(1);
      }
    }
  });
});

// sin and cos take one of four bodies per vector by its largest |x|: ≤ TRIG_SMALL (just under
// π/4) the polynomial of x alone, ≤ 1.5 (sin) or 1.2 (cos) the table (test/simd-trig-table.test.ts
// sweeps it), ≤ 400 a short three-part reduction, else the four-part one; each range below keeps
// most vectors on one body, so a broken body fails its own range.
describe("SIMD sin and cos by path", () => {
  const trig = [
    { name: "sin" as const, exact: d.sinDD, math: Math.sin },
    { name: "cos" as const, exact: d.cosDD, math: Math.cos },
  ];
  const ranges: [string, number][] = [
    ["the polynomial of x (|x| ≤ 0.785)", 0.785],
    ["the table (|x| ≤ 1.1)", 1.1],
    ["sin: the table, cos: the table or the short reduction (|x| ≤ 1.5)", 1.5],
    ["the short reduction (|x| ≤ 4)", 4],
    ["the short reduction (|x| ≤ 100)", 100],
    ["the short reduction (|x| ≤ 400)", 400],
    ["the four-part reduction (|x| ≤ 1e4)", 1e4],
    ["the four-part reduction (|x| ≤ 1.6e6)", 1.6e6],
  ];
  const cases = trig.flatMap((f) => ranges.map(([label, bound]) => ({ ...f, label, bound })));

  it.each(cases)("$name, $label: within 1 ulp on random points", ({ name, exact, bound }) => {
    const rand = mulberry32(0x7219 + Math.round(Math.log2(bound) * 97) + name.length);
    // Uniform over the range, and a quarter log-uniform (small magnitudes, where sin's relative error shows).
    const x = Float64Array.from({ length: POINTS }, (_, i) => (i % 4 === 3 ? Math.min(logUniform(rand, -60, Math.log2(bound)), bound) : (2 * rand() - 1) * bound));
    const out = new Float64Array(POINTS);
    simdUnary(name, x, out);
    let worst = 0;
    let worstAt = NaN;
    for (let i = 0; i < POINTS; i++) {
      const err = d.ulpError(out[i]!, { m: exact(x[i]!), k: 0 });
      if (!(err <= worst)) {
        worst = err;
        worstAt = x[i]!;
      }
    }
    console.log(`${name} |x| ≤ ${bound}: max error ${worst.toFixed(3)} ulp over ${POINTS} points (at x = ${worstAt})`);
    expect(worst).toBeLessThanOrEqual(1);
  });

  /**
   * Doubles next to k·π/2, a few ulps either side: r tiny, every digit of π/2 used. Every k of the
   * short reduction (|x| ≤ 400: k ≤ 255) and beyond, so that its worst case (the smallest |r|,
   * always at a double adjacent to some k·π/2) is among them; then a few k of the four-part one.
   */
  const nearMultiples = (): number[] => {
    const out: number[] = [];
    for (const k of [...Array.from({ length: 300 }, (_, i) => i + 1), 1000, 6000, 1e5, 1e6]) {
      const m = (k * Math.PI) / 2;
      let v = m;
      for (let s = 0; s < 4; s++) v = nextDown(v);
      for (let s = 0; s < 9; s++, v = nextUp(v)) if (Math.abs(v) <= 1.6e6) out.push(v, -v);
    }
    return out;
  };
  const EDGES = [
    0, -0, 5e-324, -5e-324, 2 ** -1022, -(2 ** -1022), 1e-310, 1e-200, 2 ** -27, 1e-8, 0.1,
    ...[Math.PI / 4, 0.7853981633972, 0.785, 0.7854, 1.2, 1.5, 400, 1.6e6].flatMap((b) => [nextDown(nextDown(b)), nextDown(b), b, nextUp(b), nextUp(nextUp(b))]).flatMap((b) => [b, -b]),
    ...nearMultiples(),
    6381956970095103 * 2 ** -40, 1e6 + 0.5, 1.6e6 + 1, 1e22, 1e300, Number.MAX_VALUE, Infinity, -Infinity, NaN,
  ];

  // Each edge point next to a companion lane that puts the vector on each body (0.1: the edge
  // point alone decides; 1: the table or beyond; 2: the short reduction or beyond; 1000: the
  // four-part one), in either lane.
  it.each(trig)("$name: edge points in either lane beside each body's companion: Math's specials, 1 ulp elsewhere", ({ name, exact, math }) => {
    for (const companion of [0.1, 1, -2, 1000]) {
      for (const lane of [0, 1]) {
        const x = new Float64Array(2 * EDGES.length);
        EDGES.forEach((v, i) => {
          x[2 * i + lane] = v;
          x[2 * i + 1 - lane] = companion;
        });
        const out = new Float64Array(x.length);
        simdUnary(name, x, out);
        for (let i = 0; i < x.length; i++) {
          const v = x[i]!;
          if (!Number.isFinite(v) || Math.abs(v) > 1.6e6 || v === 0) {
            expect(Object.is(out[i], math(v)), `${name}(${v}) = ${out[i]} beside ${companion}, Math gives ${math(v)}`).toBe(true);
          } else {
            expect(d.ulpError(out[i]!, { m: exact(v), k: 0 }), `${name}(${v}) beside ${companion}`).toBeLessThanOrEqual(1);
          }
        }
      }
    }
  });
});

describe("SIMD tanh", () => {
  /** n doubles on each side of v (v included), one ulp apart. */
  const around = (v: number, n: number): number[] => {
    const out: number[] = [];
    const buf = new Float64Array(1);
    const bits = new BigInt64Array(buf.buffer);
    buf[0] = v;
    const at = bits[0]!;
    for (let k = -n; k <= n; k++) {
      bits[0] = at + BigInt(k);
      out.push(buf[0]!);
    }
    return out;
  };
  // 0.55 (where an earlier kernel switched formulas); tanh crosses ½ (a power of two, where an ulp
  // halves) at atanh ½ = 0.5493…, and rounds to 1 from 19.06 on. The table's rows and their
  // edges are swept in test/simd-tanh.test.ts.
  const edges = [
    ...around(0.55, 300),
    ...around(Math.atanh(0.5), 300),
    ...around(0.5, 50),
    ...around(1, 50),
    ...around(2 ** -26, 50),
    ...Array.from({ length: 2001 }, (_, i) => 0.53 + (0.04 * i) / 2000),
    ...Array.from({ length: 4001 }, (_, i) => 19 + (4 * i) / 4000),
    ...Array.from({ length: 2000 }, (_, i) => 2 ** (-1074 + (1084 * i) / 2000)),
    0, 5e-324, 1e-310, 2 ** -1022, 1e-20, 1e-8, 1e3, 1e10, 1e300, Number.MAX_VALUE,
  ];

  it("within 1 ulp around 0.55, ½, 1, the subnormals, tiny arguments and where it rounds to 1 (both signs, every pairing of lanes)", () => {
    // Shifted by 0 to 3 places so that each point is met in each lane of a two-vector step.
    for (let shift = 0; shift < 4; shift++) {
      const x = Float64Array.from([...Array(shift).fill(3), ...edges.flatMap((v) => [v, -v])]);
      const out = new Float64Array(x.length);
      simdUnary("tanh", x, out);
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        if (v === 0) {
          expect(Object.is(out[i], v), `tanh(${v})`).toBe(true);
          continue;
        }
        const err = d.ulpError(out[i]!, { m: d.tanhDD(v), k: 0 });
        if (!(err <= 1)) throw new Error(`tanh(${v}) = ${out[i]}: ${err} ulp`);
        worst = Math.max(worst, err);
        if (Math.abs(v) >= 19.1) expect(out[i]).toBe(Math.sign(v));
      }
      if (shift === 0) console.log(`tanh: max error ${worst.toFixed(3)} ulp over ${x.length} edge points`);
    }
  });

  it("special values exactly as Math.tanh: ±0, ±∞, NaN, huge", () => {
    const x = Float64Array.from([0, -0, Infinity, -Infinity, NaN, Number.MAX_VALUE, -Number.MAX_VALUE, 1e300, -1e300, 5e-324, -5e-324]);
    const out = new Float64Array(x.length);
    simdUnary("tanh", x, out);
    expect(Array.from(out).map((v, i) => Object.is(v, Math.tanh(x[i]!)))).toEqual(Array.from(x, () => true));
  });
});

describe("SIMD pow", () => {
  /** Bases and exponents over every path: wide magnitudes, near-1 bases with huge exponents, small integers. */
  function draw(rand: () => number): [number, number] {
    const k = rand();
    if (k < 0.3) return [2 ** ((rand() - 0.5) * 2100), (rand() - 0.5) * 4];
    if (k < 0.6) return [rand() * 10, (rand() - 0.5) * 600];
    if (k < 0.8) return [1 + (rand() - 0.5) * 1e-6, (rand() - 0.5) * 1e9];
    return [Math.floor(rand() * 20), Math.floor(rand() * 30) - 10];
  }

  it("within 1 ulp of the exact value on random points; results at ∞, 0 or NaN as Math.pow", () => {
    const rand = mulberry32(0x90f);
    const x = new Float64Array(POINTS);
    const y = new Float64Array(POINTS);
    for (let i = 0; i < POINTS; i++) [x[i], y[i]] = draw(rand);
    const out = new Float64Array(POINTS);
    expect(simdPow(x, y, out)).toBe(true);
    let worst = 0;
    for (let i = 0; i < POINTS; i++) {
      const m = Math.pow(x[i]!, y[i]!);
      if (!(x[i]! > 0) || !Number.isFinite(m) || m === 0) {
        expect(Object.is(out[i], m), `pow(${x[i]}, ${y[i]}) = ${out[i]}, Math gives ${m}`).toBe(true);
        continue;
      }
      worst = Math.max(worst, d.ulpError(out[i]!, d.powScaled(x[i]!, y[i]!)));
    }
    console.log(`pow: max error ${worst.toFixed(3)} ulp over ${POINTS} points`);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("special and exact cases as Math.pow (negative bases, zeros, infinities, NaN, exact powers)", () => {
    const vals = [0, -0, 1, -1, 2, -2, 0.5, 3, 10, -8, 1e-310, 1e300, Infinity, -Infinity, NaN, 1 / 3, 1074, -1074, 1023, 1024, 0.5 - 2 ** -54];
    const pairs = vals.flatMap((a) => vals.map((b) => [a, b] as const));
    const x = Float64Array.from(pairs, ([a]) => a);
    const y = Float64Array.from(pairs, ([, b]) => b);
    const out = new Float64Array(pairs.length);
    simdPow(x, y, out);
    for (let i = 0; i < pairs.length; i++) {
      const m = Math.pow(x[i]!, y[i]!);
      if (x[i]! > 0 && Number.isFinite(m) && m !== 0 && Number.isFinite(y[i]!)) {
        expect(d.ulpError(out[i]!, d.powScaled(x[i]!, y[i]!)), `pow(${x[i]}, ${y[i]})`).toBeLessThanOrEqual(1);
      } else expect(Object.is(out[i], m), `pow(${x[i]}, ${y[i]}) = ${out[i]}, Math gives ${m}`).toBe(true);
    }
    // Exact integer powers stay exact.
    const ints = Float64Array.from({ length: 40 }, (_, i) => (i % 9) + 2);
    const exps = Float64Array.from({ length: 40 }, (_, i) => i % 11);
    const res = new Float64Array(40);
    simdPow(ints, exps, res);
    expect(Array.from(res)).toEqual(Array.from(ints, (v, i) => v ** exps[i]!));
  });
});

describe("eager primitives on the SIMD kernels", () => {
  it("np.power of long float64 arrays is the SIMD pow", () => {
    const x = Float64Array.from({ length: 300 }, (_, i) => i / 7);
    const y = Float64Array.from({ length: 300 }, (_, i) => (i % 13) - 6.5);
    const viaKernel = new Float64Array(300);
    simdPow(x, y, viaKernel);
    expect(np.power(np.asarray(x), np.asarray(y)).toArray()).toEqual(Array.from(viaKernel));
  });

  const long = Float64Array.from({ length: SIMD_MIN_LENGTH + 3 }, (_, i) => i / 50 - 2.5);
  const fns = [
    ["exp", np.exp, long],
    ["expm1", np.expm1, long],
    ["tanh", np.tanh, long],
    ["log", np.log, long.map((v) => Math.abs(v) + 1e-3)],
    ["sin", np.sin, long.map((v) => v * 40)],
    ["cos", np.cos, long.map((v) => v * 40)],
  ] as const;

  it.each(fns)("np.%s of a long float64 array is the kernel's result; a short one is Math's", (name, f, arg) => {
    const viaKernel = new Float64Array(arg.length);
    simdUnary(name, arg, viaKernel);
    expect(f(np.asarray(arg)).toArray()).toEqual(Array.from(viaKernel));
    const short = arg.subarray(0, 5);
    const mathF = Math[name as "exp"];
    expect(f(np.asarray(short)).toArray()).toEqual(Array.from(short, (v) => mathF(v)));
  });

  it("np.log1p stays on Math (its kernel measured no faster than V8's)", () => {
    const arg = long.map((v) => v + 2.6);
    expect(np.log1p(np.asarray(arg)).toArray()).toEqual(Array.from(arg, (v) => Math.log1p(v)));
  });

  it("float32 arrays stay on the JavaScript loop", () => {
    const x = np.asarray(long, "float32");
    const y = np.exp(x);
    expect(y.dtype).toBe("float32");
    expect(y.toArray()).toEqual(Array.from(Float32Array.from(long, (v) => Math.exp(Math.fround(v)))));
  });
});
