/**
 * @file Notebook 01: the derivatives of sin, by `grad` at single points and by `elementwiseGrad`
 * over a whole grid, checked against cos and −sin. Run: `npx tsx notebooks/01-sinusoid.ts [--quick]`.
 */

/*
 * # sin and its derivatives
 *
 * This is the "hello world" of automatic differentiation, as in HIPS autograd's README: we write
 * nothing but `np.sin`, and the library gives us its first and second derivatives.
 *
 * Two ways to ask for a derivative:
 *
 * - `grad(f)` takes a function with a scalar output and returns the function computing its
 *   gradient. Given a JS number it returns a number, so `grad(grad(np.sin))(1.0)` is −sin(1).
 *   Mapping it over a grid of points evaluates one derivative per point, like autograd's
 *   `list(map(grad(fun), x))`.
 * - `elementwiseGrad(f)` works on a whole array at once. When each output element depends only on
 *   the input element at the same place (as for `np.sin`), the vector–Jacobian product with a
 *   vector of ones is exactly the array of pointwise derivatives. It nests too:
 *   `elementwiseGrad(elementwiseGrad(np.sin))` is −sin over the array, in one backward pass each.
 */
import { join } from "node:path";
import { elementwiseGrad, grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { Report } from "./lib/report.ts";

export interface SinusoidResult {
  /** max |d/dx sin − cos| over the grid, from `elementwiseGrad`. */
  readonly maxErrFirst: number;
  /** max |d²/dx² sin + sin| over the grid, from nested `elementwiseGrad`. */
  readonly maxErrSecond: number;
  /** max difference between `grad` mapped over points and `elementwiseGrad` (both orders). */
  readonly maxGradVsElementwise: number;
  /** `grad(grad(np.sin))(1.0)`, which should be −sin(1). */
  readonly secondAtOne: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<SinusoidResult> {
  const dir = outDir(opts);

  /*
   * ## Derivatives on a grid
   *
   * `np.linspace(-10, 10, 100)` is the grid from autograd's example. One call of each function
   * gives the value and the first two derivatives at all 100 points.
   */
  const x = np.linspace(-10, 10, 100);
  const dSin = elementwiseGrad(np.sin);
  const ddSin = elementwiseGrad(dSin);
  const y0 = np.sin(x);
  const y1 = dSin(x);
  const y2 = ddSin(x);

  /*
   * ## The same with `grad`, one point at a time
   *
   * `grad` works on scalar functions, and numbers in give numbers out. Nesting it gives the second
   * derivative: the inner `grad` is itself an ordinary function that the outer one differentiates.
   */
  const xs = x.toArray() as number[];
  const gradSin = grad(np.sin);
  const gradGradSin = grad(gradSin);
  const pointwise1 = xs.map((t) => gradSin(t));
  const pointwise2 = xs.map((t) => gradGradSin(t));
  const secondAtOne = gradGradSin(1.0);
  console.log(`grad(grad(np.sin))(1.0) = ${secondAtOne} (−sin(1) = ${-Math.sin(1)})`);

  /*
   * ## Checks
   *
   * The oracle is calculus: d sin = cos, d² sin = −sin. The derivative rules are exact, so the only
   * differences are rounding (of order 1e-16).
   */
  const first = y1.toArray() as number[];
  const second = y2.toArray() as number[];
  const maxErrFirst = Math.max(...xs.map((t, i) => Math.abs(first[i]! - Math.cos(t))));
  const maxErrSecond = Math.max(...xs.map((t, i) => Math.abs(second[i]! + Math.sin(t))));
  const maxGradVsElementwise = Math.max(
    ...xs.map((_, i) => Math.max(Math.abs(pointwise1[i]! - first[i]!), Math.abs(pointwise2[i]! - second[i]!))),
  );
  console.log(`max |d sin − cos|  = ${maxErrFirst.toExponential(2)}`);
  console.log(`max |d² sin + sin| = ${maxErrSecond.toExponential(2)}`);
  console.log(`max |grad mapped − elementwiseGrad| = ${maxGradVsElementwise.toExponential(2)}`);

  /* ## The picture: the three curves of autograd's README figure. */
  const plot = await linePlot({
    file: join(dir, "01-sinusoid"),
    title: "sin(x) and its first two derivatives (autograd-ts)",
    xLabel: "x",
    yLabel: "y",
    series: [
      { name: "sin(x)", x: xs, y: y0.toArray() as number[] },
      { name: "d/dx sin(x)", x: xs, y: first },
      { name: "d²/dx² sin(x)", x: xs, y: second },
    ],
  });

  const report = new Report("01 — sin and its derivatives")
    .text(
      "`elementwiseGrad(np.sin)` and its nesting over `np.linspace(-10, 10, 100)`, checked against cos and −sin; " +
        "`grad` mapped over the same points agrees.",
    )
    .numbers({
      "max |d sin − cos|": maxErrFirst,
      "max |d² sin + sin|": maxErrSecond,
      "max |grad mapped − elementwiseGrad|": maxGradVsElementwise,
      "grad(grad(np.sin))(1.0)": secondAtOne,
    })
    .image(plot.png, "sin and its derivatives")
    .write(dir, "01-sinusoid");
  console.log(`wrote ${plot.png}, ${plot.svg} and ${report}`);
  return { maxErrFirst, maxErrSecond, maxGradVsElementwise, secondAtOne, files: [plot.png, plot.svg, report] };
}

main(import.meta.url, run);
