/**
 * @file Standalone check of the matmul kernel: compares `matmulData` with a naive triple loop on
 * random shapes (0- and 1-sized dimensions, panel-boundary sizes, batches), checks that NaN and ±Inf
 * propagate exactly as in the naive loop, then measures GFLOP/s on the shapes neural nets use.
 *
 * Run: `npx tsx bench/matmul-check.ts` (exits with status 1 on a mismatch).
 */
import { matmulData } from "../src/kernels/matmul.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";

/** Deterministic PRNG, so a failure can be reproduced. */
const rng = mulberry32;

/** The oracle: c[b,i,j] += Σ_p a[b,i,p]·b[b,p,j], in the textbook order. */
function naive(a: Float64Array, b: Float64Array, c: Float64Array, batch: number, m: number, k: number, n: number): void {
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = c[bi * m * n + i * n + j]!;
        for (let p = 0; p < k; p++) s += a[bi * m * k + i * k + p]! * b[bi * k * n + p * n + j]!;
        c[bi * m * n + i * n + j] = s;
      }
    }
  }
}

/** Σ_p |a[b,i,p]|·|b[b,p,j]|, the scale against which a rounding error is measured. */
function magnitudes(a: Float64Array, b: Float64Array, batch: number, m: number, k: number, n: number): Float64Array {
  const absA = a.map(Math.abs);
  const absB = b.map(Math.abs);
  const out = new Float64Array(batch * m * n);
  naive(absA, absB, out, batch, m, k, n);
  return out;
}

interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
}

const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 11, 16, 31, 64, 127, 128, 129, 255, 256, 257, 300];

/** Random shapes, biased towards the small and boundary sizes where blocking code goes wrong. */
function randomCases(count: number, rand: () => number): Case[] {
  const pick = () => sizes[Math.floor(rand() * sizes.length)]!;
  const cases: Case[] = [];
  for (let t = 0; t < count; t++) {
    const batch = [0, 1, 1, 1, 2, 3, 5][Math.floor(rand() * 7)]!;
    let [m, k, n] = [pick(), pick(), pick()];
    // Keep each case small enough for the naive oracle.
    while (batch * m * k * n > 3e6) [m, k, n] = [Math.ceil(m / 2), Math.ceil(k / 2), Math.ceil(n / 2)];
    cases.push({ batch, m, k, n });
  }
  return cases;
}

const fixedCases: Case[] = [
  { batch: 1, m: 0, k: 0, n: 0 },
  { batch: 1, m: 1, k: 1, n: 1 },
  { batch: 0, m: 3, k: 3, n: 3 },
  { batch: 1, m: 5, k: 0, n: 7 },
  { batch: 1, m: 256, k: 784, n: 64 },
  { batch: 1, m: 64, k: 512, n: 10 },
  { batch: 1, m: 300, k: 257, n: 1 },
  { batch: 1, m: 1, k: 257, n: 300 },
  { batch: 64, m: 1, k: 128, n: 10 },
  { batch: 16, m: 100, k: 1, n: 30 },
  { batch: 1, m: 130, k: 3, n: 513 },
];

function randomArray(size: number, rand: () => number): Float64Array {
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) x[i] = 2 * rand() - 1;
  return x;
}

/** Largest error relative to the magnitude scale, or Infinity when finiteness differs. */
function compare(ref: Float64Array, got: Float64Array, scale: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const g = got[i]!;
    if (Number.isNaN(r) || Number.isNaN(g) || !Number.isFinite(r) || !Number.isFinite(g)) {
      if (!Object.is(r, g)) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(r - g) / (scale[i]! + Number.MIN_VALUE));
  }
  return worst;
}

/** Runs kernel and oracle on one case; `special` plants NaN/±Inf in the inputs; `accumulate` starts from a non-zero C. */
function check(cs: Case, rand: () => number, special: boolean, accumulate: boolean): number {
  const { batch, m, k, n } = cs;
  const a = randomArray(batch * m * k, rand);
  const b = randomArray(batch * k * n, rand);
  if (special) {
    const planted = [NaN, Infinity, -Infinity];
    for (let t = 0; t < 3 && a.length > 0; t++) a[Math.floor(rand() * a.length)] = planted[t]!;
    for (let t = 0; t < 3 && b.length > 0; t++) b[Math.floor(rand() * b.length)] = planted[t]!;
  }
  const c0 = accumulate ? randomArray(batch * m * n, rand) : new Float64Array(batch * m * n);
  const ref = c0.slice();
  const got = c0.slice();
  naive(a, b, ref, batch, m, k, n);
  matmulData(a, b, got, batch, m, k, n);
  const scale = magnitudes(a, b, batch, m, k, n).map((s, i) => s + Math.abs(c0[i]!));
  return compare(ref, got, scale);
}

function correctness(): boolean {
  const rand = rng(20240611);
  const cases = [...fixedCases, ...randomCases(300, rand)];
  // Reordered sums of k terms differ from the textbook order by at most about k·ε relative to Σ|a||b|.
  const tolerance = 1e-13;
  let worst = 0;
  let failures = 0;
  for (const cs of cases) {
    for (const [special, accumulate] of [[false, false], [true, false], [false, true]] as const) {
      const err = check(cs, rand, special, accumulate);
      worst = Math.max(worst, err);
      if (!(err <= tolerance)) {
        failures++;
        const what = special ? " (with NaN/Inf)" : accumulate ? " (accumulating)" : "";
        console.log(`MISMATCH ${cs.batch}×[${cs.m},${cs.k}]×[${cs.k},${cs.n}]${what}: error ${err}`);
      }
    }
  }
  console.log(`correctness: ${cases.length * 3} comparisons with the naive loop, max relative error ${worst.toExponential(2)} (tolerance ${tolerance})`);
  console.log(failures === 0 ? "correctness: OK" : `correctness: ${failures} FAILURES`);
  return failures === 0;
}

/** Median GFLOP/s of `matmulData` on one shape, each run on a freshly zeroed C. */
function gflops(cs: Case): number {
  const { batch, m, k, n } = cs;
  const rand = rng(7);
  const a = randomArray(batch * m * k, rand);
  const b = randomArray(batch * k * n, rand);
  const c = new Float64Array(batch * m * n);
  const flops = 2 * batch * m * k * n;
  const reps = Math.max(1, Math.round(5e7 / flops));
  const run = () => {
    c.fill(0);
    matmulData(a, b, c, batch, m, k, n);
  };
  for (let w = 0; w < 3; w++) run();
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    times.push((performance.now() - t0) / reps);
  }
  times.sort((x, y) => x - y);
  return flops / (times[3]! * 1e6);
}

function speed(): void {
  const shapes: [string, Case][] = [
    ["square 512", { batch: 1, m: 512, k: 512, n: 512 }],
    ["MLP layer [256,784]·[784,512]", { batch: 1, m: 256, k: 784, n: 512 }],
    ["MLP head [256,512]·[512,10]", { batch: 1, m: 256, k: 512, n: 10 }],
    ["weight grad [784,256]·[256,512]", { batch: 1, m: 784, k: 256, n: 512 }],
    ["input grad [256,10]·[10,512]", { batch: 1, m: 256, k: 10, n: 512 }],
    ["matrix-vector [512,512]·[512,1]", { batch: 1, m: 512, k: 512, n: 1 }],
    ["vector-matrix [1,512]·[512,512]", { batch: 1, m: 1, k: 512, n: 512 }],
    ["64 × [1,128]·[128,10]", { batch: 64, m: 1, k: 128, n: 10 }],
    ["64 × outer [128,1]·[1,10]", { batch: 64, m: 128, k: 1, n: 10 }],
    ["RNN step [32,128]·[128,128]", { batch: 1, m: 32, k: 128, n: 128 }],
    ["1000 × [4,4]·[4,4]", { batch: 1000, m: 4, k: 4, n: 4 }],
  ];
  console.log("\n| shape | GFLOP/s |\n| --- | ---: |");
  for (const [name, cs] of shapes) console.log(`| ${name} | ${gflops(cs).toFixed(2)} |`);
}

const ok = correctness();
speed();
if (!ok) process.exit(1);
