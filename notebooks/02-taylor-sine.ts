/**
 * @file Notebook 02: differentiating through a loop with a data-dependent `break` — sin as a
 * Taylor series that stops when the next term is small. Run: `npx tsx notebooks/02-taylor-sine.ts [--quick]`.
 */

/*
 * # Derivatives of a Taylor series that decides when to stop
 *
 * The second half of autograd's sinusoid example: sin(x) computed by its Taylor series
 *
 *     sin x = x − x³/3! + x⁵/5! − …,   term_{i+1} = −term_i · x² / ((2i + 3)(2i + 2)),
 *
 * with an ordinary `for` loop that `break`s as soon as |term| < 0.2 (a very generous tolerance,
 * so the curves visibly differ from sin far from 0). The number of terms depends on x, and the code
 * reads the value of a traced number to decide: `np.abs(term).item()`. Under `grad`, as in autograd,
 * `item()` gives the concrete value of the point being differentiated, so the JS `if` just runs;
 * the derivative is that of the polynomial the loop actually summed at that x.
 */
import { join } from "node:path";
import { grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { Report } from "./lib/report.ts";

/** sin by its Taylor series, stopping when a term drops below 0.2 in absolute value. */
export function taylorSine(x: np.NDArray | number): np.NDArray {
  let term = np.array(x);
  let sum = term;
  for (let i = 0; i < 1000; i++) {
    term = term.neg().mul(np.square(x)).div((2 * i + 3) * (2 * i + 2));
    sum = sum.add(term);
    if (np.abs(term).item() < 0.2) break;
  }
  return sum;
}

/**
 * An independent oracle in plain JS: the number of terms `taylorSine` sums at x, and the value and
 * first two derivatives of that polynomial, Σ_k (−1)^k x^(2k+1)/(2k+1)! differentiated term by term.
 */
export function taylorOracle(x: number): { terms: number; value: number; d1: number; d2: number } {
  let term = x;
  let terms = 1;
  for (let i = 0; i < 1000; i++) {
    term = (-term * x * x) / ((2 * i + 3) * (2 * i + 2));
    terms++;
    if (Math.abs(term) < 0.2) break;
  }
  let value = 0;
  let d1 = 0;
  let d2 = 0;
  let factorial = 1; // (n)! for the current power n
  for (let n = 0; n <= 2 * terms - 1; n++) {
    if (n > 0) factorial *= n;
    if (n % 2 === 0) continue;
    const k = (n - 1) / 2;
    const sign = k % 2 === 0 ? 1 : -1;
    // d/dx xⁿ/n! = x^(n−1)/(n−1)!, d²/dx² xⁿ/n! = x^(n−2)/(n−2)!
    value += (sign * x ** n) / factorial;
    d1 += (sign * x ** (n - 1) * n) / factorial;
    if (n >= 2) d2 += (sign * x ** (n - 2) * n * (n - 1)) / factorial;
  }
  return { terms, value, d1, d2 };
}

export interface TaylorResult {
  /** max |taylorSine − oracle| over the grid (same polynomial, so rounding only). */
  readonly maxErrValue: number;
  /** max |grad(taylorSine) − oracle'|. */
  readonly maxErrFirst: number;
  /** max |grad(grad(taylorSine)) − oracle''|. */
  readonly maxErrSecond: number;
  /** Terms summed at x = 0.1 and at x = 10 (the loop really does stop at different places). */
  readonly termsNearZero: number;
  readonly termsAtTen: number;
  /** max |taylorSine − sin|: how much the generous tolerance costs. */
  readonly maxDeviationFromSin: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<TaylorResult> {
  const dir = outDir(opts);

  /*
   * ## Value, first and second derivative at each grid point
   *
   * The stopping point differs from point to point, so this is a function of one number, and we
   * map `grad` and `grad(grad(…))` over the grid, exactly as autograd's example does.
   */
  const xs = np.linspace(-10, 10, 100).toArray() as number[];
  const d1 = grad(taylorSine);
  const d2 = grad(d1);
  const value = xs.map((x) => taylorSine(x).item());
  const first = xs.map((x) => d1(x));
  const second = xs.map((x) => d2(x));

  /*
   * ## Checks
   *
   * The plain-JS oracle re-derives the polynomial the loop summed at each x and differentiates it by
   * the power rule, so agreement means the derivative went through the loop and the `break`
   * correctly. Rounding grows with the size of the terms: at x = 10 the largest, 10⁹/9!, is about
   * 2.8e3 and they alternate in sign, so a few ulps of it (≈ 1e-12) is the expected difference.
   */
  const oracle = xs.map(taylorOracle);
  const maxAbs = (f: (i: number) => number) => Math.max(...xs.map((_, i) => Math.abs(f(i))));
  const maxErrValue = maxAbs((i) => value[i]! - oracle[i]!.value);
  const maxErrFirst = maxAbs((i) => first[i]! - oracle[i]!.d1);
  const maxErrSecond = maxAbs((i) => second[i]! - oracle[i]!.d2);
  const maxDeviationFromSin = maxAbs((i) => value[i]! - Math.sin(xs[i]!));
  const termsNearZero = taylorOracle(0.1).terms;
  const termsAtTen = taylorOracle(10).terms;
  console.log(`terms summed: ${termsNearZero} at x = 0.1, ${termsAtTen} at x = 10`);
  console.log(`max |value − oracle| = ${maxErrValue.toExponential(2)}`);
  console.log(`max |d1 − oracle'|   = ${maxErrFirst.toExponential(2)}`);
  console.log(`max |d2 − oracle''|  = ${maxErrSecond.toExponential(2)}`);
  console.log(`max |taylorSine − sin| = ${maxDeviationFromSin.toFixed(3)} (the price of stopping at |term| < 0.2)`);

  /* ## The picture: the truncated series and its derivatives, with sin dashed for reference. */
  const plot = await linePlot({
    file: join(dir, "02-taylor-sine"),
    title: "Taylor-series sin with a data-dependent break, and its derivatives",
    xLabel: "x",
    yLabel: "y",
    series: [
      { name: "taylorSine(x)", x: xs, y: value },
      { name: "d/dx", x: xs, y: first },
      { name: "d²/dx²", x: xs, y: second },
      { name: "sin(x)", x: xs, y: xs.map(Math.sin), dashed: true },
    ],
  });
  const report = new Report("02 — differentiating through a loop with a break")
    .text(
      "sin by its Taylor series, stopping when |term| < 0.2 (decided with `item()`), differentiated once and twice " +
        "with `grad`; checked against the power-rule derivatives of the polynomial the loop actually summed.",
    )
    .numbers({
      "terms at x = 0.1": termsNearZero,
      "terms at x = 10": termsAtTen,
      "max |value − oracle|": maxErrValue,
      "max |d1 − oracle'|": maxErrFirst,
      "max |d2 − oracle''|": maxErrSecond,
      "max |taylorSine − sin|": maxDeviationFromSin,
    })
    .image(plot.png, "Taylor sine and its derivatives")
    .write(dir, "02-taylor-sine");
  console.log(`wrote ${plot.png}, ${plot.svg} and ${report}`);
  return {
    maxErrValue,
    maxErrFirst,
    maxErrSecond,
    termsNearZero,
    termsAtTen,
    maxDeviationFromSin,
    files: [plot.png, plot.svg, report],
  };
}

main(import.meta.url, run);
