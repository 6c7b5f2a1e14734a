/**
 * @file The reduction kernels of `src/kernels/wasm/math.wat` (written out by `gen-simd-math.ts`):
 * NumPy's pairwise sum and the pairwise dot on f64x2 accumulators, and the NaN-propagating max/min.
 */

/**
 * NumPy's pairwise sum (`pairwise_sum` in its umath loops): fewer than 8 elements in order from 0;
 * up to 128 with 8 accumulators (here four f64x2 registers), combined as
 * ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the rest in order; longer runs split at a multiple of
 * 8 near the half. With `product`, the same over the products a[i]·b[i] (the dot kernel).
 */
export function pairwise(name: string, product: boolean): string {
  const params = product ? "(param $p i32) (param $q i32) (param $n i32)" : "(param $p i32) (param $n i32)";
  // The i-th element (address `at` in the first operand, the same offset in the second): a or a·b.
  const elem = (at: string, offset = 0): string =>
    product
      ? `(f64x2.mul (v128.load offset=${offset} ${at}) (v128.load offset=${offset} (i32.add ${at} (local.get $d))))`
      : `(v128.load offset=${offset} ${at})`;
  const scalar = (at: string): string =>
    product ? `(f64.mul (f64.load ${at}) (f64.load (i32.add ${at} (local.get $d))))` : `(f64.load ${at})`;
  const recurse = (p: string, n: string): string =>
    product ? `(call $${name} ${p} (i32.add ${p} (local.get $d)) ${n})` : `(call $${name} ${p} ${n})`;
  // $res += the elements (or products) from $i up to $m, one at a time (short inputs, and tails).
  const addScalarsUpTo = `(block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $res (f64.add (local.get $res) ${scalar("(local.get $i)")}))
          (local.set $i (i32.add (local.get $i) (i32.const 8)))
          (br $next)))`;
  return `
  (func $${name} (export "${name}") ${params} (result f64)
    (local $i i32) (local $m i32) (local $res f64) (local $a v128) (local $b v128) (local $c v128) (local $e v128) (local $n2 i32) (local $d i32)
    ${product ? "(local.set $d (i32.sub (local.get $q) (local.get $p)))" : ""}
    (if (i32.lt_u (local.get $n) (i32.const 8))
      (then
        (local.set $res (f64.const 0))
        (local.set $i (local.get $p))
        (local.set $m (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
        ${addScalarsUpTo}
        (return (local.get $res))))
    (if (i32.le_u (local.get $n) (i32.const 128))
      (then
        (local.set $a ${elem("(local.get $p)")})
        (local.set $b ${elem("(local.get $p)", 16)})
        (local.set $c ${elem("(local.get $p)", 32)})
        (local.set $e ${elem("(local.get $p)", 48)})
        (local.set $m (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 3))))
        (local.set $i (i32.add (local.get $p) (i32.const 64)))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $a (f64x2.add (local.get $a) ${elem("(local.get $i)")}))
          (local.set $b (f64x2.add (local.get $b) ${elem("(local.get $i)", 16)}))
          (local.set $c (f64x2.add (local.get $c) ${elem("(local.get $i)", 32)}))
          (local.set $e (f64x2.add (local.get $e) ${elem("(local.get $i)", 48)}))
          (local.set $i (i32.add (local.get $i) (i32.const 64)))
          (br $next)))
        (local.set $res (f64.add
          (f64.add
            (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a)))
            (f64.add (f64x2.extract_lane 0 (local.get $b)) (f64x2.extract_lane 1 (local.get $b))))
          (f64.add
            (f64.add (f64x2.extract_lane 0 (local.get $c)) (f64x2.extract_lane 1 (local.get $c)))
            (f64.add (f64x2.extract_lane 0 (local.get $e)) (f64x2.extract_lane 1 (local.get $e))))))
        (local.set $m (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
        ${addScalarsUpTo}
        (return (local.get $res))))
    (local.set $n2 (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -8)))
    (f64.add
      ${recurse("(local.get $p)", "(local.get $n2)")}
      ${recurse("(i32.add (local.get $p) (i32.shl (local.get $n2) (i32.const 3)))", "(i32.sub (local.get $n) (local.get $n2))")}))`;
}

/**
 * The largest (`f64x2.max`) or smallest element of n ≥ 8 doubles, n a multiple of 8: four pairs
 * of accumulators; NaN propagates as in NumPy. The loop uses `pmax`/`pmin` (one instruction each,
 * where V8 spends about eight on `max`/`min` for their NaN and ±0 rules) with NaN lanes noted on
 * the side; a result of ±0, where `pmax` could have kept −0 over +0, is recomputed with `max`.
 */
export function extremum(name: "max" | "min"): string {
  const pf = `f64x2.p${name}`;
  const acc = ["a", "b", "c", "e"];
  return `${extremumExact(name)}
  (func $${name} (export "${name}") (param $p i32) (param $n i32) (result f64)
    (local $end i32) (local $a v128) (local $b v128) (local $c v128) (local $e v128) (local $v v128) (local $nan v128) (local $res f64)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    ${acc.map((l, i) => `(local.set $${l} (v128.load offset=${16 * i} (local.get $p)))`).join("\n    ")}
    (local.set $nan (v128.or
      (v128.or (f64x2.ne (local.get $a) (local.get $a)) (f64x2.ne (local.get $b) (local.get $b)))
      (v128.or (f64x2.ne (local.get $c) (local.get $c)) (f64x2.ne (local.get $e) (local.get $e)))))
    (local.set $p (i32.add (local.get $p) (i32.const 64)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      ${acc
        .map(
          (l, i) =>
            `(local.set $v (v128.load offset=${16 * i} (local.get $p)))
      (local.set $nan (v128.or (local.get $nan) (f64x2.ne (local.get $v) (local.get $v))))
      (local.set $${l} (${pf} (local.get $${l}) (local.get $v)))`,
        )
        .join("\n      ")}
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br $next)))
    (if (v128.any_true (local.get $nan)) (then (return (f64.const nan))))
    (local.set $a (${pf} (${pf} (local.get $a) (local.get $b)) (${pf} (local.get $c) (local.get $e))))
    (local.set $res (f64.${name} (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
    (if (f64.eq (local.get $res) (f64.const 0))
      (then (return (call $${name}_exact (i32.sub (local.get $p) (i32.shl (local.get $n) (i32.const 3))) (local.get $n)))))
    (local.get $res))`;
}

/** `extremum` with `f64x2.max`/`min` throughout (IEEE maximum: +0 over −0, NaN over anything). */
function extremumExact(name: "max" | "min"): string {
  const f = `f64x2.${name}`;
  return `
  (func $${name}_exact (param $p i32) (param $n i32) (result f64)
    (local $end i32) (local $a v128) (local $b v128) (local $c v128) (local $e v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $a (v128.load (local.get $p)))
    (local.set $b (v128.load offset=16 (local.get $p)))
    (local.set $c (v128.load offset=32 (local.get $p)))
    (local.set $e (v128.load offset=48 (local.get $p)))
    (local.set $p (i32.add (local.get $p) (i32.const 64)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $a (${f} (local.get $a) (v128.load (local.get $p))))
      (local.set $b (${f} (local.get $b) (v128.load offset=16 (local.get $p))))
      (local.set $c (${f} (local.get $c) (v128.load offset=32 (local.get $p))))
      (local.set $e (${f} (local.get $e) (v128.load offset=48 (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br $next)))
    (local.set $a (${f} (${f} (local.get $a) (local.get $b)) (${f} (local.get $c) (local.get $e))))
    (f64.${name} (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))`;
}
