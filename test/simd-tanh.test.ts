/**
 * @file The table-driven SIMD tanh (`scripts/simd-gen/tanh.ts`, `tanhKernel`) row by row: its
 * table (each row's point b with tanh b and sech² b) against double-double references, every row's
 * interval swept (its ends, its point, evenly spaced points, both signs), and 10⁶ random
 * arguments (CI: 10⁵) from three distributions, all within 1 ulp of the exact value.
 */
import { describe, expect, it } from "vitest";
import { simdMath, simdUnary } from "../src/kernels/simd.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import * as d from "../scripts/double-double.ts";
import { ROW0_LIMIT as TANH_LOW, TANH_CLAMP, TANH_ONE, TANH_TABLE } from "../scripts/gen-simd-math.ts";

const POINTS = Number(process.env["SIMD_TABLE_POINTS"] ?? (process.env["CI"] ? 100_000 : 1_000_000));

const { ulpOf, ulpsAway } = d;

/** The worst error in ulps of `simdUnary("tanh")` over xs (throwing at the first point beyond 1 ulp), and where. */
function worstError(xs: Float64Array): { worst: number; at: number } {
  const out = new Float64Array(xs.length);
  expect(simdUnary("tanh", xs, out)).toBe(true);
  let worst = 0;
  let at = NaN;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (v === 0) {
      if (!Object.is(out[i], v)) throw new Error(`tanh(${Object.is(v, -0) ? "-0" : "0"}) = ${out[i]}`);
      continue;
    }
    const err = d.ulpErrorDD(out[i]!, d.tanhDD(v));
    if (!(err <= 1)) throw new Error(`tanh(${v}) = ${out[i]}: ${err} ulp`);
    if (err > worst) {
      worst = err;
      at = v;
    }
  }
  return { worst, at };
}

/** The rows of the table as the module holds them: [tanh b, sech² b, b, 0]. */
function tableRows(): number[][] {
  const m = simdMath()!;
  const rows: number[][] = [];
  const view = new Float64Array(m.exports.memory.buffer, TANH_TABLE);
  for (let j = 0; j * 4 < view.length; j++) {
    const row = Array.from(view.subarray(4 * j, 4 * j + 4));
    if (row.every((v) => v === 0)) break;
    rows.push(row);
  }
  return rows;
}

/** The interval [lo, hi) of |x| of row j ≥ 1: 32 rows per binade from TANH_LOW on. */
function rowInterval(j: number): [number, number] {
  const e = Math.log2(TANH_LOW) + Math.floor((j - 1) / 32);
  const m = (j - 1) % 32;
  return [2 ** e * (1 + m / 32), 2 ** e * (1 + (m + 1) / 32)];
}

describe("SIMD tanh, table by rows", () => {
  const rows = tableRows();

  it("the table: row 0 is b = 0; each row's tanh b is within 2⁻⁷ ulp of its double, sech² b within 1 ulp, b inside its interval's reach", () => {
    expect(rows[0]).toEqual([0, 1, 0, 0]);
    // One row per 2⁻⁵ of each binade from 2⁻⁵ up to the one holding 20.
    expect(rows.length).toBe(1 + 32 * (Math.log2(16) - Math.log2(TANH_LOW)) + Math.floor((TANH_CLAMP / 16 - 1) * 32) + 1);
    for (let j = 1; j < rows.length; j++) {
      const [t, w, b] = rows[j]! as [number, number, number];
      const [lo, hi] = rowInterval(j);
      if (lo >= TANH_ONE) {
        // All of this row rounds to 1.
        expect([t, w]).toEqual([1, 0]);
        continue;
      }
      const exact = d.tanhDD(b);
      expect(Math.abs(d.sub(exact, [t, 0])[0]) / ulpOf(t), `row ${j}: tanh ${b}`).toBeLessThanOrEqual(2 ** -7);
      expect(d.ulpErrorDD(w, d.sech2DD(b)), `row ${j}: sech² ${b}`).toBeLessThanOrEqual(0.5);
      // Below 8 b is the interval's middle up to a 2⁻¹⁰ part of the half-width; beyond, where tanh
      // is flat, b may move to where tanh b is exactly 1 − n·2⁻⁵³ (at most 0.8 away).
      const half = (hi - lo) / 2;
      const reach = lo < 8 ? half * 2 ** -10 : 0.8;
      expect(Math.abs(b - (lo + half)), `row ${j}: b = ${b} in [${lo}, ${hi})`).toBeLessThanOrEqual(reach);
    }
  });

  it("every row's interval: its ends and their neighbours, its point b, 33 evenly spaced points, both signs, within 1 ulp", () => {
    const xs: number[] = [];
    for (let k = -3; k <= 3; k++) xs.push(ulpsAway(TANH_LOW, k), ulpsAway(TANH_ONE, k), ulpsAway(TANH_CLAMP, k));
    for (let i = 0; i <= 64; i++) xs.push((TANH_LOW * i) / 64);
    for (let j = 1; j < rows.length; j++) {
      const [lo, hi] = rowInterval(j);
      const b = rows[j]![2]!;
      for (let k = -2; k <= 2; k++) xs.push(ulpsAway(lo, k), ulpsAway(hi, k), ulpsAway(b, k));
      for (let i = 0; i <= 32; i++) xs.push(lo + ((hi - lo) * i) / 32);
    }
    const { worst, at } = worstError(Float64Array.from(xs.flatMap((v) => [v, -v])));
    console.log(`tanh: max error ${worst.toFixed(3)} ulp over ${2 * xs.length} row points (at x = ${at})`);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it.each([
    ["uniform on [−25, 25]", (r: () => number) => (r() - 0.5) * 50],
    ["normal, scale 1 (the common case for activations)", (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())],
    ["log-uniform magnitudes 2⁻⁴⁰ to 2⁵, both signs", (r: () => number) => (r() < 0.5 ? -1 : 1) * 2 ** (-40 + 45 * r())],
  ])(`within 1 ulp on ${POINTS} random points: %s`, (name, draw) => {
    const rand = mulberry32(0x7a9 + name.length);
    const xs = Float64Array.from({ length: POINTS }, () => draw(rand));
    const { worst, at } = worstError(xs);
    console.log(`tanh (${name}): max error ${worst.toFixed(3)} ulp over ${POINTS} points (at x = ${at})`);
    expect(worst).toBeLessThanOrEqual(1);
  });
});
