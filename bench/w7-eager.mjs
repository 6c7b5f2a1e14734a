/**
 * @file Eager W7 (`grad` of the 100-step tanh RNN of workload (g)), and for checking that they do
 * not get slower W3 (`valueAndGrad` of the MLP 784-512-512-10 at batch 256, workload (c)) and W5
 * (the 100×100 Hessian of workload (e)), for several builds in one process, samples alternated
 * between them, with the load average; for measuring changes to the eager path of W7 against a
 * base build (CONTRIBUTING.md, "W7 eager: the time outside the products"). It also checks that
 * every build returns the same bits.
 *
 * `npm run build && node bench/w7-eager.mjs /tmp/base [root …] [--only=w7,w3,w5] [--samples=N]`:
 * each root a checkout (or a directory holding a `dist/` and a `node_modules` link) whose `dist/`
 * is built; the default is this one. Medians of N samples (default 15) of 5 calls (W5: 20) after a
 * 1 s warm-up of each, as wall time and as this process's CPU time (`process.cpuUsage`, which
 * counts V8's helper threads too but not time the process waits for a core: steadier on a shared
 * machine).
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import { data, matrixOf, mlpLossOf, rnnGrad } from "./built-workloads.mjs";

const args = process.argv.slice(2);
const samples = Number(args.find((a) => a.startsWith("--samples="))?.slice(10) ?? 15);
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? ["w7"];
const roots = args.filter((a) => !a.startsWith("--"));
if (roots.length === 0) roots.push(fileURLToPath(new URL("..", import.meta.url)));


/** The workloads of one build, as calls returning their result. */
async function workloads(root) {
  const ag = await import(`${root}/dist/index.js`);
  const np = await import(`${root}/dist/numpy/index.js`);
  const matrix = matrixOf(np);
  const out = {};
  if (only.includes("w7")) {
    const { grad, params } = rnnGrad(ag, np);
    out.w7 = () => grad(params);
  }
  if (only.includes("w3")) {
    const sizes = [784, 512, 512, 10];
    const params = sizes.slice(1).map((o, l) => ({ w: matrix(sizes[l], o, 1 + l, 1 / Math.sqrt(sizes[l])), b: np.array(data(o, 1 + l + 0.5, 0.1)) }));
    const x = matrix(256, 784, 2);
    const hot = new Float64Array(256 * 10);
    for (let i = 0; i < 256; i++) hot[i * 10 + (i % 10)] = 1;
    const y = np.array(hot).reshape(256, 10);
    const step = ag.valueAndGrad(mlpLossOf(np));
    out.w3 = () => step(params, x, y);
  }
  if (only.includes("w5")) {
    const A = matrix(100, 100, 5, 0.1);
    const x = np.array(data(100, 6));
    const H = ag.hessian((v) => np.sum(np.tanh(A.matmul(v))));
    out.w5 = () => H(x);
  }
  return out;
}

/** A hash of every float64 bit of a result (arrays and trees of them). */
function bits(x) {
  let h = 0;
  const visit = (v) => {
    if (v === null || v === undefined) return;
    if (typeof v.toArray === "function") {
      const flat = [v.toArray()].flat(Infinity);
      const u = new Uint32Array(Float64Array.from(flat).buffer);
      for (const w of u) h = (Math.imul(h, 31) + w) >>> 0;
    } else if (typeof v === "number") visit({ toArray: () => v });
    else if (typeof v === "object") for (const k of Object.keys(v)) visit(v[k]);
  };
  visit(x);
  return h.toString(16);
}

const sets = [];
for (const root of roots) sets.push(await workloads(root));
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
let sink;
for (const key of only) {
  const fns = sets.map((s) => s[key]);
  const hashes = fns.map((fn) => bits(fn()));
  const reps = key === "w5" ? 20 : 5;
  for (const fn of fns) {
    const start = performance.now();
    while (performance.now() - start < 1000) sink = fn();
  }
  const wall = fns.map(() => []);
  const cpu = fns.map(() => []);
  const load0 = os.loadavg()[0];
  for (let s = 0; s < samples; s++) {
    fns.forEach((fn, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) sink = fn();
      wall[i].push((performance.now() - t0) / reps);
      const c = process.cpuUsage(c0);
      cpu[i].push((c.user + c.system) / 1e3 / reps);
    });
  }
  const [w0, c0] = [median(wall[0]), median(cpu[0])];
  console.log(`${key.toUpperCase()} eager, ms per call (median of ${samples} samples of ${reps} calls); load average ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}; same bits in every build: ${hashes.every((h) => h === hashes[0]) ? "yes" : `NO (${hashes.join(", ")})`}`);
  roots.forEach((root, i) => {
    const [w, c] = [median(wall[i]), median(cpu[i])];
    const ratio = i > 0 ? `  wall ×${(w / w0).toFixed(3)}, cpu ×${(c / c0).toFixed(3)} of the first` : "";
    console.log(`  ${root}: ${w.toFixed(3)} ms wall (min ${Math.min(...wall[i]).toFixed(3)}), ${c.toFixed(3)} ms cpu${ratio}`);
  });
}
if (sink === undefined) console.log("");
