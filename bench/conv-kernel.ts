/**
 * @file Speed of the two convolution kernels (im2col into the matrix product, and direct loops), in
 * GFLOP/s, on a range of sizes: the numbers behind `convData`'s choice between them.
 *
 * Run: `npx tsx bench/conv-kernel.ts`.
 */
import { convDirect, convIm2col, type ConvGeometry } from "../src/kernels/conv.ts";
import { convShape } from "../src/primitives/conv.ts";

interface Case {
  readonly name: string;
  readonly lhs: number[];
  readonly rhs: number[];
  readonly pad: number;
}

/** Median ms of `f` over a few calibrated samples. */
function medianMs(f: () => void): number {
  f();
  const t0 = performance.now();
  let reps = 0;
  while (performance.now() - t0 < 100) {
    f();
    reps++;
  }
  const per = (performance.now() - t0) / reps;
  const n = Math.max(1, Math.ceil(50 / per));
  const samples = Array.from({ length: 5 }, () => {
    const s = performance.now();
    for (let i = 0; i < n; i++) f();
    return (performance.now() - s) / n;
  });
  return samples.sort((a, b) => a - b)[2]!;
}

const cases: Case[] = [
  { name: "32×32×16→32 3×3 SAME, batch 64", lhs: [64, 16, 32, 32], rhs: [32, 16, 3, 3], pad: 1 },
  { name: "28×28×1→8 3×3 SAME, batch 64", lhs: [64, 1, 28, 28], rhs: [8, 1, 3, 3], pad: 1 },
  { name: "14×14×8→16 3×3 SAME, batch 64", lhs: [64, 8, 14, 14], rhs: [16, 8, 3, 3], pad: 1 },
  // The kernel gradient of the case above: images as channels, the cotangent as a 14 × 14 kernel.
  { name: "its kernel gradient (8×64×14×14 ⋆ 16×64×14×14)", lhs: [8, 64, 14, 14], rhs: [16, 64, 14, 14], pad: 1 },
  { name: "6×6×2→2 3×3 VALID, batch 2", lhs: [2, 2, 6, 6], rhs: [2, 2, 3, 3], pad: 0 },
  { name: "4×4×1→1 2×2 VALID, batch 1", lhs: [1, 1, 4, 4], rhs: [1, 1, 2, 2], pad: 0 },
];

for (const c of cases) {
  const p = { strides: [1, 1], padding: [[c.pad, c.pad], [c.pad, c.pad]] as [number, number][], lhsDilation: [1, 1], rhsDilation: [1, 1], featureGroupCount: 1, batchGroupCount: 1 };
  const outShape = convShape(c.lhs, c.rhs, p);
  const g: ConvGeometry = { ...p, lhsShape: c.lhs, rhsShape: c.rhs, outShape };
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const l = Float64Array.from({ length: size(c.lhs) }, (_, i) => Math.sin(0.7 * i));
  const r = Float64Array.from({ length: size(c.rhs) }, (_, i) => Math.cos(0.3 * i));
  const flops = 2 * size(outShape) * c.rhs[1]! * c.rhs[2]! * c.rhs[3]!;
  const [im2col, direct] = [convIm2col, convDirect].map((f) => medianMs(() => f(l, r, g)));
  const rate = (ms: number) => (flops / ms / 1e6).toFixed(2);
  console.log(`${c.name.padEnd(48)} im2col ${im2col.toFixed(3)} ms (${rate(im2col)} GFLOP/s)   direct ${direct.toFixed(3)} ms (${rate(direct)} GFLOP/s)`);
}
