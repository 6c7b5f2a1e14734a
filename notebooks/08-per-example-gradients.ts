/**
 * @file Notebook 08: per-example gradients with `vmap(grad(loss))`, checked against a loop of
 * `grad`, timed, and used for DP-SGD-style clipping and noising. Run:
 * `npx tsx notebooks/08-per-example-gradients.ts [--quick]`.
 */

/*
 * # Per-example gradients and differentially private SGD
 *
 * An ordinary training step needs the gradient of the *mean* loss over a batch. Some methods need
 * one gradient *per example*: differentially private SGD (Abadi et al., 2016) clips each example's
 * gradient to a norm C before averaging, so that no single example can move the model much, and
 * then adds Gaussian noise scaled to C.
 *
 * In JAX style this is a composition, not a new feature: `grad(loss)` is the gradient for one
 * example, and `vmap(…, { inAxes: [null, 0, 0] })` maps it over the batch axis of the inputs and
 * targets while sharing the parameters (`null` = not batched). The result is a tree shaped like the
 * parameters with a leading batch axis on every leaf.
 */
import { join } from "node:path";
import { grad, tree, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { sgd } from "autograd-ts/optimizers";
import { special } from "autograd-ts/scipy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { PIXELS, oneHot, trainTestSplit, type DigitSet } from "./lib/mnist.ts";
import { linePlot } from "./lib/plot.ts";
import { progress } from "./lib/progress.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";

type Layer = [W: np.NDArray, b: np.NDArray];

function initParams(sizes: readonly number[], seed: number): Layer[] {
  const rng = new Rng(seed);
  return sizes.slice(1).map((n, i) => {
    const m = sizes[i]!;
    return [np.array(rng.normals(m * n, 1 / Math.sqrt(m))).reshape(m, n), np.zeros([n])];
  });
}

/** Log-probabilities for inputs of any leading shape: (784,) → (10,), or (n, 784) → (n, 10). */
function predict(params: readonly Layer[], x: np.NDArray): np.NDArray {
  let h = x;
  let out = x;
  for (const [W, b] of params) {
    out = np.matmul(h, W).add(b);
    h = np.tanh(out);
  }
  return special.logSoftmax(out, { axis: -1 });
}

/** The loss of ONE example: x is a single image (784,), y its one-hot label (10,). */
const exampleLoss = (params: Layer[], x: np.NDArray, y: np.NDArray): np.NDArray => np.sum(predict(params, x).mul(y)).neg();

/** The mean loss of a batch (for the ordinary, non-private gradient). */
const batchLoss = (params: Layer[], xs: np.NDArray, ys: np.NDArray): np.NDArray =>
  np.mean(np.sum(predict(params, xs).mul(ys), { axis: 1 })).neg();

const testAccuracy = (params: Layer[], set: DigitSet): number => {
  const predicted = np.argmax(predict(params, np.array(set.images).reshape(set.count, PIXELS)), { axis: 1 }).toArray() as number[];
  return predicted.filter((p, i) => p === set.labels[i]).length / set.count;
};

/** Median time of `reps` calls of `f`, in milliseconds. */
function time(f: () => unknown, reps: number): number {
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

export interface PerExampleResult {
  /** max |vmap(grad) − loop of grad| over every leaf and example. */
  readonly maxDiffVmapVsLoop: number;
  /** max |mean of per-example gradients − gradient of the mean loss|. */
  readonly maxDiffMeanVsBatch: number;
  readonly batchSize: number;
  readonly loopMs: number;
  readonly vmapMs: number;
  readonly batchGradMs: number;
  readonly privateTestAccuracy: number;
  readonly plainTestAccuracy: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<PerExampleResult> {
  const dir = outDir(opts);
  const cfg = opts.quick
    ? { nTrain: 1000, nTest: 500, hidden: 32, batch: 50, epochs: 2, reps: 3 }
    : { nTrain: 6000, nTest: 2000, hidden: 64, batch: 100, epochs: 5, reps: 5 };
  const { train, test } = trainTestSplit(cfg.nTrain, cfg.nTest, 1);
  const sizes = [PIXELS, cfg.hidden, 10];
  const params0 = initParams(sizes, 0);
  const numBatches = Math.floor(train.count / cfg.batch);
  const labels = oneHot(train.labels);
  const batches = Array.from({ length: numBatches }, (_, k) => ({
    xs: np.array(train.images.subarray(k * cfg.batch * PIXELS, (k + 1) * cfg.batch * PIXELS)).reshape(cfg.batch, PIXELS),
    ys: np.array(labels.subarray(k * cfg.batch * 10, (k + 1) * cfg.batch * 10)).reshape(cfg.batch, 10),
  }));

  /*
   * ## Per-example gradients, two ways
   *
   * The loop calls `grad` once per example and slices the batch with `get(i)`; `vmap` does the
   * whole batch in one traced call, where each matrix product over one example becomes one product
   * over the batch. They must agree to rounding.
   */
  const perExampleGrads = vmap(grad(exampleLoss), { inAxes: [null, 0, 0] }) as (p: Layer[], xs: np.NDArray, ys: np.NDArray) => Layer[];
  const { xs, ys } = batches[0]!;
  const viaVmap = perExampleGrads(params0, xs, ys);
  const loop = () => Array.from({ length: cfg.batch }, (_, i) => grad(exampleLoss)(params0, xs.get(i), ys.get(i)) as Layer[]);
  const viaLoop = loop();
  let maxDiffVmapVsLoop = 0;
  viaLoop.forEach((g, i) => {
    const gv = tree.leaves(g) as np.NDArray[];
    (tree.leaves(viaVmap) as np.NDArray[]).forEach((leaf, k) => {
      maxDiffVmapVsLoop = Math.max(maxDiffVmapVsLoop, np.max(np.abs(leaf.get(i).sub(gv[k]!))).item());
    });
  });

  /* The mean of the per-example gradients is the gradient of the mean loss: a second check. */
  const batchGrad = grad(batchLoss)(params0, xs, ys) as Layer[];
  let maxDiffMeanVsBatch = 0;
  (tree.leaves(viaVmap) as np.NDArray[]).forEach((leaf, k) => {
    const mean = np.mean(leaf, { axis: 0 });
    maxDiffMeanVsBatch = Math.max(maxDiffMeanVsBatch, np.max(np.abs(mean.sub((tree.leaves(batchGrad) as np.NDArray[])[k]!))).item());
  });
  console.log(`max |vmap(grad) − loop of grad|            = ${maxDiffVmapVsLoop.toExponential(2)}`);
  console.log(`max |mean per-example − grad of mean loss| = ${maxDiffMeanVsBatch.toExponential(2)}`);

  /*
   * ## Timings (median of a few runs, batch of `cfg.batch` examples)
   *
   * What to expect: the per-example gradient of the first weight matrix alone is batch × 784 ×
   * hidden numbers (5 million in full mode), and both ways must write all of them. `vmap` saves
   * the per-call cost of tracing `batch` separate gradients, but on a CPU with no fusion the
   * big batched outer products and copies dominate, so the two end up within a small factor of each
   * other; the gradient of the mean loss, which never forms per-example gradients, is far cheaper.
   */
  const loopMs = time(loop, cfg.reps);
  const vmapMs = time(() => perExampleGrads(params0, xs, ys), cfg.reps);
  const batchGradMs = time(() => grad(batchLoss)(params0, xs, ys), cfg.reps);
  console.log(`per-example gradients of ${cfg.batch} examples: loop of grad ${loopMs.toFixed(1)} ms, vmap(grad) ${vmapMs.toFixed(1)} ms`);
  console.log(`(one gradient of the mean loss, for scale: ${batchGradMs.toFixed(1)} ms)`);

  /*
   * ## DP-SGD
   *
   * Each step: per-example gradients; each example's gradient (all leaves together) is scaled by
   * min(1, C/‖g_i‖) so its norm is at most C; the clipped gradients are summed, Gaussian noise of
   * standard deviation σ·C is added to every coordinate, and the sum is divided by the batch size.
   * That noisy gradient is handed to `sgd` through `gradFn(params, iter)`. (Computing the privacy
   * guarantee ε from σ, the sampling rate and the number of steps is an accountant's job, left out.)
   */
  const clipNorm = 1.0;
  const noiseMultiplier = 1.0;
  const rng = new Rng(42);
  const normsAt: { start: number[]; end: number[] } = { start: [], end: [] };
  const exampleNorms = (g: Layer[]): np.NDArray => {
    const squares = (tree.leaves(g) as np.NDArray[]).map((leaf) =>
      np.sum(np.square(leaf).reshape(cfg.batch, leaf.size / cfg.batch), { axis: 1 }),
    );
    return np.sqrt(squares.reduce((a, b) => a.add(b)));
  };
  const privateGrad = (params: Layer[], iter: number): Layer[] => {
    const { xs: bx, ys: by } = batches[iter % numBatches]!;
    const g = perExampleGrads(params, bx, by);
    const norms = exampleNorms(g);
    const scale = np.minimum(1, np.divide(clipNorm, norms.add(1e-12)));
    return tree.map((leaf) => {
      const l = leaf as np.NDArray;
      const s = scale.reshape([cfg.batch, ...l.shape.slice(1).map(() => 1)]);
      const clippedSum = np.sum(l.mul(s), { axis: 0 });
      const noise = np.array(rng.normals(clippedSum.size, noiseMultiplier * clipNorm)).reshape(clippedSum.shape);
      return clippedSum.add(noise).div(cfg.batch);
    }, g) as Layer[];
  };
  const plainGrad = (params: Layer[], iter: number): Layer[] => {
    const { xs: bx, ys: by } = batches[iter % numBatches]!;
    return grad(batchLoss)(params, bx, by) as Layer[];
  };

  const numIters = cfg.epochs * numBatches;
  const curves: Record<string, number[]> = { "DP-SGD": [], "SGD (no clipping, no noise)": [] };
  const trainWith = (name: string, gradFn: (p: Layer[], i: number) => Layer[]) => {
    const bar = progress(name, numIters);
    const out = sgd(gradFn, params0, {
      numIters,
      stepSize: 0.5,
      mass: 0.9,
      callback: (p, iter) => {
        if (iter % Math.max(1, Math.floor(numBatches / 4)) === 0) {
          const { xs: bx, ys: by } = batches[0]!;
          curves[name]!.push(iter, batchLoss(p, bx, by).item());
        }
        bar.tick();
      },
    });
    bar.stop();
    return out;
  };
  normsAt.start = exampleNorms(perExampleGrads(params0, xs, ys)).toArray() as number[];
  const privateParams = trainWith("DP-SGD", privateGrad);
  normsAt.end = exampleNorms(perExampleGrads(privateParams, xs, ys)).toArray() as number[];
  const plainParams = trainWith("SGD (no clipping, no noise)", plainGrad);
  const privateTestAccuracy = testAccuracy(privateParams, test);
  const plainTestAccuracy = testAccuracy(plainParams, test);
  console.log(`test accuracy: DP-SGD ${(100 * privateTestAccuracy).toFixed(1)}%, plain SGD ${(100 * plainTestAccuracy).toFixed(1)}%`);

  /* ## Pictures: training loss of both runs, and the per-example gradient norms against C. */
  const pairs = (flat: number[]) => ({ x: flat.filter((_, i) => i % 2 === 0), y: flat.filter((_, i) => i % 2 === 1) });
  const lossPlot = await linePlot({
    file: join(dir, "08-dp-sgd-loss"),
    title: `DP-SGD (C = ${clipNorm}, σ = ${noiseMultiplier}) vs SGD, MLP ${sizes.join("-")}`,
    xLabel: "iteration",
    yLabel: "loss on a fixed batch",
    series: Object.entries(curves).map(([name, flat]) => ({ name, ...pairs(flat) })),
  });
  const rank = normsAt.start.map((_, i) => i + 1);
  const normsPlot = await linePlot({
    file: join(dir, "08-per-example-norms"),
    title: "Per-example gradient norms on one batch, sorted (vmap(grad))",
    xLabel: "example (sorted by norm)",
    yLabel: "‖∇ loss_i‖ (log scale)",
    logY: true,
    series: [
      { name: "at the start", x: rank, y: [...normsAt.start].sort((a, b) => b - a) },
      { name: "after DP-SGD", x: rank, y: [...normsAt.end].sort((a, b) => b - a) },
      { name: "clip bound C", x: rank, y: rank.map(() => clipNorm), dashed: true },
    ],
  });
  const report = new Report("08 — per-example gradients and DP-SGD")
    .text(
      "`vmap(grad(loss), { inAxes: [null, 0, 0] })` gives one gradient per example; it matches a loop of `grad`, " +
        "and its mean matches the gradient of the mean loss. DP-SGD clips each example's gradient to norm C and adds noise.",
    )
    .numbers({
      "max |vmap − loop|": maxDiffVmapVsLoop,
      "max |mean per-example − batch gradient|": maxDiffMeanVsBatch,
      [`loop of grad, ${cfg.batch} examples (ms)`]: loopMs,
      [`vmap(grad), ${cfg.batch} examples (ms)`]: vmapMs,
      "grad of the mean loss (ms)": batchGradMs,
      "test accuracy, DP-SGD": privateTestAccuracy,
      "test accuracy, plain SGD": plainTestAccuracy,
    })
    .image(lossPlot.png, "training loss")
    .image(normsPlot.png, "per-example gradient norms")
    .write(dir, "08-per-example-gradients");
  console.log(`wrote ${lossPlot.png}, ${normsPlot.png} and ${report}`);
  return {
    maxDiffVmapVsLoop,
    maxDiffMeanVsBatch,
    batchSize: cfg.batch,
    loopMs,
    vmapMs,
    batchGradMs,
    privateTestAccuracy,
    plainTestAccuracy,
    files: [lossPlot.png, lossPlot.svg, normsPlot.png, report],
  };
}

main(import.meta.url, run);
