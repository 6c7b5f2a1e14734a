/**
 * @file A tiny tour of the notebook helpers, run by the tests: a line plot, a grid of images, a GIF,
 * a progress bar and a report, written with no autograd-ts involved so it can fail only on its own.
 *
 * Run with `npx tsx notebooks/lib/smoke.ts [--quick]`.
 */
import { join } from "node:path";
import { writeGif } from "./gif.ts";
import { main, outDir, type RunOptions } from "./mode.ts";
import { imageGrid, linePlot } from "./plot.ts";
import { progress } from "./progress.ts";
import { Report } from "./report.ts";

export async function run(opts: RunOptions) {
  const dir = outDir(opts);
  const xs = Array.from({ length: 100 }, (_, i) => -5 + (10 * i) / 99);
  const curve = await linePlot({
    file: join(dir, "lib-smoke-plot"),
    title: "Smoke test: sin and cos",
    xLabel: "x",
    yLabel: "y",
    series: [
      { name: "sin", x: xs, y: xs.map(Math.sin) },
      { name: "cos", x: xs, y: xs.map(Math.cos), dashed: true },
    ],
  });
  const size = 16;
  const blob = (cx: number, cy: number) =>
    Float64Array.from({ length: size * size }, (_, i) => Math.exp(-((((i % size) - cx) ** 2 + (Math.floor(i / size) - cy) ** 2) / 8)));
  const grid = await imageGrid({
    file: join(dir, "lib-smoke-grid"),
    images: [blob(4, 4), blob(8, 8), blob(12, 4)],
    labels: ["top left", "centre", "top right"],
    width: size,
    height: size,
    pixel: 6,
    title: "Smoke test: image grid",
  });
  const frames = Array.from({ length: 10 }, (_, t) => blob(2 + t, 8));
  const gif = writeGif({ file: join(dir, "lib-smoke.gif"), frames, width: size, height: size, scale: 4 });
  const bar = progress("smoke", 20);
  for (let i = 0; i < 20; i++) bar.tick({ step: i });
  bar.stop();
  const report = new Report("Smoke test of notebooks/lib")
    .text("A line plot, an image grid and a GIF drawn by the notebook helpers.")
    .numbers({ points: xs.length, frames: frames.length })
    .image(curve.png, "line plot")
    .image(grid.png, "image grid")
    .image(gif, "gif")
    .write(dir, "lib-smoke");
  console.log(`wrote ${curve.png}, ${grid.png}, ${gif} and ${report}`);
  return { files: [curve.svg, curve.png, grid.svg, grid.png, gif, report] };
}

main(import.meta.url, run);
