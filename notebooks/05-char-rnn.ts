/**
 * @file Notebook 05: a character-level recurrent neural network that learns to write this
 * notebook's own code, trained with `adam`. Run: `npx tsx notebooks/05-char-rnn.ts [--quick]`.
 */

/*
 * # A character-level RNN
 *
 * autograd's `rnn.py`: a vanilla recurrent network reads text one character at a time,
 *
 *     h_t = tanh(E[x_t] + h_(t−1)·W + b),    log p(x_(t+1) | x_≤t) = logSoftmax(h_t·V + c),
 *
 * and is trained to maximise the log-likelihood of each next character. The training text is
 * this very file's code lines, as autograd's example trains on its own source: after training,
 * sampled text should look like (garbled) TypeScript from this file.
 *
 * autograd multiplies a one-hot vector of the character by a weight matrix; here that product is
 * written as what it computes, a row lookup `np.take(E, codes, { axis: 0 })` (an "embedding"),
 * which is differentiable (repeated characters accumulate their gradients) and saves a product
 * with a mostly-zero matrix in both passes.
 *
 * The loop over time is an ordinary JS `for` loop; `grad` differentiates through all of it
 * (backpropagation through time) with no special support.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam } from "autograd-ts/optimizers";
import { special } from "autograd-ts/scipy";
import { clipByGlobalNorm } from "./lib/clip.ts";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { progress } from "./lib/progress.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";
import { ALPHABET, sampleIndex, trainingText } from "./lib/text.ts";

/** A type alias, not an interface, so that it is assignable to a `Tree` (which has an index signature). */
export type RnnParams = {
  initHiddens: np.NDArray; // 1 × S
  embed: np.NDArray; // A × S: one row per character
  recur: np.NDArray; // S × S
  bias: np.NDArray; // S
  predict: np.NDArray; // S × A
  predictBias: np.NDArray; // A
};

export function initRnnParams(stateSize: number, scale: number, seed: number): RnnParams {
  const rng = new Rng(seed);
  const normal = (...shape: number[]) => np.array(rng.normals(shape.reduce((a, b) => a * b), scale)).reshape(shape);
  return {
    initHiddens: normal(1, stateSize),
    embed: normal(ALPHABET, stateSize),
    recur: normal(stateSize, stateSize),
    bias: normal(stateSize),
    predict: normal(stateSize, ALPHABET),
    predictBias: normal(ALPHABET),
  };
}

/** One step of the recurrence for a batch: new hidden states from the characters' codes and the old states. */
const rnnStep = (params: RnnParams, codes: np.NDArray, hiddens: np.NDArray): np.NDArray =>
  np.tanh(np.take(params.embed, codes, { axis: 0 }).add(np.matmul(hiddens, params.recur)).add(params.bias));

/** Log-probabilities of the next character (batch × A) from the hidden states. */
const hiddensToLogprobs = (params: RnnParams, hiddens: np.NDArray): np.NDArray =>
  special.logSoftmax(np.matmul(hiddens, params.predict).add(params.predictBias), { axis: 1 });

/** Log-probabilities before each input and after the last: T + 1 arrays of batch × A. */
export function rnnPredict(params: RnnParams, codes: readonly np.NDArray[]): np.NDArray[] {
  let hiddens = np.broadcastTo(params.initHiddens, [codes[0]!.size, params.initHiddens.shape[1]!]);
  const outputs = [hiddensToLogprobs(params, hiddens)];
  for (const c of codes) {
    hiddens = rnnStep(params, c, hiddens);
    outputs.push(hiddensToLogprobs(params, hiddens));
  }
  return outputs;
}

/** Mean log-likelihood per character: output t, computed before reading character t, predicts it. */
export function rnnLogLikelihood(params: RnnParams, codes: readonly np.NDArray[], targets: readonly np.NDArray[]): np.NDArray {
  const logprobs = rnnPredict(params, codes);
  let total: np.NDArray = np.array(0);
  targets.forEach((oneHot, t) => (total = total.add(np.sum(logprobs[t]!.mul(oneHot)))));
  return total.div(targets.length * codes[0]!.size);
}

/** The character for an ASCII code, with control characters shown as "·". */
export const printable = (code: number): string => (code < 32 || code === 127 ? "·" : String.fromCharCode(code));

/** Samples `count` characters from the model, one at a time, feeding each back in. */
export function sampleRnn(params: RnnParams, count: number, rng: Rng): string {
  let hiddens = params.initHiddens;
  let text = "";
  for (let i = 0; i < count; i++) {
    const code = sampleIndex((hiddensToLogprobs(params, hiddens).toArray() as number[][])[0]!, rng);
    text += printable(code);
    hiddens = rnnStep(params, np.array([code], { dtype: "int32" }), hiddens);
  }
  return text;
}

export interface CharRnnResult {
  readonly firstLoss: number;
  readonly finalLoss: number;
  /** The loss of a model that knows nothing: log(128) nats per character. */
  readonly uniformLoss: number;
  readonly samplesBefore: readonly string[];
  readonly samplesAfter: readonly string[];
  readonly seconds: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<CharRnnResult> {
  const dir = outDir(opts);

  /*
   * ## Data and settings
   *
   * As in autograd: lines cut or padded to 30 characters and a 40-unit state. With autograd's
   * step size of 0.1, and now and then even at 0.02, this network's loss suddenly jumps back up
   * to near its starting value: exploding gradients, the classic RNN trouble, where one step's
   * gradient is many times the usual size. The usual cure is to clip the gradient's global norm
   * (`lib/clip.ts`, through `flatten`) before handing it to `adam`: with step 0.02 and norms clipped
   * to 0.5 (a typical norm here is ≈ 2), training runs smoothly. Quick mode uses fewer lines and
   * iterations.
   */
  const cfg = opts.quick
    ? { maxLines: 24, seqLen: 30, state: 40, iters: 80 }
    : { maxLines: 60, seqLen: 30, state: 40, iters: 1000 };
  const stepSize = 0.02;
  const maxGradNorm = 0.5;
  const { lines, codes, targets } = trainingText(fileURLToPath(import.meta.url), cfg.maxLines, cfg.seqLen);
  console.log(`training text: ${lines.length} lines of this notebook's code, ${cfg.seqLen} characters each`);

  const sampleLines = (params: RnnParams, seed: number) => {
    const rng = new Rng(seed);
    return Array.from({ length: 6 }, () => sampleRnn(params, cfg.seqLen, rng));
  };
  const params0 = initRnnParams(cfg.state, 0.01, 0);
  const samplesBefore = sampleLines(params0, 1);

  /*
   * ## Training
   *
   * The objective is the negative mean log-likelihood per character, in nats; a model that knows
   * nothing (uniform over 128 characters) scores log 128 ≈ 4.85.
   */
  const lossAndGrad = valueAndGrad((params: RnnParams) => rnnLogLikelihood(params, codes, targets).neg());
  const losses: number[] = [];
  const bar = progress("char-RNN", cfg.iters);
  const t0 = performance.now();
  const params = adam(
    (p: RnnParams) => {
      const [value, g] = lossAndGrad(p);
      losses.push((value as np.NDArray).item());
      return clipByGlobalNorm(g as RnnParams, maxGradNorm)[0];
    },
    params0,
    { numIters: cfg.iters, stepSize, callback: () => bar.tick({ loss: losses[losses.length - 1]! }) },
  );
  bar.stop();
  const seconds = (performance.now() - t0) / 1000;
  const finalLoss = rnnLogLikelihood(params, codes, targets).neg().item();
  const samplesAfter = sampleLines(params, 1);
  console.log(`loss: ${losses[0]!.toFixed(3)} → ${finalLoss.toFixed(3)} nats/char in ${seconds.toFixed(1)} s`);
  console.log("samples before training:");
  for (const s of samplesBefore) console.log(`  ${s}`);
  console.log("samples after training:");
  for (const s of samplesAfter) console.log(`  ${s}`);

  /* ## The picture: the loss curve. */
  const plot = await linePlot({
    file: join(dir, "05-char-rnn-loss"),
    title: `Character-level RNN (state ${cfg.state}) on its own source`,
    xLabel: "iteration",
    yLabel: "negative log-likelihood (nats/char)",
    series: [
      { name: "training loss", x: losses.map((_, i) => i), y: losses },
      { name: "uniform guess, log 128", x: [0, losses.length - 1], y: [Math.log(ALPHABET), Math.log(ALPHABET)], dashed: true },
    ],
  });
  const fence = (xs: readonly string[]) => "```\n" + xs.join("\n") + "\n```";
  const report = new Report("05 — a character-level RNN")
    .text(
      `A vanilla RNN (state ${cfg.state}) trained with \`adam\` (${cfg.iters} iterations, step ${stepSize}, gradient norm clipped to ${maxGradNorm}) on ${lines.length} code ` +
        `lines of this notebook, ${cfg.seqLen} characters each; training took ${seconds.toFixed(1)} s.`,
    )
    .numbers({ "first loss (nats/char)": losses[0]!, "final loss (nats/char)": finalLoss, "uniform guess, log 128": Math.log(ALPHABET) })
    .image(plot.png, "loss curve")
    .text("Samples before training (control characters shown as ·):\n\n" + fence(samplesBefore))
    .text("Samples after training:\n\n" + fence(samplesAfter))
    .write(dir, "05-char-rnn");
  console.log(`wrote ${plot.png} and ${report}`);
  return {
    firstLoss: losses[0]!,
    finalLoss,
    uniformLoss: Math.log(ALPHABET),
    samplesBefore,
    samplesAfter,
    seconds,
    files: [plot.png, plot.svg, report],
  };
}

main(import.meta.url, run);
