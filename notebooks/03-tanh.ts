/**
 * @file Notebook 03: tanh and its first six derivatives by nesting `elementwiseGrad`, checked
 * against closed forms. Run: `npx tsx notebooks/03-tanh.ts [--quick]`.
 */

/*
 * # Higher-order derivatives of tanh
 *
 * autograd's best-known picture: tanh and six derivatives, each obtained by wrapping the previous
 * function in `elementwiseGrad`. tanh is written from `np.exp` on purpose,
 *
 *     tanh(x) = (1 − e^(−2x)) / (1 + e^(−2x)),
 *
 * so every derivative flows through exp, division and subtraction. Each derivative rule is itself
 * written with differentiable operations, so the sixth derivative needs no code beyond the first;
 * the price is a graph that grows with each nesting level.
 */
import { join } from "node:path";
import { elementwiseGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { Report } from "./lib/report.ts";

/** tanh from exponentials, as in autograd's example. */
export const tanh = (x: np.NDArray): np.NDArray => {
  const y = np.exp(np.multiply(-2.0, x));
  return np.subtract(1.0, y).div(np.add(1.0, y));
};

/*
 * ## The oracle
 *
 * With t = tanh x, dt/dx = 1 − t², so every derivative is a polynomial in t: if the k-th derivative
 * is P_k(t), the next one is P_k'(t)·(1 − t²). Iterating this on coefficient arrays in plain JS
 * gives all six derivatives exactly (P₁ = 1 − t², P₂ = −2t + 2t³, …), independently of autograd-ts.
 */
export function tanhDerivativePolynomials(order: number): number[][] {
  const polys: number[][] = [[0, 1]]; // P₀(t) = t
  for (let k = 1; k <= order; k++) {
    const p = polys[k - 1]!;
    const dp = p.slice(1).map((c, i) => c * (i + 1));
    const next = new Array<number>(dp.length + 2).fill(0);
    dp.forEach((c, i) => {
      next[i] = next[i]! + c;
      next[i + 2] = next[i + 2]! - c;
    });
    polys.push(next);
  }
  return polys;
}

const evalPoly = (coeffs: readonly number[], t: number): number => coeffs.reduceRight((acc, c) => acc * t + c, 0);

export interface TanhResult {
  /** max |k-th derivative − P_k(tanh x)| for k = 0…6, over the grid. */
  readonly maxErrByOrder: readonly number[];
  /** Largest |k-th derivative| for k = 0…6 (to read the errors against). */
  readonly maxAbsByOrder: readonly number[];
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<TanhResult> {
  const dir = outDir(opts);
  const order = 6;

  /*
   * ## Nesting `elementwiseGrad`
   *
   * `derivs[k]` is the k-th derivative, a function on whole arrays: one forward and k nested
   * backward passes over the 200 points of `np.linspace(-7, 7, 200)`.
   */
  const x = np.linspace(-7, 7, 200);
  const derivs: ((x: np.NDArray) => np.NDArray)[] = [tanh];
  for (let k = 1; k <= order; k++) derivs.push(elementwiseGrad(derivs[k - 1]!));
  const values = derivs.map((f, k) => {
    const t0 = performance.now();
    const y = f(x).toArray() as number[];
    console.log(`derivative ${k}: ${(performance.now() - t0).toFixed(0)} ms`);
    return y;
  });

  /*
   * ## Checks
   *
   * Compared with the polynomials above at t = tanh x. The 6th derivative reaches ≈ 50 in size and
   * each nesting level adds roundings (and e^(−2x) is ≈ 1e6 at x = −7), so differences up to about
   * 1e-12 are expected; anything like 1e-6 would mean a wrong rule, not rounding.
   */
  const xs = x.toArray() as number[];
  const polys = tanhDerivativePolynomials(order);
  const maxErrByOrder = values.map((ys, k) => Math.max(...ys.map((y, i) => Math.abs(y - evalPoly(polys[k]!, Math.tanh(xs[i]!))))));
  const maxAbsByOrder = values.map((ys) => Math.max(...ys.map(Math.abs)));
  maxErrByOrder.forEach((e, k) =>
    console.log(`order ${k}: max |autograd-ts − closed form| = ${e.toExponential(2)} (max |value| ${maxAbsByOrder[k]!.toFixed(2)})`),
  );

  /* ## The picture: autograd's tanh figure. */
  const names = ["tanh(x)", "1st", "2nd", "3rd", "4th", "5th", "6th"];
  const plot = await linePlot({
    file: join(dir, "03-tanh"),
    title: "tanh(x) and its first six derivatives by nested elementwiseGrad",
    xLabel: "x",
    yLabel: "y",
    series: values.map((ys, k) => ({ name: names[k]!, x: xs, y: ys })),
  });
  const report = new Report("03 — tanh and six derivatives")
    .text(
      "Six nested `elementwiseGrad`s of a tanh written with `np.exp`, over `np.linspace(-7, 7, 200)`, checked against " +
        "the closed forms P_k(tanh x) with P_(k+1) = P_k′·(1 − t²).",
    )
    .numbers(Object.fromEntries(maxErrByOrder.map((e, k) => [`max error, ${k === 0 ? "tanh" : names[k] + " derivative"}`, e])))
    .image(plot.png, "tanh and its derivatives")
    .write(dir, "03-tanh");
  console.log(`wrote ${plot.png}, ${plot.svg} and ${report}`);
  return { maxErrByOrder, maxAbsByOrder, files: [plot.png, plot.svg, report] };
}

main(import.meta.url, run);
