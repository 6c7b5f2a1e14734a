/**
 * @file Eager overhead of workloads W1, W7 and W4, side by side for several builds in one process.
 *
 * W1 is `grad` of a scalar tanh-via-exp function (µs per call); W7 is `grad` of the RNN of
 * workload (g) (ms per call); W4 is per-example gradients of the MLP 784-128-10, `vmap(grad)`
 * against a loop of `grad` (ms per call at batch 8…128), beside the time to fill a fresh array of
 * `vmap(grad)`'s output size (the first-touch cost that call cannot avoid). With `--alloc` nothing
 * is timed: it counts the typed arrays and megabytes W1 and W7 allocate per call.
 *
 * Run from the built package: `npm run build && node bench/eager.mjs [root …]`, each root a
 * checkout whose `dist/` is built (default: this one), e.g. the unchanged main built into /tmp
 * for a ratio in the same run; `npx tsx bench/eager.mjs src` runs this checkout's sources. Times
 * are medians of several samples after a 1 s warm-up, as wall time and as this process's CPU time
 * (`process.cpuUsage`), which is steadier on a shared machine. `--only=w1,w7,w4` picks workloads.
 */
import { fileURLToPath } from "node:url";
import { data, matrixOf, mlpLossOf, rnnGrad } from "./built-workloads.mjs";

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")));
const only = [...flags].find((f) => f.startsWith("--only="))?.slice(7).split(",") ?? ["w1", "w7", "w4"];
const here = fileURLToPath(new URL("..", import.meta.url));
const roots = args.filter((a) => !a.startsWith("--"));
if (roots.length === 0) roots.push(here);

// Counting typed-array allocations: the constructors are wrapped before the library loads (views
// on an existing buffer, such as a WebAssembly memory's, are not allocations and are not counted).
let allocs = 0;
let allocBytes = 0;
if (flags.has("--alloc")) {
  for (const name of ["Float64Array", "Float32Array", "Int32Array", "Uint8Array"]) {
    const Base = globalThis[name];
    const Counted = class extends Base {
      constructor(...a) {
        super(...a);
        if (!(a[0] instanceof ArrayBuffer) && !(typeof SharedArrayBuffer === "function" && a[0] instanceof SharedArrayBuffer)) {
          allocs++;
          allocBytes += this.byteLength;
        }
      }
    };
    Object.defineProperty(Counted, "name", { value: name });
    globalThis[name] = Counted;
  }
  const allocUnsafe = Buffer.allocUnsafe;
  Buffer.allocUnsafe = (n) => {
    allocs++;
    allocBytes += n;
    return allocUnsafe(n);
  };
}

async function load(root) {
  if (root === "src") return { ag: await import(`${here}src/index.ts`), np: await import(`${here}src/numpy/index.ts`) };
  return { ag: await import(`${root}/dist/index.js`), np: await import(`${root}/dist/numpy/index.js`) };
}

let sink;
/**
 * Median wall and CPU time of one call (ms) of each of `fns`, after a warm-up of each; the
 * samples alternate between them, so a change in the machine's load hits all alike.
 */
function timeAll(fns, { warmupMs = 1000, samples = 9, sampleMs = 50 } = {}) {
  // Calls per sample from the warm-up's CPU time per call (its wall time, on a loaded machine,
  // would make samples of too few calls).
  const reps = fns.map((fn) => {
    const start = performance.now();
    const c0 = process.cpuUsage();
    let calls = 0;
    while (calls < 2 || performance.now() - start < warmupMs) {
      sink = fn();
      calls++;
    }
    const c = process.cpuUsage(c0);
    return Math.max(1, Math.ceil(sampleMs / ((c.user + c.system) / 1e3 / calls)));
  });
  const wall = fns.map(() => []);
  const cpu = fns.map(() => []);
  for (let s = 0; s < samples; s++) {
    fns.forEach((fn, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let r = 0; r < reps[i]; r++) sink = fn();
      const c = process.cpuUsage(c0);
      wall[i].push((performance.now() - t0) / reps[i]);
      cpu[i].push((c.user + c.system) / 1e3 / reps[i]);
    });
  }
  return fns.map((_, i) => ({ wall: median(wall[i]), cpu: median(cpu[i]) }));
}
/**
 * W1's timing (µs): fixed samples of 20 000 calls, alternating between the builds. With samples
 * sized from a warm-up (`timeAll`) main's W1 measured 3-5× slower than in a process that times
 * only W1 this way, for reasons not found; this is the figure `bench/jit-call.mjs` agrees with.
 */
function timeW1(fns) {
  for (const fn of fns) {
    const start = performance.now();
    while (performance.now() - start < 1000) sink = fn();
  }
  const wall = fns.map(() => []);
  const cpu = fns.map(() => []);
  for (let s = 0; s < 9; s++) {
    fns.forEach((fn, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let r = 0; r < 20_000; r++) sink = fn();
      const c = process.cpuUsage(c0);
      wall[i].push(((performance.now() - t0) / 20_000) * 1e3);
      cpu[i].push((c.user + c.system) / 20_000);
    });
  }
  return fns.map((_, i) => ({ wall: median(wall[i]), cpu: median(cpu[i]) }));
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];


function workloads({ ag, np }) {
  const matrix = matrixOf(np);
  const tanhViaExp = (x) => {
    const e = np.exp(np.negative(x));
    return np.subtract(1, e).div(np.add(1, e));
  };
  const w1 = ag.grad(tanhViaExp);
  // W7 and W4 are built only when asked for: their set-up would otherwise shape the JIT's
  // feedback for W1 (in main, W1 measured ~2× slower with their set-up run first).
  if (!only.includes("w7") && !only.includes("w4") && !flags.has("--alloc")) return { w1: () => w1(1.0) };
  const { grad: w7, params: rnn } = rnnGrad(ag, np);
  const mlp = [[784, 128], [128, 10]].map(([i, o], l) => ({ w: matrix(i, o, 3 + l, 1 / Math.sqrt(i)), b: np.array(data(o, 3.5 + l, 0.1)) }));
  const mlpLoss = mlpLossOf(np);
  const w4 = (b) => {
    const x = matrix(b, 784, 4);
    const onehot = new Float64Array(b * 10);
    for (let i = 0; i < b; i++) onehot[i * 10 + (i % 10)] = 1;
    const y = np.array(onehot).reshape(b, 10);
    const perExample = ag.vmap(ag.grad(mlpLoss), { inAxes: [null, 0, 0] });
    const rows = Array.from({ length: b }, (_, i) => [x.get(i), y.get(i)]);
    const g = ag.grad(mlpLoss);
    return { vmap: () => perExample(mlp, x, y), loop: () => rows.map(([xi, yi]) => g(mlp, xi, yi)) };
  };
  return { w1: () => w1(1.0), w7: () => w7(rnn), w4 };
}

const sets = [];
for (const root of roots) sets.push({ root, ...workloads(await load(root)) });
const fmt = (t, unit) => `${t.wall.toFixed(unit === "µs" ? 3 : 2)} ${unit} wall, ${t.cpu.toFixed(unit === "µs" ? 3 : 2)} ${unit} cpu`;
const ratio = (t, base) => (base === undefined ? "" : `  (cpu ×${(t.cpu / base.cpu).toFixed(3)} of the first root)`);

if (flags.has("--alloc")) {
  // Counting only: the wrapped constructors slow every allocation, so nothing is timed.
  for (const s of sets) {
    for (const [name, fn, n] of [["W1", s.w1, 1000], ["W7", s.w7, 5]]) {
      for (let i = 0; i < n; i++) fn();
      allocs = 0;
      allocBytes = 0;
      for (let i = 0; i < n; i++) fn();
      console.log(`${name} ${s.root}: ${(allocs / n).toFixed(1)} typed arrays, ${(allocBytes / n / 1e6).toFixed(3)} MB per call`);
    }
  }
  process.exit(0);
}
if (only.includes("w1")) {
  const res = timeW1(sets.map((s) => s.w1));
  res.forEach((r, i) => console.log(`W1 eager grad(tanhViaExp)(1.0)  ${sets[i].root}: ${fmt(r, "µs")}${i > 0 ? ratio(r, res[0]) : ""}`));
}
if (only.includes("w7")) {
  const res = timeAll(sets.map((s) => s.w7), { samples: 7, sampleMs: 200 });
  res.forEach((r, i) => console.log(`W7 RNN grad  ${sets[i].root}: ${fmt(r, "ms")}${i > 0 ? ratio(r, res[0]) : ""}`));
}
if (only.includes("w4")) {
  console.log("W4 per-example gradients, ms per call (cpu; wall in brackets)");
  console.log("| root | batch | vmap(grad) | loop of grad | fill a fresh output-sized array | vmap − fill |");
  for (const b of [8, 16, 32, 64, 128]) {
    const outElems = b * (784 * 128 + 128 + 128 * 10 + 10);
    const runs = sets.map((s) => s.w4(b));
    const fill = () => new Float64Array(b * (784 * 128 + 128 + 128 * 10 + 10)).fill(1);
    const times = timeAll([fill, ...runs.flatMap((r) => [r.vmap, r.loop])], { warmupMs: 300, samples: 5 });
    const cell = (t) => `${t.cpu.toFixed(2)} [${t.wall.toFixed(2)}]`;
    sets.forEach((s, i) => {
      const [v, l] = [times[1 + 2 * i], times[2 + 2 * i]];
      console.log(`| ${s.root} | ${b} | ${cell(v)} | ${cell(l)} | ${cell(times[0])} | ${(v.cpu - times[0].cpu).toFixed(2)} |`);
    });
  }
}
void sink;
