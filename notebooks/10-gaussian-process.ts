/**
 * @file Notebook 10: Gaussian process regression whose hyperparameters are fitted by following the
 * gradient of the log marginal likelihood (through a Cholesky factorisation). Run:
 * `npx tsx notebooks/10-gaussian-process.ts [--quick]`.
 */

/*
 * # Gaussian process regression, hyperparameters by gradient
 *
 * autograd's `gaussian_process.py`, in TypeScript. A Gaussian process with a squared-exponential
 * (RBF) kernel
 *
 *     k(x, x') = σf² · exp(−(x − x')² / 2ℓ²)
 *
 * and Gaussian observation noise σn² explains the data y as one draw from N(μ, K + σn² I). Its log
 * marginal likelihood, with the Cholesky factor L of K + σn² I and z = L⁻¹(y − μ), is
 *
 *     log p(y) = −½ zᵀz − Σᵢ log Lᵢᵢ − (n/2) log 2π.
 *
 * Everything here — the kernel, `np.linalg.cholesky`, the triangular solve
 * (`scipy.linalg.solveTriangular`), the log-determinant — is differentiable, so `valueAndGrad` gives
 * the derivative with respect to the four hyperparameters (the mean μ and the logs of σf, ℓ and
 * σn, so that the positive ones stay positive), and `adam` climbs the likelihood. The fitted
 * process then predicts: the posterior mean and a ±2σ band at new points.
 */
import { join } from "node:path";
import { checkGrads, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam } from "autograd-ts/optimizers";
import { linalg, stats } from "autograd-ts/scipy";
import type { TopLevelSpec } from "vega-lite";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot, renderSpec, type Picture } from "./lib/plot.ts";
import { progress } from "./lib/progress.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";

/**
 * The hyperparameters, a tree of plain numbers: the constant mean and the logs of the positive
 * scales. Under `grad` each arrives as a traced scalar instead, so the model code below touches them
 * only with `np` functions (`np.exp(h.logLengthscale)`, never `Math.exp`).
 */
export type Hyper = {
  readonly mean: number;
  /** log σf: the kernel's output standard deviation. */
  readonly logAmplitude: number;
  /** log ℓ: how far apart two inputs must be before their outputs decorrelate. */
  readonly logLengthscale: number;
  /** log σn: the standard deviation of the observation noise. */
  readonly logNoise: number;
};

/** A small constant on the diagonal keeps K + σn² I safely positive definite for any σn. */
const JITTER = 1e-6;

/*
 * ## The kernel
 *
 * Written on arrays of inputs: the pairwise differences come from broadcasting a column against a
 * row. Under `grad` the hyperparameters arrive as traced scalars; `np.exp` and `.mul` take them
 * like any array.
 */

/** The RBF kernel matrix k(a_i, b_j) for 1-D inputs `a` (m) and `b` (k): m × k. */
export function rbfKernel(h: Hyper, a: np.NDArray, b: np.NDArray): np.NDArray {
  const variance = np.exp(np.multiply(2, h.logAmplitude));
  const lengthscale = np.exp(h.logLengthscale);
  const diffs = a.reshape(-1, 1).sub(b.reshape(1, -1)).div(lengthscale);
  return np.exp(np.square(diffs).mul(-0.5)).mul(variance);
}

/** The covariance of the observations: K + (σn² + jitter) I. */
function observationCovariance(h: Hyper, x: np.NDArray): np.NDArray {
  const noiseVariance = np.exp(np.multiply(2, h.logNoise)).add(JITTER);
  return rbfKernel(h, x, x).add(np.eye(x.size).mul(noiseVariance));
}

/*
 * ## The log marginal likelihood, through a Cholesky factor
 *
 * `np.linalg.cholesky` gives L with L Lᵀ = K + σn² I; one triangular solve gives z = L⁻¹ (y − μ),
 * and log det(K + σn² I) = 2 Σ log Lᵢᵢ.
 */

/** log p(y | x, h): the log marginal likelihood of the data under the GP. */
export function logMarginalLikelihood(h: Hyper, x: np.NDArray, y: np.NDArray): np.NDArray {
  const L = np.linalg.cholesky(observationCovariance(h, x));
  const z = linalg.solveTriangular(L, y.sub(h.mean), { lower: true });
  const halfLogDet = np.sum(np.log(np.diagonal(L)));
  return np.sum(np.square(z)).mul(-0.5).sub(halfLogDet).sub((x.size / 2) * Math.log(2 * Math.PI));
}

/*
 * ## Predictions
 *
 * At new inputs x*, with K* = k(x, x*) and V = L⁻¹ K*, the posterior of the noise-free function is
 * Gaussian with mean μ + K*ᵀ (K + σn² I)⁻¹ (y − μ) = μ + Vᵀ z and covariance k(x*, x*) − Vᵀ V.
 */

/** Posterior mean and covariance of f(xTest) given the data. */
export function posterior(h: Hyper, x: np.NDArray, y: np.NDArray, xTest: np.NDArray): { mean: np.NDArray; cov: np.NDArray } {
  const L = np.linalg.cholesky(observationCovariance(h, x));
  const z = linalg.solveTriangular(L, y.sub(h.mean), { lower: true });
  const V = linalg.solveTriangular(L, rbfKernel(h, x, xTest), { lower: true });
  return {
    mean: np.matmul(V.T, z).add(h.mean),
    cov: rbfKernel(h, xTest, xTest).sub(np.matmul(V.T, V)),
  };
}

/*
 * ## The data
 *
 * autograd's toy data set: inputs in two clusters, [0, 3] and [6, 8], outputs (cos x + noise)/2
 * with noise of standard deviation 0.1 (so 0.05 after halving), inputs rescaled to (x − 4)/2.
 * The gap between the clusters is where the model must admit it does not know.
 */

/** The toy data: `count` inputs (half in each cluster) and noisy targets, from a seeded generator. */
export function toyData(count: number, noiseStd = 0.1, seed = 0): { x: np.NDArray; y: np.NDArray } {
  const rng = new Rng(seed);
  const half = count / 2;
  const raw = [...linspace(0, 3, half), ...linspace(6, 8, count - half)];
  const y = raw.map((t) => (Math.cos(t) + noiseStd * rng.normal()) / 2);
  return { x: np.array(raw.map((t) => (t - 4) / 2)), y: np.array(y) };
}

const linspace = (a: number, b: number, k: number): number[] => Array.from({ length: k }, (_, i) => a + ((b - a) * i) / (k - 1));

/*
 * ## The posterior picture
 *
 * A layered vega-lite chart per panel: the ±2σ band as an area, posterior samples as thin lines,
 * the mean as a thick line, and the data as points.
 */

interface PanelData {
  readonly title: string;
  readonly subtitle: string;
  readonly xs: readonly number[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly samples: readonly (readonly number[])[];
  readonly dataX: readonly number[];
  readonly dataY: readonly number[];
}

function posteriorPlot(file: string, title: string, panels: readonly PanelData[]): Promise<Picture> {
  const yDomain = [-1.5, 1.5];
  const x = { field: "x", type: "quantitative", title: "x", scale: { nice: false } } as const;
  const y = { type: "quantitative", title: "y", scale: { domain: yDomain } } as const;
  const panel = (p: PanelData) => ({
    title: { text: p.title, subtitle: p.subtitle, subtitleFontSize: 12 },
    width: 380,
    height: 280,
    layer: [
      {
        data: { values: p.xs.map((xv, i) => ({ x: xv, lo: p.mean[i]! - 2 * p.std[i]!, hi: p.mean[i]! + 2 * p.std[i]! })) },
        mark: { type: "area", color: "#9ecae9", opacity: 0.6, clip: true },
        encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" } },
      },
      {
        data: { values: p.samples.flatMap((s, k) => s.map((v, i) => ({ x: p.xs[i]!, y: v, k }))) },
        mark: { type: "line", strokeWidth: 0.8, color: "#6baed6", clip: true },
        encoding: { x, y: { ...y, field: "y" }, detail: { field: "k", type: "nominal" } },
      },
      {
        data: { values: p.xs.map((xv, i) => ({ x: xv, y: p.mean[i]! })) },
        mark: { type: "line", strokeWidth: 2.5, color: "#08519c", clip: true },
        encoding: { x, y: { ...y, field: "y" } },
      },
      {
        data: { values: p.dataX.map((xv, i) => ({ x: xv, y: p.dataY[i]! })) },
        mark: { type: "point", filled: true, size: 30, color: "black", clip: true },
        encoding: { x, y: { ...y, field: "y" } },
      },
    ],
  });
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, anchor: "middle" },
    spacing: 40,
    hconcat: panels.map(panel),
  } as unknown as TopLevelSpec;
  return renderSpec(spec, file);
}

export interface GaussianProcessResult {
  readonly dataPoints: number;
  readonly iterations: number;
  readonly initialLogLik: number;
  readonly finalLogLik: number;
  /**
   * Largest |difference| between our log-likelihood and two other evaluations at the fit:
   * `scipy.stats.multivariateNormal.logpdf`, and one by LU (`np.linalg.solve`, `np.linalg.slogdet`).
   */
  readonly logLikVsOracles: number;
  /** Norm of the gradient at the fitted hyperparameters (small at a maximum). */
  readonly finalGradNorm: number;
  readonly amplitude: number;
  readonly lengthscale: number;
  readonly noise: number;
  readonly mean: number;
  readonly seconds: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<GaussianProcessResult> {
  const dir = outDir(opts);
  const t0 = performance.now();

  /*
   * ## Settings
   *
   * autograd fits 20 points. Full mode uses 40 points and runs Adam longer; quick mode fits 20 with
   * fewer iterations. Both start from the same hyperparameters: mean 0, σf = ℓ = 1 and a large
   * noise σn = 0.5, which explains the data as mostly noise.
   */
  const cfg = opts.quick ? { count: 20, iters: 150, testPoints: 100 } : { count: 40, iters: 500, testPoints: 300 };
  const { x, y } = toyData(cfg.count);
  const start: Hyper = { mean: 0, logAmplitude: 0, logLengthscale: 0, logNoise: Math.log(0.5) };

  /*
   * ## Checking the derivatives
   *
   * `checkGrads` compares forward and reverse mode, to second order, with central differences — a
   * check of the Cholesky and triangular-solve rules in particular. After the fit, the likelihood
   * itself is compared with `scipy.stats.multivariateNormal.logpdf` and with an evaluation by LU.
   */
  const objective = (h: Hyper) => logMarginalLikelihood(h, x, y).neg();
  checkGrads(objective, [start], { order: 2 });
  console.log("checkGrads: first and second derivatives of the log marginal likelihood agree with finite differences");

  /* ## Fitting: Adam on the negative log marginal likelihood. */
  const objectiveAndGrad = valueAndGrad(objective);
  const logLiks: number[] = [];
  const bar = progress("fitting", cfg.iters);
  const fitted = adam(
    (h: Hyper) => {
      const [value, g] = objectiveAndGrad(h);
      logLiks.push(-(value as np.NDArray).item());
      bar.tick({ logLik: logLiks[logLiks.length - 1]! });
      return g;
    },
    start,
    { numIters: cfg.iters, stepSize: 0.05 },
  );
  bar.stop();
  const [finalObjective, finalGrad] = objectiveAndGrad(fitted) as [np.NDArray, Hyper];
  const finalLogLik = -finalObjective.item();
  const initialLogLik = logLiks[0]!;
  const finalGradNorm = Math.hypot(...Object.values(finalGrad));
  // Two independent evaluations of the same number: SciPy's density, and LU (solve, slogdet) instead of Cholesky.
  const C = observationCovariance(fitted, x);
  const r = y.sub(fitted.mean);
  const viaScipy = stats.multivariateNormal.logpdf(y, np.full([x.size], fitted.mean), C).item();
  const viaLu = np.dot(r, np.linalg.solve(C, r)).mul(-0.5).sub(np.linalg.slogdet(C)[1].mul(0.5)).item() - (x.size / 2) * Math.log(2 * Math.PI);
  const logLikVsOracles = Math.max(Math.abs(viaScipy - finalLogLik), Math.abs(viaLu - finalLogLik));
  const amplitude = Math.exp(fitted.logAmplitude);
  const lengthscale = Math.exp(fitted.logLengthscale);
  const noise = Math.exp(fitted.logNoise);
  console.log(`log marginal likelihood: ${initialLogLik.toFixed(3)} → ${finalLogLik.toFixed(3)} (|gradient| ${finalGradNorm.toExponential(1)})`);
  console.log(`fitted: mean ${fitted.mean.toFixed(3)}, σf ${amplitude.toFixed(3)}, ℓ ${lengthscale.toFixed(3)}, σn ${noise.toFixed(4)} (the data's noise: 0.05)`);

  /*
   * ## The posterior, before and after fitting
   *
   * Mean, ±2σ band (of the noise-free function) and three samples drawn from the posterior with
   * its Cholesky factor, on a grid reaching beyond the data on both sides.
   */
  const xs = np.linspace(-4, 4, cfg.testPoints);
  const rng = new Rng(1);
  const panelFor = (h: Hyper, title: string): PanelData => {
    const subtitle = `σf ${Math.exp(h.logAmplitude).toFixed(2)}, ℓ ${Math.exp(h.logLengthscale).toFixed(2)}, σn ${Math.exp(h.logNoise).toFixed(3)}`;
    const { mean, cov } = posterior(h, x, y, xs);
    const variance = np.maximum(np.diagonal(cov), 0);
    // A tiny diagonal (standard deviation 0.001, invisible here) keeps the nearly singular covariance factorisable.
    const L = np.linalg.cholesky(cov.add(np.eye(cfg.testPoints).mul(1e-6)));
    const samples = [0, 1, 2].map(() => np.matmul(L, np.array(rng.normals(cfg.testPoints))).add(mean).toArray() as number[]);
    return {
      title,
      subtitle,
      xs: xs.toArray() as number[],
      mean: mean.toArray() as number[],
      std: np.sqrt(variance).toArray() as number[],
      samples,
      dataX: x.toArray() as number[],
      dataY: y.toArray() as number[],
    };
  };
  const picture = await posteriorPlot(join(dir, "10-gaussian-process"), "Gaussian process posterior: mean, ±2σ and samples", [
    panelFor(start, "initial hyperparameters"),
    panelFor(fitted, "fitted by gradient of the likelihood"),
  ]);
  const curve = await linePlot({
    file: join(dir, "10-gaussian-process-loglik"),
    title: "Log marginal likelihood during fitting",
    xLabel: "Adam iteration",
    yLabel: "log p(y | x, hyperparameters)",
    series: [{ name: "log marginal likelihood", x: logLiks.map((_, i) => i), y: logLiks }],
  });

  const seconds = (performance.now() - t0) / 1000;
  const report = new Report("10 — Gaussian process regression, hyperparameters by gradient")
    .text(
      `A GP with an RBF kernel fitted to ${cfg.count} points of autograd's toy data set: \`adam\` maximises the ` +
        "log marginal likelihood (computed with `np.linalg.cholesky` and `scipy.linalg.solveTriangular`) over the " +
        "mean and the logs of the amplitude, lengthscale and noise, with gradients from `valueAndGrad`. " +
        "`checkGrads` verifies the derivatives to second order; the likelihood agrees with `scipy.stats.multivariateNormal.logpdf` " +
        "and with an evaluation by LU (`np.linalg.solve`, `np.linalg.slogdet`).",
    )
    .numbers({
      "data points": cfg.count,
      "Adam iterations": cfg.iters,
      "log marginal likelihood, start": initialLogLik,
      "log marginal likelihood, fitted": finalLogLik,
      "gradient norm at the fit": finalGradNorm,
      "largest difference from multivariateNormal.logpdf and from an LU evaluation": logLikVsOracles,
      "mean μ": fitted.mean,
      "amplitude σf": amplitude,
      "lengthscale ℓ": lengthscale,
      "noise σn (data: 0.05)": noise,
      "run time (s)": seconds,
    })
    .image(picture.png, "posterior before and after fitting")
    .image(curve.png, "log marginal likelihood during fitting")
    .write(dir, "10-gaussian-process");
  console.log(`wrote ${picture.png}, ${curve.png} and ${report}`);
  return {
    dataPoints: cfg.count,
    iterations: cfg.iters,
    initialLogLik,
    finalLogLik,
    logLikVsOracles,
    finalGradNorm,
    amplitude,
    lengthscale,
    noise,
    mean: fitted.mean,
    seconds,
    files: [picture.png, picture.svg, curve.png, curve.svg, report],
  };
}

main(import.meta.url, run);
