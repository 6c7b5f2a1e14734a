/**
 * @file `npm run demo`: runs the first three notebooks (sin, the Taylor-series sine, tanh's six
 * derivatives), prints their key numbers, and says where their pictures are.
 */
import { relative } from "node:path";
import { readMode } from "./lib/mode.ts";
import { run as sinusoid } from "./01-sinusoid.ts";
import { run as taylor } from "./02-taylor-sine.ts";
import { run as tanh } from "./03-tanh.ts";

const opts = readMode();
const notebooks = [
  ["01-sinusoid", sinusoid],
  ["02-taylor-sine", taylor],
  ["03-tanh", tanh],
] as const;

for (const [name, run] of notebooks) {
  console.log(`\n=== notebooks/${name}.ts ===`);
  const result = (await run(opts)) as unknown as { files: readonly string[] } & Record<string, unknown>;
  for (const [k, v] of Object.entries(result)) if (k !== "files" && typeof v !== "object") console.log(`  ${k}: ${String(v)}`);
  console.log(`  pictures: ${result.files.map((f) => relative(process.cwd(), f)).join(", ")}`);
}
console.log(
  "\nMore notebooks (MNIST, RNN, LSTM, fluid simulation, per-example gradients, Newton, Gaussian process, Kepler with lax.whileLoop, " +
    "an inverse problem through np.fft, a neural ODE, a convnet, transformations of your own, a Gaussian mixture fitted by Newton-CG): see notebooks/README.md",
);
