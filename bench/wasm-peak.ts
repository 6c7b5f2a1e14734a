/**
 * @file The float64 arithmetic peak of WebAssembly SIMD on this machine, to set the matrix kernel's
 * GFLOP/s against: a loop of K independent f64x2 multiply-add chains (`acc = acc·m + c`, or
 * `acc = acc + b·m` with the product off the chain) and nothing else — no loads, no stores. Wasm
 * SIMD has 128-bit vectors and, without the relaxed-SIMD proposal (behind a flag in Node 20), no
 * fused multiply-add, so a multiply-add is two instructions of two lanes each; NumPy's OpenBLAS
 * issues 512-bit fused multiply-adds (16 flops per instruction on AVX-512). Run:
 * `npx tsx bench/wasm-peak.ts` (one thread; best of 5 runs of 2·10⁷ iterations).
 */
import wabtInit from "wabt";

/** The module: `run(n)` does n iterations of `chains` multiply-adds on f64x2 accumulators. */
function peakWat(chains: number, productOffChain: boolean): string {
  const idx = Array.from({ length: chains }, (_, i) => i);
  const locals = idx.map((i) => `(local $a${i} v128) (local $b${i} v128)`).join(" ");
  const init = idx
    .map((i) => `(local.set $a${i} (f64x2.splat (f64.const ${1 + i * 1e-3}))) (local.set $b${i} (f64x2.splat (f64.const ${1e-9 * (i + 1)})))`)
    .join(" ");
  const step = idx
    .map((i) =>
      productOffChain
        ? `(local.set $a${i} (f64x2.add (local.get $a${i}) (f64x2.mul (local.get $b${i}) (local.get $m))))`
        : `(local.set $a${i} (f64x2.add (f64x2.mul (local.get $a${i}) (local.get $m)) (local.get $c)))`,
    )
    .join(" ");
  // The multiplier changes sign every turn, so no product is loop-invariant.
  const turn = productOffChain ? "(local.set $m (f64x2.neg (local.get $m)))" : "";
  const sum = idx.map((i) => `(local.set $s (f64x2.add (local.get $s) (local.get $a${i})))`).join(" ");
  return `(module (func (export "run") (param $n i32) (result f64) (local $m v128) (local $c v128) (local $s v128) ${locals}
    (local.set $m (f64x2.splat (f64.const 0.9999999))) (local.set $c (f64x2.splat (f64.const 1e-7))) ${init}
    (block $done (loop $l (br_if $done (i32.eqz (local.get $n))) ${step} ${turn}
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $l)))
    ${sum} (f64x2.extract_lane 0 (local.get $s))))`;
}

/** The part of the WebAssembly API used here (the project compiles without the DOM's types). */
const wasm = (globalThis as unknown as { WebAssembly: { instantiate(b: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }> } }).WebAssembly;
const wabt = await wabtInit();
const n = 2e7;
console.log("| chains | product | GFLOP/s (one thread) |\n| ---: | --- | ---: |");
for (const [chains, off] of [[4, false], [8, false], [12, false], [14, false], [4, true], [6, true]] as const) {
  const parsed = wabt.parseWat("peak.wat", peakWat(chains, off), { simd: true });
  const bytes = parsed.toBinary({}).buffer;
  parsed.destroy();
  const { instance } = await wasm.instantiate(bytes);
  const run = instance.exports["run"] as (n: number) => number;
  const warm = performance.now();
  while (performance.now() - warm < 1000) run(1e6);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    run(n);
    best = Math.min(best, performance.now() - t0);
  }
  // Per chain and iteration: one f64x2 multiply and one f64x2 add, 2 lanes each = 4 flops.
  console.log(`| ${chains} | ${off ? "off the chain" : "on the chain"} | ${((n * chains * 4) / best / 1e6).toFixed(1)} |`);
}
