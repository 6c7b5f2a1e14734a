;; C = A · B for row-major float64 matrices in this module's memory, with 128-bit SIMD (f64x2).
;;
;; Layout (byte addresses, set up by src/kernels/matmul-wasm.ts):
;;   A  at $a: m rows of k values (m a multiple of 4; padding rows are ignored by the caller);
;;   Bp at $bp: B packed in strips of 4 columns, strip s holding rows p = 0 … k−1 of
;;      B[p, 4s … 4s+3] one after another (32 bytes per row), so the inner loop reads B sequentially;
;;   C  at $c: m rows of n values (n a multiple of 4).
;; A 4 × 4 tile of C lives in eight f64x2 accumulators while p runs over k: per step, two loads
;; of B, four broadcasts of A, eight multiplies and eight adds. The sum over p runs in order,
;; without fused multiply-adds, so every element is the textbook sum's rounding of the same terms.
(module
  (memory (export "memory") 1)
  (func (export "gemm")
    (param $a i32) (param $bp i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (local $i i32) (local $s i32) (local $strips i32)
    (local $rowA i32) (local $kb i32) (local $nb i32)
    (local $pa i32) (local $pb i32) (local $end i32) (local $out i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 3)))
    (local.set $strips (i32.shr_u (local.get $n) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        ;; $rowA: first of the four rows of A
        (local.set $rowA (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $s (i32.const 0))
        (block $stripsDone
          (loop $strip
            (br_if $stripsDone (i32.ge_u (local.get $s) (local.get $strips)))
            (local.set $c00 (v128.const f64x2 0 0)) (local.set $c01 (v128.const f64x2 0 0))
            (local.set $c10 (v128.const f64x2 0 0)) (local.set $c11 (v128.const f64x2 0 0))
            (local.set $c20 (v128.const f64x2 0 0)) (local.set $c21 (v128.const f64x2 0 0))
            (local.set $c30 (v128.const f64x2 0 0)) (local.set $c31 (v128.const f64x2 0 0))
            (local.set $pa (local.get $rowA))
            (local.set $end (i32.add (local.get $rowA) (local.get $kb)))
            (local.set $pb (i32.add (local.get $bp) (i32.mul (local.get $s) (i32.shl (local.get $kb) (i32.const 2)))))
            (block $depthDone
              (loop $depth
                (br_if $depthDone (i32.ge_u (local.get $pa) (local.get $end)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $x (f64x2.splat (f64.load (local.get $pa))))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.load (i32.add (local.get $pa) (local.get $kb)))))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.load (i32.add (local.get $pa) (i32.shl (local.get $kb) (i32.const 1))))))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $x (f64x2.splat (f64.load (i32.add (local.get $pa) (i32.mul (local.get $kb) (i32.const 3))))))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
                (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
                (br $depth)))
            ;; store the tile: row r of it at C[i + r, 4s]
            (local.set $out (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $nb)) (i32.shl (local.get $s) (i32.const 5)))))
            (v128.store (local.get $out) (local.get $c00))
            (v128.store offset=16 (local.get $out) (local.get $c01))
            (local.set $out (i32.add (local.get $out) (local.get $nb)))
            (v128.store (local.get $out) (local.get $c10))
            (v128.store offset=16 (local.get $out) (local.get $c11))
            (local.set $out (i32.add (local.get $out) (local.get $nb)))
            (v128.store (local.get $out) (local.get $c20))
            (v128.store offset=16 (local.get $out) (local.get $c21))
            (local.set $out (i32.add (local.get $out) (local.get $nb)))
            (v128.store (local.get $out) (local.get $c30))
            (v128.store offset=16 (local.get $out) (local.get $c31))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $strip)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows)))))
