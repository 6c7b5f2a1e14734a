/**
 * @file Notebook 04: a multilayer perceptron classifying MNIST digits, trained with `adam` from
 * `autograd-ts/optimizers`. Run: `npx tsx notebooks/04-mnist.ts [--quick]`.
 */

/*
 * # A neural network on MNIST
 *
 * autograd's `neural_net.py`, in TypeScript: a fully connected network with tanh hidden layers and
 * a log-softmax output, parameters kept as a plain list of `[W, b]` pairs (a tree), trained by
 * minimising the cross-entropy plus an L2 penalty with Adam. The gradient of the whole objective
 * with respect to every weight is one call: `grad(objective)(params, iter)`.
 *
 * The data are the 10,000 28 × 28 digits that ship inside the `mnist` npm package (nothing is
 * downloaded); a seeded shuffle splits them into 8,000 for training and 2,000 for testing.
 */
import { join } from "node:path";
import { flatten, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam } from "autograd-ts/optimizers";
import { special } from "autograd-ts/scipy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { IMAGE_SIZE, PIXELS, oneHot, trainTestSplit, type DigitSet } from "./lib/mnist.ts";
import { imageGrid, linePlot } from "./lib/plot.ts";
import { progress } from "./lib/progress.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";

/** One layer's weights and biases; the network is a list of them. */
export type Layer = [W: np.NDArray, b: np.NDArray];

/** Gaussian weights of standard deviation `scale` for the given layer sizes (seeded). */
export function initParams(layerSizes: readonly number[], scale: number, seed: number): Layer[] {
  const rng = new Rng(seed);
  return layerSizes.slice(1).map((n, i) => {
    const m = layerSizes[i]!;
    return [np.array(rng.normals(m * n, scale)).reshape(m, n), np.array(rng.normals(n, scale))];
  });
}

/** Log-probabilities of the ten classes for each row of `inputs` (n × 784 → n × 10). */
export function predict(params: readonly Layer[], inputs: np.NDArray): np.NDArray {
  let h = inputs;
  let out = inputs;
  for (const [W, b] of params) {
    out = np.matmul(h, W).add(b);
    h = np.tanh(out);
  }
  return special.logSoftmax(out, { axis: 1 });
}

/** Mean cross-entropy of one-hot `targets` under the network. */
export const crossEntropy = (params: readonly Layer[], inputs: np.NDArray, targets: np.NDArray): np.NDArray =>
  np.mean(np.sum(predict(params, inputs).mul(targets), { axis: 1 })).neg();

/** Sum of squares of all parameters: autograd's `l2_norm`, through `flatten`. */
export const l2Norm = (params: readonly Layer[]): np.NDArray => {
  const [flat] = flatten(params as Layer[]);
  return np.dot(flat, flat);
};

/** Fraction of `set` the network classifies correctly, and the predicted labels. */
export function accuracy(params: readonly Layer[], set: DigitSet): { accuracy: number; predicted: Int32Array } {
  const logits = predict(params, np.array(set.images).reshape(set.count, PIXELS));
  const predicted = Int32Array.from(np.argmax(logits, { axis: 1 }).toArray() as number[]);
  const correct = predicted.reduce((n, p, i) => n + (p === set.labels[i] ? 1 : 0), 0);
  return { accuracy: correct / set.count, predicted };
}

export interface MnistResult {
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly firstLoss: number;
  readonly finalLoss: number;
  readonly iterations: number;
  readonly seconds: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<MnistResult> {
  const dir = outDir(opts);
  const t0 = performance.now();

  /*
   * ## Settings
   *
   * Full mode is autograd's network, [784, 200, 100, 10], for 10 epochs over 8,000 digits. Quick
   * mode (for tests) trains a smaller network on fewer digits for a few seconds: it still learns,
   * just not as well.
   */
  const cfg = opts.quick
    ? { nTrain: 2000, nTest: 500, layers: [PIXELS, 100, 10], epochs: 5, batch: 100 }
    : { nTrain: 8000, nTest: 2000, layers: [PIXELS, 200, 100, 10], epochs: 10, batch: 128 };
  const l2Reg = 1e-4;
  const stepSize = 1e-3;

  const { train, test } = trainTestSplit(cfg.nTrain, cfg.nTest, 0);
  console.log(`MNIST from the mnist package: ${train.count} training and ${test.count} test digits`);

  /*
   * ## Mini-batches
   *
   * The batches are cut once, up front, as plain arrays: `gradFn(params, iter)` picks batch
   * `iter mod numBatches`, as autograd's example does.
   */
  const numBatches = Math.ceil(train.count / cfg.batch);
  const targets = oneHot(train.labels);
  const batches = Array.from({ length: numBatches }, (_, k) => {
    const lo = k * cfg.batch;
    const hi = Math.min(train.count, lo + cfg.batch);
    return {
      inputs: np.array(train.images.subarray(lo * PIXELS, hi * PIXELS)).reshape(hi - lo, PIXELS),
      targets: np.array(targets.subarray(lo * 10, hi * 10)).reshape(hi - lo, 10),
    };
  });

  /*
   * ## The objective and its gradient
   *
   * `valueAndGrad` gives the batch loss with the gradient at no extra cost; we keep the loss for
   * the progress bar and the loss curve.
   */
  const objective = (params: Layer[], iter: number) => {
    const { inputs, targets: t } = batches[iter % numBatches]!;
    return crossEntropy(params, inputs, t).add(l2Norm(params).mul(l2Reg));
  };
  const objectiveAndGrad = valueAndGrad(objective);
  const losses: number[] = [];
  const gradFn = (params: Layer[], iter: number) => {
    const [value, g] = objectiveAndGrad(params, iter);
    losses.push((value as np.NDArray).item());
    return g;
  };

  /*
   * ## Training with `adam`
   *
   * The callback runs at every iteration (before the step): it advances the progress bar and, at
   * each epoch boundary, measures the accuracy on the training and test sets.
   */
  const numIters = cfg.epochs * numBatches;
  const epochLog: { epoch: number; train: number; test: number }[] = [];
  const bar = progress("training", numIters);
  const params = adam(gradFn, initParams(cfg.layers, 0.1, 0), {
    numIters,
    stepSize,
    callback: (p, iter) => {
      if (iter > 0 && iter % numBatches === 0) {
        const epoch = iter / numBatches;
        epochLog.push({ epoch, train: accuracy(p, train).accuracy, test: accuracy(p, test).accuracy });
      }
      bar.tick({ loss: losses[losses.length - 1]!, ...(epochLog.length ? { test: epochLog[epochLog.length - 1]!.test } : {}) });
    },
  });
  bar.stop();
  const trainResult = accuracy(params, train);
  const testResult = accuracy(params, test);
  epochLog.push({ epoch: cfg.epochs, train: trainResult.accuracy, test: testResult.accuracy });
  for (const e of epochLog) console.log(`epoch ${e.epoch}: train accuracy ${(100 * e.train).toFixed(1)}%, test ${(100 * e.test).toFixed(1)}%`);

  /* ## Pictures: the loss curve, and test digits the network got wrong. */
  const iters = losses.map((_, i) => i);
  const window = Math.max(1, Math.min(numBatches, 20));
  const smoothed = losses.map((_, i) => {
    const from = Math.max(0, i - window + 1);
    return losses.slice(from, i + 1).reduce((s, v) => s + v, 0) / (i + 1 - from);
  });
  const lossPlot = await linePlot({
    file: join(dir, "04-mnist-loss"),
    title: `MLP ${cfg.layers.join("-")} on MNIST: training loss (Adam)`,
    xLabel: "iteration",
    yLabel: "cross-entropy + L2 (log scale)",
    logY: true,
    series: [
      { name: "batch loss", x: iters, y: losses },
      { name: `mean of last ${window}`, x: iters, y: smoothed },
    ],
  });
  const wrong = Array.from(testResult.predicted.keys()).filter((i) => testResult.predicted[i] !== test.labels[i]).slice(0, 24);
  const grid = await imageGrid({
    file: join(dir, "04-mnist-misclassified"),
    images: wrong.map((i) => test.images.subarray(i * PIXELS, (i + 1) * PIXELS)),
    labels: wrong.map((i) => `true ${test.labels[i]}, said ${testResult.predicted[i]}`),
    width: IMAGE_SIZE,
    height: IMAGE_SIZE,
    columns: 8,
    title: `Misclassified test digits (${wrong.length} of ${Math.round((1 - testResult.accuracy) * test.count)})`,
  });

  const seconds = (performance.now() - t0) / 1000;
  const report = new Report("04 — an MLP on MNIST, trained with adam")
    .text(
      `A ${cfg.layers.join("-")} tanh network with a log-softmax output, ${cfg.epochs} epochs of Adam (step ${stepSize}, ` +
        `batch ${cfg.batch}, L2 ${l2Reg}) on ${train.count} digits from the \`mnist\` package; tested on ${test.count} others.`,
    )
    .numbers({
      "train accuracy": trainResult.accuracy,
      "test accuracy": testResult.accuracy,
      "first batch loss": losses[0]!,
      "final batch loss": losses[losses.length - 1]!,
      iterations: numIters,
      seconds,
    })
    .image(lossPlot.png, "loss curve")
    .image(grid.png, "misclassified digits")
    .write(dir, "04-mnist");
  console.log(`test accuracy ${(100 * testResult.accuracy).toFixed(1)}%`);
  console.log(`wrote ${lossPlot.png}, ${grid.png} and ${report}`);
  return {
    trainAccuracy: trainResult.accuracy,
    testAccuracy: testResult.accuracy,
    firstLoss: losses[0]!,
    finalLoss: losses[losses.length - 1]!,
    iterations: numIters,
    seconds,
    files: [lossPlot.png, lossPlot.svg, grid.png, report],
  };
}

main(import.meta.url, run);
