/**
 * @file Self time by function in the last `ms` milliseconds of a `.cpuprofile` (V8's format, as
 * `node --cpu-prof` writes it), for reading where a benchmark's calls go (CONTRIBUTING.md, "Eager
 * W3"). `node bench/cpu-profile-split.mjs <file> <ms> [calls] [top]`: prints the top functions'
 * self time in ms (and per call when `calls` is given) with their file.
 */
import { readFileSync } from "node:fs";

const [file, msArg, callsArg, topArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, "utf8"));
const window = Number(msArg) * 1000;
const calls = Number(callsArg ?? 1);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
let t = prof.startTime;
const stamps = prof.timeDeltas.map((d) => (t += d));
const end = prof.endTime;
const self = new Map();
let counted = 0;
for (let i = 0; i < prof.samples.length; i++) {
  if (stamps[i] < end - window) continue;
  const dt = (i + 1 < stamps.length ? stamps[i + 1] : end) - stamps[i];
  const node = byId.get(prof.samples[i]);
  const cf = node.callFrame;
  const key = `${cf.functionName || "(anonymous)"} ${cf.url.split("/").slice(-2).join("/")}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  counted += dt;
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 40));
console.log(`${file}: ${(counted / 1000).toFixed(0)} ms sampled in the last ${msArg} ms`);
for (const [key, us] of rows) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${(us / 1000 / calls).toFixed(2).padStart(7)} /call ${((100 * us) / counted).toFixed(1).padStart(5)}%  ${key}`);
