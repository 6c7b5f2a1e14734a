/**
 * @file Notebook 06: a character-level LSTM that learns to write this notebook's own code,
 * trained with `adam`. Run: `npx tsx notebooks/06-lstm.ts [--quick]`.
 */

/*
 * # A character-level LSTM
 *
 * autograd's `lstm.py`. The long short-term memory cell keeps a second state, the cell c, that
 * gates decide how to update:
 *
 *     z = [x_t, h_(t−1), 1]
 *     change = tanh(z·W_change),  forget = σ(z·W_forget),  in = σ(z·W_in),  out = σ(z·W_out)
 *     c_t = forget ⊙ c_(t−1) + in ⊙ change,   h_t = out ⊙ tanh(c_t)
 *
 * The additive update of c lets gradients flow across many steps, which a vanilla RNN (notebook 05)
 * struggles with. The training setup is the same as notebook 05: the model reads this file's code
 * lines and learns to predict each next character.
 *
 * The four gate matrices are kept apart, as in autograd, in a plain object of parameters: a tree
 * that `adam` flattens, updates and rebuilds.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam } from "autograd-ts/optimizers";
import { special } from "autograd-ts/scipy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { progress } from "./lib/progress.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";
import { ALPHABET, codeLines, oneHotChar, oneHotSequences, sampleIndex } from "./lib/text.ts";

/** A type alias (not an interface) so that it is assignable to a `Tree`. */
export type LstmParams = {
  initCells: np.NDArray; // 1 × S
  initHiddens: np.NDArray; // 1 × S
  change: np.NDArray; // (A + S + 1) × S, and the same for the three gates
  forget: np.NDArray;
  ingate: np.NDArray;
  outgate: np.NDArray;
  predict: np.NDArray; // (S + 1) × A
};

export function initLstmParams(stateSize: number, scale: number, seed: number): LstmParams {
  const rng = new Rng(seed);
  const normal = (...shape: number[]) => np.array(rng.normals(shape.reduce((a, b) => a * b), scale)).reshape(shape);
  const gate = () => normal(ALPHABET + stateSize + 1, stateSize);
  return {
    initCells: normal(1, stateSize),
    initHiddens: normal(1, stateSize),
    change: gate(),
    forget: gate(),
    ingate: gate(),
    outgate: gate(),
    predict: normal(stateSize + 1, ALPHABET),
  };
}

/** σ(x) = (tanh(x/2) + 1)/2, which cannot overflow. */
const sigmoid = (x: np.NDArray): np.NDArray => np.tanh(x.mul(0.5)).add(1).mul(0.5);

/** [parts…, 1]: the inputs of an affine map with the bias as the last row of its matrix. */
const withBias = (...parts: np.NDArray[]): np.NDArray =>
  np.concatenate([...parts, np.ones([parts[0]!.shape[0]!, 1])], { axis: 1 });

/** One LSTM step for a batch: new [hiddens, cells]. */
function lstmStep(params: LstmParams, input: np.NDArray, hiddens: np.NDArray, cells: np.NDArray): [np.NDArray, np.NDArray] {
  const z = withBias(input, hiddens);
  const change = np.tanh(np.matmul(z, params.change));
  const forget = sigmoid(np.matmul(z, params.forget));
  const ingate = sigmoid(np.matmul(z, params.ingate));
  const outgate = sigmoid(np.matmul(z, params.outgate));
  const newCells = cells.mul(forget).add(ingate.mul(change));
  return [outgate.mul(np.tanh(newCells)), newCells];
}

const hiddensToLogprobs = (params: LstmParams, hiddens: np.NDArray): np.NDArray =>
  special.logSoftmax(np.matmul(withBias(hiddens), params.predict), { axis: 1 });

/** Log-probabilities before each input and after the last: T + 1 arrays of batch × A. */
export function lstmPredict(params: LstmParams, inputs: readonly np.NDArray[]): np.NDArray[] {
  const batch = inputs[0]!.shape[0]!;
  const size = params.initHiddens.shape[1]!;
  let hiddens = np.broadcastTo(params.initHiddens, [batch, size]);
  let cells = np.broadcastTo(params.initCells, [batch, size]);
  const outputs = [hiddensToLogprobs(params, hiddens)];
  for (const input of inputs) {
    [hiddens, cells] = lstmStep(params, input, hiddens, cells);
    outputs.push(hiddensToLogprobs(params, hiddens));
  }
  return outputs;
}

/** Mean log-likelihood per character: output t predicts input t. */
export function lstmLogLikelihood(params: LstmParams, inputs: readonly np.NDArray[]): np.NDArray {
  const logprobs = lstmPredict(params, inputs);
  let total: np.NDArray = np.array(0);
  inputs.forEach((x, t) => (total = total.add(np.sum(logprobs[t]!.mul(x)))));
  return total.div(inputs.length * inputs[0]!.shape[0]!);
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
    [hiddens, cells] = lstmStep(params, np.array(oneHotChar(code)).reshape(1, ALPHABET), hiddens, cells);
  }
  return text;
}

export interface LstmResult {
  readonly firstLoss: number;
  readonly finalLoss: number;
  readonly uniformLoss: number;
  readonly samplesBefore: readonly string[];
  readonly samplesAfter: readonly string[];
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<LstmResult> {
  const dir = outDir(opts);
  const cfg = opts.quick
    ? { maxLines: 24, seqLen: 30, state: 40, iters: 40, stepSize: 0.02 }
    : { maxLines: 60, seqLen: 30, state: 40, iters: 1000, stepSize: 0.02 };
  const lines = codeLines(fileURLToPath(import.meta.url), cfg.maxLines);
  const seqs = oneHotSequences(lines, cfg.seqLen);
  const step = lines.length * ALPHABET;
  const inputs = Array.from({ length: cfg.seqLen }, (_, t) =>
    np.array(seqs.subarray(t * step, (t + 1) * step)).reshape(lines.length, ALPHABET),
  );
  console.log(`training text: ${lines.length} lines of this notebook's code, ${cfg.seqLen} characters each`);

  const sampleLines = (params: LstmParams, seed: number) => {
    const rng = new Rng(seed);
    return Array.from({ length: 6 }, () => sampleLstm(params, cfg.seqLen, rng));
  };
  const params0 = initLstmParams(cfg.state, 0.01, 0);
  const samplesBefore = sampleLines(params0, 1);

  /* ## Training: negative mean log-likelihood per character, in nats (uniform guessing: log 128). */
  const lossAndGrad = valueAndGrad((params: LstmParams) => lstmLogLikelihood(params, inputs).neg());
  const losses: number[] = [];
  const bar = progress("LSTM", cfg.iters);
  const t0 = performance.now();
  const params = adam(
    (p: LstmParams) => {
      const [value, g] = lossAndGrad(p);
      losses.push((value as np.NDArray).item());
      return g;
    },
    params0,
    { numIters: cfg.iters, stepSize: cfg.stepSize, callback: () => bar.tick({ loss: losses[losses.length - 1]! }) },
  );
  bar.stop();
  const seconds = (performance.now() - t0) / 1000;
  const finalLoss = lstmLogLikelihood(params, inputs).neg().item();
  const samplesAfter = sampleLines(params, 1);
  console.log(`loss: ${losses[0]!.toFixed(3)} → ${finalLoss.toFixed(3)} nats/char in ${seconds.toFixed(1)} s`);
  console.log("samples before training:");
  for (const s of samplesBefore) console.log(`  ${JSON.stringify(s)}`);
  console.log("samples after training:");
  for (const s of samplesAfter) console.log(`  ${JSON.stringify(s)}`);

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
      `An LSTM (state ${cfg.state}) trained with \`adam\` (${cfg.iters} iterations, step ${cfg.stepSize}) on ${lines.length} code ` +
        `lines of this notebook, ${cfg.seqLen} characters each; training took ${seconds.toFixed(1)} s.`,
    )
    .numbers({ "first loss (nats/char)": losses[0]!, "final loss (nats/char)": finalLoss, "uniform guess, log 128": Math.log(ALPHABET) })
    .image(plot.png, "loss curve")
    .text("Samples before training:\n\n" + fence(samplesBefore))
    .text("Samples after training:\n\n" + fence(samplesAfter))
    .write(dir, "06-lstm");
  console.log(`wrote ${plot.png} and ${report}`);
  return { firstLoss: losses[0]!, finalLoss, uniformLoss: Math.log(ALPHABET), samplesBefore, samplesAfter, files: [plot.png, plot.svg, report] };
}

main(import.meta.url, run);
