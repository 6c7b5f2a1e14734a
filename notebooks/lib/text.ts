/** @file Text for the character-level models (05, 06): lines of source code as one-hot sequences, and sampling. */
import { readFileSync } from "node:fs";
import * as np from "autograd-ts/numpy";
import type { NDArray } from "autograd-ts/numpy";
import { Rng } from "./random.ts";

/** Characters are their ASCII codes; the models see a one-hot vector of this length. */
export const ALPHABET = 128;

/**
 * Code lines (not comments or blank lines) of a source file, ASCII only, at most `maxLines` of them:
 * the training text, as autograd's rnn.py and lstm.py train on their own source.
 */
export function codeLines(file: string, maxLines: number): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => {
      const t = line.trim();
      return t.length > 2 && !t.startsWith("*") && !t.startsWith("/*") && !t.startsWith("//") && /^[\x20-\x7e]*$/.test(line);
    })
    .slice(0, maxLines);
}

/**
 * One-hot sequences, time-major: `seqLen` × lines × ALPHABET, each line padded with spaces (or cut)
 * to `seqLen` characters. Row t of the result is the t-th character of every line: a batch.
 */
export function oneHotSequences(lines: readonly string[], seqLen: number): Float64Array {
  const out = new Float64Array(seqLen * lines.length * ALPHABET);
  lines.forEach((line, i) => {
    const padded = (line + " ".repeat(seqLen)).slice(0, seqLen);
    for (let t = 0; t < seqLen; t++) out[(t * lines.length + i) * ALPHABET + padded.charCodeAt(t)] = 1;
  });
  return out;
}

/** The character codes at each time step: `seqLen` arrays of one code per line (lines padded with spaces). */
export function charCodes(lines: readonly string[], seqLen: number): Int32Array[] {
  const padded = lines.map((line) => (line + " ".repeat(seqLen)).slice(0, seqLen));
  return Array.from({ length: seqLen }, (_, t) => Int32Array.from(padded, (line) => line.charCodeAt(t)));
}

/** Draws an index from log-probabilities (any array of `ALPHABET` numbers). */
export function sampleIndex(logprobs: ArrayLike<number>, rng: Rng, temperature = 1): number {
  let max = -Infinity;
  for (let i = 0; i < logprobs.length; i++) max = Math.max(max, logprobs[i]!);
  const weights = Array.from(logprobs, (l) => Math.exp((l - max) / temperature));
  let u = rng.uniform() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u <= 0) return i;
  }
  return weights.length - 1;
}

/** A one-hot row (1 × ALPHABET) for a character code. */
export function oneHotChar(code: number): Float64Array {
  const v = new Float64Array(ALPHABET);
  v[code] = 1;
  return v;
}

/** A text model's training data: per time step, the input character codes and one-hot targets. */
export interface TrainingText {
  readonly lines: string[];
  /** `codes[t]`: int32 [lines] — character t of every line. */
  readonly codes: NDArray[];
  /** `targets[t]`: float64 [lines, ALPHABET] — character t of every line, one-hot. */
  readonly targets: NDArray[];
}

/** The first `maxLines` code lines of `file`, cut or padded to `seqLen`, as training data. */
export function trainingText(file: string, maxLines: number, seqLen: number): TrainingText {
  const lines = codeLines(file, maxLines);
  const codes = charCodes(lines, seqLen).map((c) => np.array(c, { dtype: "int32" }));
  const seqs = oneHotSequences(lines, seqLen);
  const step = lines.length * ALPHABET;
  const targets = codes.map((_, t) => np.array(seqs.subarray(t * step, (t + 1) * step)).reshape(lines.length, ALPHABET));
  return { lines, codes, targets };
}
