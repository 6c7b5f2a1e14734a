/**
 * @file Eager W7 (`grad` of the 100-step tanh RNN of workload (g)) for several builds in one
 * process, samples alternated between them, with the load average (wall and this process's CPU time, which is steadier on a shared machine); for measuring changes to the
 * eager path of W7 against a base build (CONTRIBUTING.md, "W7 eager: outside the products").
 *
 * `npm run build && node bench/w7-eager.mjs /tmp/base [root …]`: each root a checkout (or a
 * directory holding a `dist/` and a `node_modules` link) whose `dist/` is built; the default is
 * this one. `--samples=N` (default 15), each sample 5 calls; medians after a 1 s warm-up of each.
 */
import os from "node:os";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const samples = Number(args.find((a) => a.startsWith("--samples="))?.slice(10) ?? 15);
const roots = args.filter((a) => !a.startsWith("--"));
if (roots.length === 0) roots.push(fileURLToPath(new URL("..", import.meta.url)));

function data(size, seed, scale = 1) {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = scale * Math.sin(0.7 * i + seed);
  return out;
}

async function w7(root) {
  const ag = await import(`${root}/dist/index.js`);
  const np = await import(`${root}/dist/numpy/index.js`);
  const matrix = (r, c, seed, scale = 1) => np.array(data(r * c, seed, scale)).reshape(r, c);
  const [batch, hidden, input, steps] = [32, 128, 64, 100];
  const p = { wx: matrix(input, hidden, 9, 1 / Math.sqrt(input)), wh: matrix(hidden, hidden, 10, 1 / Math.sqrt(hidden)), b: np.array(data(hidden, 11, 0.1)) };
  const xs = Array.from({ length: steps }, (_, t) => matrix(batch, input, 100 + t));
  const loss = (q) => {
    let h = np.zeros([batch, hidden]);
    for (const x of xs) h = np.tanh(x.matmul(q.wx).add(h.matmul(q.wh)).add(q.b));
    return np.sum(h.mul(h));
  };
  const g = ag.grad(loss);
  return () => g(p);
}

const fns = [];
for (const root of roots) fns.push(await w7(root));
let sink;
for (const fn of fns) {
  const start = performance.now();
  while (performance.now() - start < 1000) sink = fn();
}
const times = fns.map(() => []);
const cpus = fns.map(() => []);
const load0 = os.loadavg()[0];
for (let s = 0; s < samples; s++) {
  fns.forEach((fn, i) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < 5; r++) sink = fn();
    times[i].push((performance.now() - t0) / 5);
    const c = process.cpuUsage(c0);
    cpus[i].push((c.user + c.system) / 1e3 / 5);
  });
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const base = median(times[0]);
const baseCpu = median(cpus[0]);
console.log(`W7 eager, ms per call (median of ${samples} samples of 5 calls); load average ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`);
roots.forEach((root, i) => {
  const m = median(times[i]);
  const c = median(cpus[i]);
  const ratio = i > 0 ? `  wall ×${(m / base).toFixed(3)}, cpu ×${(c / baseCpu).toFixed(3)} of the first` : "";
  console.log(`  ${root}: ${m.toFixed(2)} ms wall (min ${Math.min(...times[i]).toFixed(2)}), ${c.toFixed(2)} ms cpu${ratio}`);
});
if (sink === undefined) console.log("");
