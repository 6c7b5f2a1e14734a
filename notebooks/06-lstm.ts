/**
 * @file Notebook 06: a character-level LSTM that learns to write this notebook's own code,
 * trained with `adam`. Run: `npx tsx notebooks/06-lstm.ts [--quick]`.
 */

/*
 * # A character-level LSTM
 *
 * autograd's `lstm.py`. The long short-term memory cell keeps a second state, the cell c, that
 * gates decide how to update. For each gate g ∈ {change, forget, in, out},
 *
 *     z_g = E_g[x_t] + h_(t−1)·W_g + b_g
 *     change = tanh(z_change),  forget = σ(z_forget),  in = σ(z_in),  out = σ(z_out)
 *     c_t = forget ⊙ c_(t−1) + in ⊙ change,   h_t = out ⊙ tanh(c_t)
 *
 * The additive update of c lets gradients flow across many steps, which a vanilla RNN (notebook 05)
 * struggles with. The training setup is the same as notebook 05: the model reads this file's code
 * lines and learns to predict each next character, and E_g[x_t] is a row lookup (`np.take`)
 * standing for autograd's product of a one-hot vector with a matrix.
 *
 * The parameters are a nested object, `{ gates: { change: { embed, recur, bias }, … }, … }`: a
 * tree that `adam` flattens, updates and rebuilds, and that `grad` returns in the same shape.
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

/** One gate's parameters. Type aliases (not interfaces) so that they are assignable to a `Tree`. */
export type Gate = { embed: np.NDArray; recur: np.NDArray; bias: np.NDArray };
export type LstmParams = {
  initCells: np.NDArray; // 1 × S
  initHiddens: np.NDArray; // 1 × S
  gates: { change: Gate; forget: Gate; ingate: Gate; outgate: Gate }; // embed A × S, recur S × S, bias S
  predict: np.NDArray; // S × A
  predictBias: np.NDArray; // A
};

export function initLstmParams(stateSize: number, scale: number, seed: number): LstmParams {
  const rng = new Rng(seed);
  const normal = (...shape: number[]) => np.array(rng.normals(shape.reduce((a, b) => a * b), scale)).reshape(shape);
  const gate = (): Gate => ({ embed: normal(ALPHABET, stateSize), recur: normal(stateSize, stateSize), bias: normal(stateSize) });
  return {
    initCells: normal(1, stateSize),
    initHiddens: normal(1, stateSize),
    gates: { change: gate(), forget: gate(), ingate: gate(), outgate: gate() },
    predict: normal(stateSize, ALPHABET),
    predictBias: normal(ALPHABET),
  };
}

/** σ(x) = (tanh(x/2) + 1)/2, which cannot overflow. */
const sigmoid = (x: np.NDArray): np.NDArray => np.tanh(x.mul(0.5)).add(1).mul(0.5);

/** A gate's pre-activation for a batch: E[codes] + h·W + b. */
const preActivation = (g: Gate, codes: np.NDArray, hiddens: np.NDArray): np.NDArray =>
  np.take(g.embed, codes, { axis: 0 }).add(np.matmul(hiddens, g.recur)).add(g.bias);

/** One LSTM step for a batch: new [hiddens, cells]. */
function lstmStep(params: LstmParams, codes: np.NDArray, hiddens: np.NDArray, cells: np.NDArray): [np.NDArray, np.NDArray] {
  const { change, forget, ingate, outgate } = params.gates;
  const c = np.tanh(preActivation(change, codes, hiddens));
  const f = sigmoid(preActivation(forget, codes, hiddens));
  const i = sigmoid(preActivation(ingate, codes, hiddens));
  const o = sigmoid(preActivation(outgate, codes, hiddens));
  const newCells = cells.mul(f).add(i.mul(c));
  return [o.mul(np.tanh(newCells)), newCells];
}

const hiddensToLogprobs = (params: LstmParams, hiddens: np.NDArray): np.NDArray =>
  special.logSoftmax(np.matmul(hiddens, params.predict).add(params.predictBias), { axis: 1 });

/** Log-probabilities before each input and after the last: T + 1 arrays of batch × A. */
export function lstmPredict(params: LstmParams, codes: readonly np.NDArray[]): np.NDArray[] {
  const shape = [codes[0]!.size, params.initHiddens.shape[1]!];
  let hiddens = np.broadcastTo(params.initHiddens, shape);
  let cells = np.broadcastTo(params.initCells, shape);
  const outputs = [hiddensToLogprobs(params, hiddens)];
  for (const c of codes) {
    [hiddens, cells] = lstmStep(params, c, hiddens, cells);
    outputs.push(hiddensToLogprobs(params, hiddens));
  }
  return outputs;
}

/** Mean log-likelihood per character: output t, computed before reading character t, predicts it. */
export function lstmLogLikelihood(params: LstmParams, codes: readonly np.NDArray[], targets: readonly np.NDArray[]): np.NDArray {
  const logprobs = lstmPredict(params, codes);
  let total: np.NDArray = np.array(0);
  targets.forEach((oneHot, t) => (total = total.add(np.sum(logprobs[t]!.mul(oneHot)))));
  return total.div(targets.length * codes[0]!.size);
}

const printable = (code: number): string => (code < 32 || code === 127 ? "·" : String.fromCharCode(code));

/** Samples `count` characters, feeding each back in. */
export function sampleLstm(params: LstmParams, count: number, rng: Rng): string {
  let hiddens = params.initHiddens;
  let cells = params.initCells;
  let text = "";
  for (let i = 0; i < count; i++) {
    const code = sampleIndex((hiddensToLogprobs(params, hiddens).toArray() as number[][])[0]!, rng);
    text += printable(code);
    [hiddens, cells] = lstmStep(params, np.array([code], { dtype: "int32" }), hiddens, cells);
  }
  return text;
}

export interface LstmResult {
  readonly firstLoss: number;
  readonly finalLoss: number;
  readonly uniformLoss: number;
  readonly samplesBefore: readonly string[];
  readonly samplesAfter: readonly string[];
  readonly seconds: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<LstmResult> {
  const dir = outDir(opts);
  /*
   * ## Settings
   *
   * As in notebook 05: 30-character lines, a 40-unit state, Adam, and the gradient's global norm
   * clipped (to 0.5) against the occasional exploding step. Quick mode uses fewer lines and steps.
   */
  const cfg = opts.quick
    ? { maxLines: 24, seqLen: 30, state: 40, iters: 60, stepSize: 0.05 }
    : { maxLines: 60, seqLen: 30, state: 40, iters: 600, stepSize: 0.05 };
  const maxGradNorm = 0.5;
  const { lines, codes, targets } = trainingText(fileURLToPath(import.meta.url), cfg.maxLines, cfg.seqLen);
  console.log(`training text: ${lines.length} lines of this notebook's code, ${cfg.seqLen} characters each`);

  const sampleLines = (params: LstmParams, seed: number) => {
    const rng = new Rng(seed);
    return Array.from({ length: 6 }, () => sampleLstm(params, cfg.seqLen, rng));
  };
  const params0 = initLstmParams(cfg.state, 0.01, 0);
  const samplesBefore = sampleLines(params0, 1);

  /* ## Training: negative mean log-likelihood per character, in nats (uniform guessing: log 128). */
  const lossAndGrad = valueAndGrad((params: LstmParams) => lstmLogLikelihood(params, codes, targets).neg());
  const losses: number[] = [];
  const bar = progress("LSTM", cfg.iters);
  const t0 = performance.now();
  const params = adam(
    (p: LstmParams) => {
      const [value, g] = lossAndGrad(p);
      losses.push((value as np.NDArray).item());
      return clipByGlobalNorm(g as LstmParams, maxGradNorm)[0];
    },
    params0,
    { numIters: cfg.iters, stepSize: cfg.stepSize, callback: () => bar.tick({ loss: losses[losses.length - 1]! }) },
  );
  bar.stop();
  const seconds = (performance.now() - t0) / 1000;
  const finalLoss = lstmLogLikelihood(params, codes, targets).neg().item();
  const samplesAfter = sampleLines(params, 1);
  console.log(`loss: ${losses[0]!.toFixed(3)} → ${finalLoss.toFixed(3)} nats/char in ${seconds.toFixed(1)} s`);
  console.log("samples before training:");
  for (const s of samplesBefore) console.log(`  ${s}`);
  console.log("samples after training:");
  for (const s of samplesAfter) console.log(`  ${s}`);

  const plot = await linePlot({
    file: join(dir, "06-lstm-loss"),
    title: `Character-level LSTM (state ${cfg.state}) on its own source`,
    xLabel: "iteration",
    yLabel: "negative log-likelihood (nats/char)",
    series: [
      { name: "training loss", x: losses.map((_, i) => i), y: losses },
      { name: "uniform guess, log 128", x: [0, losses.length - 1], y: [Math.log(ALPHABET), Math.log(ALPHABET)], dashed: true },
    ],
  });
  const fence = (xs: readonly string[]) => "```\n" + xs.join("\n") + "\n```";
  const report = new Report("06 — a character-level LSTM")
    .text(
      `An LSTM (state ${cfg.state}) trained with \`adam\` (${cfg.iters} iterations, step ${cfg.stepSize}, gradient norm clipped to ${maxGradNorm}) on ${lines.length} code ` +
        `lines of this notebook, ${cfg.seqLen} characters each; training took ${seconds.toFixed(1)} s.`,
    )
    .numbers({ "first loss (nats/char)": losses[0]!, "final loss (nats/char)": finalLoss, "uniform guess, log 128": Math.log(ALPHABET) })
    .image(plot.png, "loss curve")
    .text("Samples before training (control characters shown as ·):\n\n" + fence(samplesBefore))
    .text("Samples after training:\n\n" + fence(samplesAfter))
    .write(dir, "06-lstm");
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
