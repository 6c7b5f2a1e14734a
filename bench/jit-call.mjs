/**
 * @file W1 per-call time of `jit(grad(tanhViaExp))` (and of the same jitted function on a small
 * array), medians of 9 samples after a 1 s warm-up. Runs from the built package with plain node
 * (`npm run build && node bench/jit-call.mjs`) or from the sources (`npx tsx bench/jit-call.mjs src`).
 */
const fromSrc = process.argv[2] === "src";
const ag = await import(fromSrc ? "../src/index.ts" : "../dist/index.js");
const np = await import(fromSrc ? "../src/numpy/index.ts" : "../dist/numpy/index.js");
const { grad, jit } = ag;

const tanhViaExp = (x) => {
  const e = np.exp(np.negative(x));
  return np.subtract(1, e).div(np.add(1, e));
};

let sink;
function time(fn) {
  const start = performance.now();
  let calls = 0;
  while (calls < 2 || performance.now() - start < 1000) {
    sink = fn();
    calls++;
  }
  const reps = Math.max(1, Math.ceil(50 / ((performance.now() - start) / calls)));
  const times = [];
  for (let s = 0; s < 9; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) sink = fn();
    times.push(((performance.now() - t0) / reps) * 1e3);
  }
  times.sort((a, b) => a - b);
  return times[4];
}

const df = jit(grad(tanhViaExp));
const x = np.array(1.0);
const eager = grad(tanhViaExp);
console.log(`W1 jit(grad) on a number:   ${time(() => df(1.0)).toFixed(3)} µs`);
console.log(`W1 jit(grad) on a 0-d array: ${time(() => df(x)).toFixed(3)} µs`);
console.log(`W1 eager grad on a number:  ${time(() => eager(1.0)).toFixed(3)} µs`);
void sink;
