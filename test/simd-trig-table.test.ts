/**
 * @file The table body of the SIMD sin and cos (`scripts/simd-gen/trig.ts`, `trigTableBody`: no
 * reduction, |x| ≤ SIN_TABLE_LIMIT resp. COS_TABLE_LIMIT) row by row: its table (each row's point b,
 * sin b, cos b) against double-double references, every row's interval swept beside a companion
 * lane that keeps the vector on the table body, the limits between the bodies, and 2·10⁵ random
 * arguments (CI: 5·10⁴) per function, all within 1 ulp of the exact value.
 */
import { describe, expect, it } from "vitest";
import { simdMath, simdUnary } from "../src/kernels/simd.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import * as d from "../scripts/double-double.ts";
import { COS_TABLE_LIMIT, ROW0_LIMIT, SIN_TABLE, SIN_TABLE_LIMIT } from "../scripts/gen-simd-math.ts";

const POINTS = Number(process.env["SIMD_TABLE_POINTS"] ?? (process.env["CI"] ? 50_000 : 200_000));

const { ulpOf, ulpsAway } = d;

/** The rows of the table as the module holds them: [sin b, cos b, cos b's low part, b]; as many as up to SIN_TABLE_LIMIT's row. */
function tableRows(): number[][] {
  const view = new Float64Array(simdMath()!.exports.memory.buffer, SIN_TABLE);
  const count = 1 + 32 * (0 - Math.log2(ROW0_LIMIT)) + Math.floor((SIN_TABLE_LIMIT - 1) * 32) + 1;
  return Array.from({ length: count }, (_, j) => Array.from(view.subarray(4 * j, 4 * j + 4)));
}

/** The interval [lo, hi) of |x| of row j ≥ 1: 32 rows per binade from ROW0_LIMIT on. */
function rowInterval(j: number): [number, number] {
  const e = Math.log2(ROW0_LIMIT) + Math.floor((j - 1) / 32);
  const m = (j - 1) % 32;
  return [2 ** e * (1 + m / 32), 2 ** e * (1 + (m + 1) / 32)];
}

const trig = [
  { name: "sin" as const, exact: d.sinDD, limit: SIN_TABLE_LIMIT },
  { name: "cos" as const, exact: d.cosDD, limit: COS_TABLE_LIMIT },
];

/**
 * The worst error in ulps over xs, each point in either lane beside `companion` (throwing at the
 * first point beyond 1 ulp); ±0 must come out as Math gives them.
 */
function worstBeside(name: "sin" | "cos", exact: (x: number) => d.DD, xs: readonly number[], companion: number): { worst: number; at: number } {
  let worst = 0;
  let at = NaN;
  for (const lane of [0, 1]) {
    const x = new Float64Array(2 * xs.length);
    xs.forEach((v, i) => {
      x[2 * i + lane] = v;
      x[2 * i + 1 - lane] = companion;
    });
    const out = new Float64Array(x.length);
    expect(simdUnary(name, x, out)).toBe(true);
    for (let i = lane; i < x.length; i += 2) {
      const v = x[i]!;
      if (v === 0) {
        if (!Object.is(out[i], Math[name](v))) throw new Error(`${name}(${Object.is(v, -0) ? "-0" : "0"}) = ${out[i]}`);
        continue;
      }
      const err = d.ulpErrorDD(out[i]!, exact(v));
      if (!(err <= 1)) throw new Error(`${name}(${v}) beside ${companion} = ${out[i]}: ${err} ulp`);
      if (err > worst) {
        worst = err;
        at = v;
      }
    }
  }
  return { worst, at };
}

describe("SIMD sin and cos, the table body by rows", () => {
  const rows = tableRows();

  it("the table: row 0 is b = 0; sin b within 2⁻⁷ ulp of its double, cos b exact to 2⁻¹⁰⁰ as a pair, b within a 2⁻³⁰ part of its row's middle", () => {
    expect(rows[0]).toEqual([0, 1, 0, 0]);
    for (let j = 1; j < rows.length; j++) {
      const [s, c, cl, b] = rows[j]! as [number, number, number, number];
      const [lo, hi] = rowInterval(j);
      expect(Math.abs(b - (lo + hi) / 2), `row ${j}: b = ${b} in [${lo}, ${hi})`).toBeLessThanOrEqual(((lo + hi) / 2) * 2 ** -30);
      expect(Math.abs(d.sub(d.sinDD(b), [s, 0])[0]) / ulpOf(s), `row ${j}: sin ${b}`).toBeLessThanOrEqual(2 ** -7);
      expect(Math.abs(d.sub(d.cosDD(b), [c, cl])[0]) / c, `row ${j}: cos ${b}`).toBeLessThanOrEqual(2 ** -100);
    }
  });

  it.each(trig)("$name: every row's interval up to its limit (ends and neighbours, b, 33 points, both signs) beside a lane that keeps the table body, within 1 ulp", ({ name, exact, limit }) => {
    const xs: number[] = [];
    for (let i = 0; i <= 64; i++) xs.push((ROW0_LIMIT * i) / 64);
    for (let k = -3; k <= 3; k++) xs.push(ulpsAway(ROW0_LIMIT, k), ulpsAway(limit, k));
    for (let j = 1; j < rows.length; j++) {
      const [lo, hi] = rowInterval(j);
      const b = rows[j]![3]!;
      for (let k = -2; k <= 2; k++) xs.push(ulpsAway(lo, k), ulpsAway(hi, k), ulpsAway(b, k));
      for (let i = 0; i <= 32; i++) xs.push(lo + ((hi - lo) * i) / 32);
    }
    // Beside 1 (above π/4, within both limits) a point up to the limit takes the table body.
    const points = xs.filter((v) => v <= limit).flatMap((v) => [v, -v]);
    const { worst, at } = worstBeside(name, exact, points, 1);
    console.log(`${name}: max error ${worst.toFixed(3)} ulp over ${2 * points.length} table points (at x = ${at})`);
    // And the limits between the bodies beside a lane that leaves each point alone to decide.
    const limits = [Math.PI / 4, limit].flatMap((v) => [-3, -2, -1, 0, 1, 2, 3].map((k) => ulpsAway(v, k))).flatMap((v) => [v, -v]);
    expect(worstBeside(name, exact, limits, 0.1).worst).toBeLessThanOrEqual(1);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it.each(trig)(`$name: within 1 ulp on ${POINTS} random points up to its limit`, ({ name, exact, limit }) => {
    const rand = mulberry32(0x51a + name.length);
    const xs = Float64Array.from({ length: POINTS }, () => (2 * rand() - 1) * limit);
    const out = new Float64Array(POINTS);
    expect(simdUnary(name, xs, out)).toBe(true);
    let worst = 0;
    let at = NaN;
    for (let i = 0; i < POINTS; i++) {
      const err = d.ulpErrorDD(out[i]!, exact(xs[i]!));
      if (!(err <= 1)) throw new Error(`${name}(${xs[i]}) = ${out[i]}: ${err} ulp`);
      if (err > worst) {
        worst = err;
        at = xs[i]!;
      }
    }
    console.log(`${name} |x| ≤ ${limit}: max error ${worst.toFixed(3)} ulp over ${POINTS} points (at x = ${at})`);
    expect(worst).toBeLessThanOrEqual(1);
  });
});
