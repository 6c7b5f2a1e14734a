import { valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
const N = Number(process.argv[2] ?? 48), T = Number(process.argv[3] ?? 100);
const [rowIdx, colIdx] = np.meshgrid(np.arange(N), np.arange(N), { indexing: "ij" });
function project(vx: np.NDArray, vy: np.NDArray): [np.NDArray, np.NDArray] {
  const h = 1 / N;
  const div = np.roll(vx, -1, {axis: 0}).sub(np.roll(vx, 1, {axis: 0})).add(np.roll(vy, -1, {axis: 1})).sub(np.roll(vy, 1, {axis: 1})).mul(-0.5 * h);
  let p = np.zeros([N, N]);
  for (let k = 0; k < 10; k++) {
    p = div.add(np.roll(p, 1, {axis: 0})).add(np.roll(p, -1, {axis: 0})).add(np.roll(p, 1, {axis: 1})).add(np.roll(p, -1, {axis: 1})).div(4);
  }
  return [vx.sub(np.roll(p, -1, {axis: 0}).sub(np.roll(p, 1, {axis: 0})).mul(0.5 / h)), vy.sub(np.roll(p, -1, {axis: 1}).sub(np.roll(p, 1, {axis: 1})).mul(0.5 / h))];
}
function advect(f: np.NDArray, vx: np.NDArray, vy: np.NDArray): np.NDArray {
  const cx = rowIdx!.sub(vx);
  const cy = colIdx!.sub(vy);
  const fx = np.floor(cx), fy = np.floor(cy);
  const rw = cx.sub(fx), bw = cy.sub(fy);
  const l = np.mod(fx, N).astype("int32"), r = np.mod(fx.add(1), N).astype("int32");
  const t = np.mod(fy, N).astype("int32"), b = np.mod(fy.add(1), N).astype("int32");
  const flat = f.reshape(N * N);
  const at = (i: np.NDArray, j: np.NDArray) => np.take(flat, i.mul(N).add(j));
  return np.subtract(1, rw).mul(np.subtract(1, bw).mul(at(l, t)).add(bw.mul(at(l, b)))).add(rw.mul(np.subtract(1, bw).mul(at(r, t)).add(bw.mul(at(r, b)))));
}
function simulate(vx: np.NDArray, vy: np.NDArray, smoke: np.NDArray, steps: number) {
  for (let t = 0; t < steps; t++) {
    const vx2 = advect(vx, vx, vy), vy2 = advect(vy, vx, vy);
    [vx, vy] = project(vx2, vy2);
    smoke = advect(smoke, vx, vy);
  }
  return smoke;
}
const smoke0 = np.array(Float64Array.from({length: N*N}, (_, i) => Math.floor(Math.floor(i / N) / 4) % 2)).reshape(N, N);
const target = np.array(Float64Array.from({length: N*N}, (_, i) => { const r = Math.floor(i / N) - N/2, c = i % N - N/2; return Math.abs(Math.hypot(r, c) - N/4) < N/12 ? 1 : 0; })).reshape(N, N);
const obj = (p: { vx: np.NDArray; vy: np.NDArray }) => np.mean(np.square(simulate(p.vx, p.vy, smoke0, T).sub(target)));
const p0 = { vx: np.array(Float64Array.from({length: N*N}, (_, i) => 0.3 + 0.2*Math.sin(i*0.7))).reshape(N, N), vy: np.array(Float64Array.from({length: N*N}, (_, i) => 0.2*Math.cos(i*1.3))).reshape(N, N) };
let t0 = performance.now();
console.log("fwd", obj(p0).item(), (performance.now() - t0).toFixed(0), "ms");
t0 = performance.now();
const [v, g] = valueAndGrad(obj)(p0);
console.log("vg", v.item(), (performance.now() - t0).toFixed(0), "ms", np.max(np.abs(g.vx)).item());
// FD check on one coordinate
const e = 1e-5;
const pp = { vx: p0.vx.at(10, 12).add(e), vy: p0.vy };
const pm = { vx: p0.vx.at(10, 12).add(-e), vy: p0.vy };
//console.log("fd", (obj(pp).item() - obj(pm).item()) / (2 * e), "ad", g.vx.get(10, 12).item());
import { Resvg } from "@resvg/resvg-js";
import { FONT_FAMILY, FONT_FILES } from "./lib/fonts.ts";
import { adam } from "autograd-ts/optimizers";
import { imageGrid } from "./lib/plot.ts";
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100"><rect width="100" height="100" fill="black"/><text x="50" y="82" font-size="96" text-anchor="middle" fill="white" font-family="${FONT_FAMILY}" font-weight="bold">∇</text></svg>`;
const img = new Resvg(svg, { fitTo: { mode: "width", value: N }, font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY } }).render();
console.log(img.width, img.height);
const px = img.pixels;
const tgt = np.array(Float64Array.from({ length: N * N }, (_, i) => px[4 * i]! / 255)).reshape(N, N);
const obj2 = (p: { vx: np.NDArray; vy: np.NDArray }) => np.mean(np.square(simulate(p.vx, p.vy, smoke0, T).sub(tgt)));
const vg2 = valueAndGrad(obj2);
const step = Number(process.argv[4] ?? 0.05), iters = Number(process.argv[5] ?? 30);
const vals: number[] = [];
t0 = performance.now();
const popt = adam((p: any) => { const [v, g] = vg2(p); vals.push(v.item()); return g; }, { vx: np.zeros([N, N]), vy: np.zeros([N, N]) }, { numIters: iters, stepSize: step });
console.log("adam", step, vals.map((v) => v.toFixed(4)).join(" "), ((performance.now() - t0) / 1000).toFixed(1), "s");
const fin = simulate(popt.vx, popt.vy, smoke0, T);
console.log("final", np.mean(np.square(fin.sub(tgt))).item());
await imageGrid({ file: "/tmp/fluid-test", images: [smoke0.toArray().flat() as number[], tgt.toArray().flat() as number[], fin.toArray().flat() as number[]], labels: ["init", "target", "result"], width: N, height: N, pixel: 4 });
