;; Element-wise kernels of the training step that TensorFlow.js' wasm backend ran as several passes,
;; or that ran in JavaScript: each is one pass over float32 data in the backend's own memory, four
;; lanes at a time with a scalar tail. Pointers are byte offsets into that memory; counts are
;; elements. scripts/build-wasm-kernels.mjs compiles this file into kernels-binary.ts (run
;; `npm run build:kernels` after editing; a test fails while the two differ).
(module
  (import "env" "memory" (memory 1))

  ;; Adam's update of one variable, in float32 as PyTorch computes it:
  ;;   m = beta1·m + oneMinusBeta1·g      s = beta2·s + oneMinusBeta2·g²
  ;;   out = p - stepSize·m / (√s · inverseRoot2 + epsilon)
  ;; The scalars come computed in float64 (1 - beta2 in float32 would be off by 1e-5 relative).
  ;; m and s are updated in place; out must not alias p (other tensors may share p's storage).
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $s i32) (param $out i32) (param $n i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $stepSize f32) (param $inverseRoot2 f32) (param $epsilon f32)
    (local $b1 v128) (local $a1 v128) (local $b2 v128) (local $a2 v128)
    (local $step v128) (local $inv v128) (local $eps v128)
    (local $gv v128) (local $mv v128) (local $sv v128)
    (local $gs f32) (local $ms f32) (local $ss f32)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $a1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $a2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $step (f32x4.splat (local.get $stepSize)))
    (local.set $inv (f32x4.splat (local.get $inverseRoot2)))
    (local.set $eps (f32x4.splat (local.get $epsilon)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.lt_u (local.get $n) (i32.const 4)))
        (local.set $gv (v128.load (local.get $g)))
        (local.set $mv
          (f32x4.add (f32x4.mul (local.get $b1) (v128.load (local.get $m)))
                     (f32x4.mul (local.get $a1) (local.get $gv))))
        (local.set $sv
          (f32x4.add (f32x4.mul (local.get $b2) (v128.load (local.get $s)))
                     (f32x4.mul (f32x4.mul (local.get $a2) (local.get $gv)) (local.get $gv))))
        (v128.store (local.get $m) (local.get $mv))
        (v128.store (local.get $s) (local.get $sv))
        (v128.store (local.get $out)
          (f32x4.sub (v128.load (local.get $p))
            (f32x4.div (f32x4.mul (local.get $step) (local.get $mv))
                       (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $sv)) (local.get $inv))
                                  (local.get $eps)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.eqz (local.get $n)))
        (local.set $gs (f32.load (local.get $g)))
        (local.set $ms
          (f32.add (f32.mul (local.get $beta1) (f32.load (local.get $m)))
                   (f32.mul (local.get $oneMinusBeta1) (local.get $gs))))
        (local.set $ss
          (f32.add (f32.mul (local.get $beta2) (f32.load (local.get $s)))
                   (f32.mul (f32.mul (local.get $oneMinusBeta2) (local.get $gs))
                            (local.get $gs))))
        (f32.store (local.get $m) (local.get $ms))
        (f32.store (local.get $s) (local.get $ss))
        (f32.store (local.get $out)
          (f32.sub (f32.load (local.get $p))
            (f32.div (f32.mul (local.get $stepSize) (local.get $ms))
                     (f32.add (f32.mul (f32.sqrt (local.get $ss)) (local.get $inverseRoot2))
                              (local.get $epsilon)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (local.set $s (i32.add (local.get $s) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $tail))))

  ;; The epilogue of a matmul's [rows, cols] output c, in place, in one pass:
  ;;   c = c + bias (per column; skipped when bias is 0)   then, when relu ≠ 0, c = max(c, 0)
  ;; relu keeps NaN (pmax(x, 0) is "x < 0 ? 0 : x", as TensorFlow.js' relu).
  (func (export "biasRelu")
    (param $c i32) (param $bias i32) (param $rows i32) (param $cols i32) (param $relu i32)
    (local $zero v128) (local $v v128) (local $x f32)
    (local $j i32) (local $b i32) (local $withBias i32)
    (local.set $zero (v128.const f32x4 0 0 0 0))
    (local.set $withBias (i32.ne (local.get $bias) (i32.const 0)))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $j (local.get $cols))
        (local.set $b (local.get $bias))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.lt_u (local.get $j) (i32.const 4)))
            (local.set $v (v128.load (local.get $c)))
            (if (local.get $withBias)
              (then (local.set $v (f32x4.add (local.get $v) (v128.load (local.get $b))))))
            (if (local.get $relu)
              (then (local.set $v (f32x4.pmax (local.get $v) (local.get $zero)))))
            (v128.store (local.get $c) (local.get $v))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 16)))
            (local.set $j (i32.sub (local.get $j) (i32.const 4)))
            (br $vectors)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.eqz (local.get $j)))
            (local.set $x (f32.load (local.get $c)))
            (if (local.get $withBias)
              (then (local.set $x (f32.add (local.get $x) (f32.load (local.get $b))))))
            (if (i32.and (local.get $relu) (f32.lt (local.get $x) (f32.const 0)))
              (then (local.set $x (f32.const 0))))
            (f32.store (local.get $c) (local.get $x))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; The backward pass of y = relu(x W + b) for a [rows, cols] output, in one pass:
  ;;   dz = y > 0 ? dy : 0          (the gradient reaching x W + b)
  ;;   biasGrad[j] = Σ_rows dz[·, j] (skipped when biasGrad is 0, i.e. no bias)
  ;; dz may alias dy. biasGrad is overwritten.
  (func (export "reluBackward")
    (param $dy i32) (param $y i32) (param $dz i32) (param $rows i32) (param $cols i32)
    (param $biasGrad i32)
    (local $zero v128) (local $dzv v128) (local $dzs f32)
    (local $j i32) (local $bias i32) (local $withBias i32)
    (local.set $zero (v128.const f32x4 0 0 0 0))
    (local.set $withBias (i32.ne (local.get $biasGrad) (i32.const 0)))
    (if (local.get $withBias)
      (then (memory.fill (local.get $biasGrad) (i32.const 0)
                         (i32.shl (local.get $cols) (i32.const 2)))))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $j (local.get $cols))
        (local.set $bias (local.get $biasGrad))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.lt_u (local.get $j) (i32.const 4)))
            (local.set $dzv
              (v128.and (v128.load (local.get $dy))
                        (f32x4.gt (v128.load (local.get $y)) (local.get $zero))))
            (v128.store (local.get $dz) (local.get $dzv))
            (if (local.get $withBias)
              (then (v128.store (local.get $bias)
                      (f32x4.add (v128.load (local.get $bias)) (local.get $dzv)))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $dz (i32.add (local.get $dz) (i32.const 16)))
            (local.set $bias (i32.add (local.get $bias) (i32.const 16)))
            (local.set $j (i32.sub (local.get $j) (i32.const 4)))
            (br $vectors)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.eqz (local.get $j)))
            (local.set $dzs
              (select (f32.load (local.get $dy)) (f32.const 0)
                      (f32.gt (f32.load (local.get $y)) (f32.const 0))))
            (f32.store (local.get $dz) (local.get $dzs))
            (if (local.get $withBias)
              (then (f32.store (local.get $bias)
                      (f32.add (f32.load (local.get $bias)) (local.get $dzs)))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
            (local.set $y (i32.add (local.get $y) (i32.const 4)))
            (local.set $dz (i32.add (local.get $dz) (i32.const 4)))
            (local.set $bias (i32.add (local.get $bias) (i32.const 4)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; exp(v) for four lanes, v in (-inf, 88]: v = k·ln2 + r with k = nearest(v·log2 e) and r split
  ;; over ln2's high and low parts (|r| ≤ ln2/2), e^r by its degree-7 Taylor polynomial (relative
  ;; error under 1e-7), and 2^k written into the exponent bits. Lanes with v < -87 give exactly 0,
  ;; so no subnormal is ever formed (x86 computes those slowly). The clamp uses pmin/pmax (one
  ;; instruction each; min/max's NaN rules cost several) — a NaN lane is masked to 0 either way —
  ;; and k is rounded by adding 1.5·2^23 (ties to even, as nearest, for |k| < 2^22), whose low
  ;; bits are then k itself: no trunc_sat conversion (another several-instruction sequence).
  (func $exp4 (param $v v128) (result v128)
    (local $c v128) (local $s v128) (local $k v128) (local $r v128) (local $p v128)
    (local.set $c (f32x4.pmin (v128.const f32x4 88 88 88 88)
                              (f32x4.pmax (v128.const f32x4 -87 -87 -87 -87) (local.get $v))))
    (local.set $s (f32x4.add
      (f32x4.mul (local.get $c) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
      (v128.const f32x4 12582912 12582912 12582912 12582912)))
    (local.set $k (f32x4.sub (local.get $s) (v128.const f32x4 12582912 12582912 12582912 12582912)))
    (local.set $r
      (f32x4.sub
        (f32x4.sub (local.get $c)
          (f32x4.mul (local.get $k) (v128.const f32x4 0.693145751953125 0.693145751953125
                                                    0.693145751953125 0.693145751953125)))
        (f32x4.mul (local.get $k) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6
                                                  1.428606765330187e-6 1.428606765330187e-6))))
    (local.set $p (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1 1 1 1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1 1 1 1)))
    (v128.and
      (f32x4.mul (local.get $p)
        ;; s's bits are 0x4B400000 + k: less 0x4B400000 - 127 they are the biased exponent k + 127.
        (i32x4.shl (i32x4.sub (local.get $s) (v128.const i32x4 1262485377 1262485377 1262485377 1262485377))
                   (i32.const 23)))
      (f32x4.ge (local.get $v) (v128.const f32x4 -87 -87 -87 -87))))

  ;; Φ(x), the standard normal CDF, for four lanes: with z = |x|/√2 and t = 1/(1 + z/2),
  ;; erfc(z) = t·exp(-z² + P(t)) with the degree-9 Chebyshev-fitted P of Press et al.'s erfcc
  ;; (fractional error under 1.2e-7 for every z ≥ 0), then Φ = 1 - erfc/2 for x ≥ 0 and erfc/2
  ;; below, so the left tail keeps its relative precision (1 + erf cancels there).
  (func $normalCdf4 (param $x v128) (result v128)
    (local $z v128) (local $t v128) (local $p v128) (local $half v128)
    (local.set $z (f32x4.mul (f32x4.abs (local.get $x))
                             (v128.const f32x4 0.70710678 0.70710678 0.70710678 0.70710678)))
    (local.set $t (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1)
                 (f32x4.mul (local.get $z) (v128.const f32x4 0.5 0.5 0.5 0.5)))))
    (local.set $p (v128.const f32x4 0.17087277 0.17087277 0.17087277 0.17087277))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 -0.82215223 -0.82215223 -0.82215223 -0.82215223)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 1.48851587 1.48851587 1.48851587 1.48851587)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 -1.13520398 -1.13520398 -1.13520398 -1.13520398)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 0.27886807 0.27886807 0.27886807 0.27886807)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 -0.18628806 -0.18628806 -0.18628806 -0.18628806)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 0.09678418 0.09678418 0.09678418 0.09678418)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 0.37409196 0.37409196 0.37409196 0.37409196)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 1.00002368 1.00002368 1.00002368 1.00002368)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $t))
      (v128.const f32x4 -1.26551223 -1.26551223 -1.26551223 -1.26551223)))
    ;; half = erfc(z) / 2
    (local.set $half
      (f32x4.mul (v128.const f32x4 0.5 0.5 0.5 0.5)
        (f32x4.mul (local.get $t)
          (call $exp4 (f32x4.sub (local.get $p) (f32x4.mul (local.get $z) (local.get $z)))))))
    (v128.bitselect
      (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $half))
      (local.get $half)
      (f32x4.ge (local.get $x) (v128.const f32x4 0 0 0 0))))

  ;; One GELU lane group: forward y = x·Φ(x); backward dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(-x²/2)/√(2π).
  (func $gelu4 (param $x v128) (result v128)
    (f32x4.mul (local.get $x) (call $normalCdf4 (local.get $x))))
  (func $geluGrad4 (param $dy v128) (param $x v128) (result v128)
    (f32x4.mul (local.get $dy) (call $geluSlope4 (local.get $x) (call $normalCdf4 (local.get $x)))))
  ;; GELU's derivative Φ + x·φ(x) from Φ = cdf; every GELU backward multiplies dy by exactly this.
  (func $geluSlope4 (param $x v128) (param $cdf v128) (result v128)
    (f32x4.add (local.get $cdf)
      (f32x4.mul (local.get $x)
        (f32x4.mul
          (call $exp4 (f32x4.mul (f32x4.mul (local.get $x) (local.get $x))
                                 (v128.const f32x4 -0.5 -0.5 -0.5 -0.5)))
          (v128.const f32x4 0.39894228 0.39894228 0.39894228 0.39894228)))))

  ;; Exact-form GELU (PyTorch's F.gelu, approximate='none') over n floats: out = x·Φ(x).
  ;; The tail runs the same lane code on a splatted value, so every element gets the same bits.
  (func (export "gelu") (param $x i32) (param $out i32) (param $n i32)
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.lt_u (local.get $n) (i32.const 4)))
        (v128.store (local.get $out) (call $gelu4 (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.eqz (local.get $n)))
        (f32.store (local.get $out)
          (f32x4.extract_lane 0 (call $gelu4 (f32x4.splat (f32.load (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $tail))))

  ;; GELU's backward pass over n floats: dx = dy·(Φ(x) + x·φ(x)). dx may alias dy.
  (func (export "geluBackward") (param $dy i32) (param $x i32) (param $dx i32) (param $n i32)
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.lt_u (local.get $n) (i32.const 4)))
        (v128.store (local.get $dx)
          (call $geluGrad4 (v128.load (local.get $dy)) (v128.load (local.get $x))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.eqz (local.get $n)))
        (f32.store (local.get $dx)
          (f32x4.extract_lane 0
            (call $geluGrad4 (f32x4.splat (f32.load (local.get $dy)))
                             (f32x4.splat (f32.load (local.get $x))))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $tail))))

  ;; GELU for training over n floats: out = x·Φ(x) and slope = Φ + x·φ(x), so that the backward
  ;; is dy·slope alone (one product) instead of geluBackward's Φ and φ again: two exponentials
  ;; and a division per element fewer over the step, with the same bits as gelu and geluBackward.
  (func (export "geluWithSlope") (param $x i32) (param $out i32) (param $slope i32) (param $n i32)
    (local $v v128) (local $c v128)
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.lt_u (local.get $n) (i32.const 4)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $c (call $normalCdf4 (local.get $v)))
        (v128.store (local.get $out) (f32x4.mul (local.get $v) (local.get $c)))
        (v128.store (local.get $slope) (call $geluSlope4 (local.get $v) (local.get $c)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $slope (i32.add (local.get $slope) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.eqz (local.get $n)))
        (local.set $v (f32x4.splat (f32.load (local.get $x))))
        (local.set $c (call $normalCdf4 (local.get $v)))
        (f32.store (local.get $out) (f32x4.extract_lane 0 (f32x4.mul (local.get $v) (local.get $c))))
        (f32.store (local.get $slope)
          (f32x4.extract_lane 0 (call $geluSlope4 (local.get $v) (local.get $c))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $slope (i32.add (local.get $slope) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $tail))))

    ;; ---- BiTCN: GELU then dropout as one op each way (models/bitcn/gelu-dropout.ts) ----

  ;; dx = (dy·m)·(Φ + x·φ(x)) with Φ read from the forward instead of recomputed: the same
  ;; expression, in the same order, as $geluGrad4 of the masked gradient, so the same bits.
  (func $geluGradCdf4 (param $dy v128) (param $x v128) (param $cdf v128) (result v128)
    (f32x4.mul (local.get $dy) (call $geluSlope4 (local.get $x) (local.get $cdf))))

  ;; Over n floats: cdf = Φ(x) and out = (x·Φ(x))·m, m the dropout mask (0 or 1/(1-rate)): GELU
  ;; and the mask's product in one pass, keeping Φ so the backward needs one exponential, not three.
  (func (export "geluMask") (param $x i32) (param $m i32) (param $out i32) (param $cdf i32) (param $n i32)
    (local $v v128) (local $c v128)
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.lt_u (local.get $n) (i32.const 4)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $c (call $normalCdf4 (local.get $v)))
        (v128.store (local.get $cdf) (local.get $c))
        (v128.store (local.get $out)
          (f32x4.mul (f32x4.mul (local.get $v) (local.get $c)) (v128.load (local.get $m))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $cdf (i32.add (local.get $cdf) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.eqz (local.get $n)))
        (local.set $v (f32x4.splat (f32.load (local.get $x))))
        (local.set $c (call $normalCdf4 (local.get $v)))
        (f32.store (local.get $cdf) (f32x4.extract_lane 0 (local.get $c)))
        (f32.store (local.get $out)
          (f32x4.extract_lane 0
            (f32x4.mul (f32x4.mul (local.get $v) (local.get $c)) (f32x4.splat (f32.load (local.get $m))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $cdf (i32.add (local.get $cdf) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $tail))))

  ;; The backward of geluMask over n floats: dx = (dy·m)·(Φ + x·φ(x)) with the forward's Φ.
  (func (export "geluMaskBackward")
    (param $dy i32) (param $m i32) (param $x i32) (param $cdf i32) (param $dx i32) (param $n i32)
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.lt_u (local.get $n) (i32.const 4)))
        (v128.store (local.get $dx)
          (call $geluGradCdf4
            (f32x4.mul (v128.load (local.get $dy)) (v128.load (local.get $m)))
            (v128.load (local.get $x))
            (v128.load (local.get $cdf))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $cdf (i32.add (local.get $cdf) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.eqz (local.get $n)))
        (f32.store (local.get $dx)
          (f32x4.extract_lane 0
            (call $geluGradCdf4
              (f32x4.splat (f32.mul (f32.load (local.get $dy)) (f32.load (local.get $m))))
              (f32x4.splat (f32.load (local.get $x)))
              (f32x4.splat (f32.load (local.get $cdf))))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $cdf (i32.add (local.get $cdf) (i32.const 4)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $tail))))
  ;; ---- Recurrent layers (models/recurrent/simd-loops.ts) ------------------------------------
  ;; One time step of a fused recurrent sequence's gate pass, for `rows` sequences at once, after
  ;; the step's recurrent product h_{t-1}·W_hh has been written to `rec` ([rows, G·hidden],
  ;; contiguous). Gate blocks of `hidden` floats (a multiple of 4: callers take the JavaScript loop
  ;; otherwise) sit side by side in PyTorch's order (LSTM i|f|g|o, GRU r|z|n). Row strides are in
  ;; bytes, so one call walks the batch-first [B, T, ·] tensors at one step t. A pointer 0 means
  ;; "absent": no bias, a zero initial state, no incoming gradient. Per row, each nonlinearity runs
  ;; as one pass over its contiguous block ($sigmoidN, $tanhN), because V8 (Node 20) does not
  ;; inline wasm calls: a call per four lanes cost more than the arithmetic.

  ;; dst = σ(src) = 1 / (1 + e^-src) over n floats (n a multiple of 4; dst may be src). e^-v as
  ;; $exp4 computes it (inlined; rounding and 2^k by the 1.5·2^23 trick, cheaper than V8's nearest
  ;; and trunc_sat), with -v clamped to ±87 so that no subnormal is ever formed (σ is then 1, or
  ;; below 1.7e-38 where it would round to about that anyway). Four vectors per iteration, their
  ;; statements interleaved, while sixteen floats remain (then one at a time): one vector's chain of
  ;; dependent steps (the polynomial, the division) stalls on latency, and the others fill the gaps
  ;; (LSTM's forward gate pass at H = 128 ~30 % faster than one vector at a time); per lane the
  ;; arithmetic is unchanged, so are the results.
  (func $sigmoidN (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $c v128) (local $t v128) (local $k v128) (local $r v128) (local $p v128) (local $c_1 v128) (local $t_1 v128) (local $k_1 v128) (local $r_1 v128) (local $p_1 v128) (local $c_2 v128) (local $t_2 v128) (local $k_2 v128) (local $r_2 v128) (local $p_2 v128) (local $c_3 v128) (local $t_3 v128) (local $k_3 v128) (local $r_3 v128) (local $p_3 v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $src) (i32.const 64)) (local.get $end)))
        (local.set $c (f32x4.pmin (f32x4.pmax (f32x4.neg (v128.load (local.get $src))) (v128.const f32x4 -87 -87 -87 -87)) (v128.const f32x4 87 87 87 87)))
        (local.set $c_1 (f32x4.pmin (f32x4.pmax (f32x4.neg (v128.load offset=16 (local.get $src))) (v128.const f32x4 -87 -87 -87 -87)) (v128.const f32x4 87 87 87 87)))
        (local.set $c_2 (f32x4.pmin (f32x4.pmax (f32x4.neg (v128.load offset=32 (local.get $src))) (v128.const f32x4 -87 -87 -87 -87)) (v128.const f32x4 87 87 87 87)))
        (local.set $c_3 (f32x4.pmin (f32x4.pmax (f32x4.neg (v128.load offset=48 (local.get $src))) (v128.const f32x4 -87 -87 -87 -87)) (v128.const f32x4 87 87 87 87)))
        (local.set $t (f32x4.add (f32x4.mul (local.get $c) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
                                 (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $t_1 (f32x4.add (f32x4.mul (local.get $c_1) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
                                 (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $t_2 (f32x4.add (f32x4.mul (local.get $c_2) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
                                 (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $t_3 (f32x4.add (f32x4.mul (local.get $c_3) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
                                 (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $k (f32x4.sub (local.get $t) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $k_1 (f32x4.sub (local.get $t_1) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $k_2 (f32x4.sub (local.get $t_2) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $k_3 (f32x4.sub (local.get $t_3) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $r (f32x4.sub
          (f32x4.sub (local.get $c) (f32x4.mul (local.get $k) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125)))
          (f32x4.mul (local.get $k) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))))
        (local.set $r_1 (f32x4.sub
          (f32x4.sub (local.get $c_1) (f32x4.mul (local.get $k_1) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125)))
          (f32x4.mul (local.get $k_1) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))))
        (local.set $r_2 (f32x4.sub
          (f32x4.sub (local.get $c_2) (f32x4.mul (local.get $k_2) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125)))
          (f32x4.mul (local.get $k_2) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))))
        (local.set $r_3 (f32x4.sub
          (f32x4.sub (local.get $c_3) (f32x4.mul (local.get $k_3) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125)))
          (f32x4.mul (local.get $k_3) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))))
        (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4) (local.get $r)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
        (local.set $p_1 (f32x4.add (f32x4.mul (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4) (local.get $r_1)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
        (local.set $p_2 (f32x4.add (f32x4.mul (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4) (local.get $r_2)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
        (local.set $p_3 (f32x4.add (f32x4.mul (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4) (local.get $r_3)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $r_1)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $r_2)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $r_3)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $r_1)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $r_2)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $r_3)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $r_1)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $r_2)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $r_3)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $r_1)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $r_2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $r_3)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $r_1)) (v128.const f32x4 1 1 1 1)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $r_2)) (v128.const f32x4 1 1 1 1)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $r_3)) (v128.const f32x4 1 1 1 1)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $r_1)) (v128.const f32x4 1 1 1 1)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $r_2)) (v128.const f32x4 1 1 1 1)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $r_3)) (v128.const f32x4 1 1 1 1)))
        (v128.store (local.get $dst)
          (f32x4.div (v128.const f32x4 1 1 1 1)
            (f32x4.add (v128.const f32x4 1 1 1 1)
              (f32x4.mul (local.get $p)
                
                (i32x4.shl (i32x4.add (local.get $t) (v128.const i32x4 -1262485377 -1262485377 -1262485377 -1262485377))
                           (i32.const 23))))))
        (v128.store offset=16 (local.get $dst)
          (f32x4.div (v128.const f32x4 1 1 1 1)
            (f32x4.add (v128.const f32x4 1 1 1 1)
              (f32x4.mul (local.get $p_1)
                
                (i32x4.shl (i32x4.add (local.get $t_1) (v128.const i32x4 -1262485377 -1262485377 -1262485377 -1262485377))
                           (i32.const 23))))))
        (v128.store offset=32 (local.get $dst)
          (f32x4.div (v128.const f32x4 1 1 1 1)
            (f32x4.add (v128.const f32x4 1 1 1 1)
              (f32x4.mul (local.get $p_2)
                
                (i32x4.shl (i32x4.add (local.get $t_2) (v128.const i32x4 -1262485377 -1262485377 -1262485377 -1262485377))
                           (i32.const 23))))))
        (v128.store offset=48 (local.get $dst)
          (f32x4.div (v128.const f32x4 1 1 1 1)
            (f32x4.add (v128.const f32x4 1 1 1 1)
              (f32x4.mul (local.get $p_3)
                
                (i32x4.shl (i32x4.add (local.get $t_3) (v128.const i32x4 -1262485377 -1262485377 -1262485377 -1262485377))
                           (i32.const 23))))))
        (local.set $src (i32.add (local.get $src) (i32.const 64)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (br $quads)))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $c (f32x4.pmin (f32x4.pmax (f32x4.neg (v128.load (local.get $src))) (v128.const f32x4 -87 -87 -87 -87)) (v128.const f32x4 87 87 87 87)))
        ;; k = nearest(c·log2 e) by adding and subtracting 1.5·2^23: t's low mantissa bits then hold k
        (local.set $t (f32x4.add (f32x4.mul (local.get $c) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
                                 (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $k (f32x4.sub (local.get $t) (v128.const f32x4 12582912 12582912 12582912 12582912)))
        (local.set $r (f32x4.sub
          (f32x4.sub (local.get $c) (f32x4.mul (local.get $k) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125)))
          (f32x4.mul (local.get $k) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))))
        (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4) (local.get $r)) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        (v128.store (local.get $dst)
          (f32x4.div (v128.const f32x4 1 1 1 1)
            (f32x4.add (v128.const f32x4 1 1 1 1)
              (f32x4.mul (local.get $p)
                ;; 2^k: k + 127 into the exponent bits (t's bits are 0x4B400000 + k)
                (i32x4.shl (i32x4.add (local.get $t) (v128.const i32x4 -1262485377 -1262485377 -1262485377 -1262485377))
                           (i32.const 23))))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vectors))))

  ;; dst = tanh(src) over n floats (n a multiple of 4; dst may be src): the odd rational
  ;; approximation of degree 13/6 on v clamped to ±7.9 (Eigen's fast tanh, as TensorFlow's CPU
  ;; kernels use it), within 4e-7 of tanh everywhere, and v itself below |v| = 4e-4, so relative
  ;; precision holds near 0 (where 1 - 2/(e^2v + 1) would cancel). Four vectors at a time, as
  ;; $sigmoidN.
  (func $tanhN (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $v v128) (local $x v128) (local $x2 v128) (local $p v128) (local $q v128) (local $v_1 v128) (local $x_1 v128) (local $x2_1 v128) (local $p_1 v128) (local $q_1 v128) (local $v_2 v128) (local $x_2 v128) (local $x2_2 v128) (local $p_2 v128) (local $q_2 v128) (local $v_3 v128) (local $x_3 v128) (local $x2_3 v128) (local $p_3 v128) (local $q_3 v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $src) (i32.const 64)) (local.get $end)))
        (local.set $v (v128.load (local.get $src)))
        (local.set $v_1 (v128.load offset=16 (local.get $src)))
        (local.set $v_2 (v128.load offset=32 (local.get $src)))
        (local.set $v_3 (v128.load offset=48 (local.get $src)))
        (local.set $x (f32x4.pmin (f32x4.pmax (local.get $v) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)))
        (local.set $x_1 (f32x4.pmin (f32x4.pmax (local.get $v_1) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)))
        (local.set $x_2 (f32x4.pmin (f32x4.pmax (local.get $v_2) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)))
        (local.set $x_3 (f32x4.pmin (f32x4.pmax (local.get $v_3) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)))
        (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
        (local.set $x2_1 (f32x4.mul (local.get $x_1) (local.get $x_1)))
        (local.set $x2_2 (f32x4.mul (local.get $x_2) (local.get $x_2)))
        (local.set $x2_3 (f32x4.mul (local.get $x_3) (local.get $x_3)))
        (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $x2)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
        (local.set $p_1 (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $x2_1)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
        (local.set $p_2 (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $x2_2)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
        (local.set $p_3 (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $x2_3)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $x2_1)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $x2_2)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $x2_3)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $x2_1)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $x2_2)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $x2_3)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $x2_1)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $x2_2)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $x2_3)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $x2_1)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $x2_2)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $x2_3)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)))
        (local.set $p_1 (f32x4.add (f32x4.mul (local.get $p_1) (local.get $x2_1)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)))
        (local.set $p_2 (f32x4.add (f32x4.mul (local.get $p_2) (local.get $x2_2)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)))
        (local.set $p_3 (f32x4.add (f32x4.mul (local.get $p_3) (local.get $x2_3)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)))
        (local.set $q (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $x2)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)))
        (local.set $q_1 (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $x2_1)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)))
        (local.set $q_2 (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $x2_2)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)))
        (local.set $q_3 (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $x2_3)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $x2)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)))
        (local.set $q_1 (f32x4.add (f32x4.mul (local.get $q_1) (local.get $x2_1)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)))
        (local.set $q_2 (f32x4.add (f32x4.mul (local.get $q_2) (local.get $x2_2)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)))
        (local.set $q_3 (f32x4.add (f32x4.mul (local.get $q_3) (local.get $x2_3)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $x2)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))
        (local.set $q_1 (f32x4.add (f32x4.mul (local.get $q_1) (local.get $x2_1)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))
        (local.set $q_2 (f32x4.add (f32x4.mul (local.get $q_2) (local.get $x2_2)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))
        (local.set $q_3 (f32x4.add (f32x4.mul (local.get $q_3) (local.get $x2_3)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))
        (v128.store (local.get $dst)
          (v128.bitselect (local.get $v)
            (f32x4.div (f32x4.mul (local.get $p) (local.get $x)) (local.get $q))
            (f32x4.lt (f32x4.abs (local.get $v)) (v128.const f32x4 0.0004 0.0004 0.0004 0.0004))))
        (v128.store offset=16 (local.get $dst)
          (v128.bitselect (local.get $v_1)
            (f32x4.div (f32x4.mul (local.get $p_1) (local.get $x_1)) (local.get $q_1))
            (f32x4.lt (f32x4.abs (local.get $v_1)) (v128.const f32x4 0.0004 0.0004 0.0004 0.0004))))
        (v128.store offset=32 (local.get $dst)
          (v128.bitselect (local.get $v_2)
            (f32x4.div (f32x4.mul (local.get $p_2) (local.get $x_2)) (local.get $q_2))
            (f32x4.lt (f32x4.abs (local.get $v_2)) (v128.const f32x4 0.0004 0.0004 0.0004 0.0004))))
        (v128.store offset=48 (local.get $dst)
          (v128.bitselect (local.get $v_3)
            (f32x4.div (f32x4.mul (local.get $p_3) (local.get $x_3)) (local.get $q_3))
            (f32x4.lt (f32x4.abs (local.get $v_3)) (v128.const f32x4 0.0004 0.0004 0.0004 0.0004))))
        (local.set $src (i32.add (local.get $src) (i32.const 64)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (br $quads)))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $v (v128.load (local.get $src)))
        (local.set $x (f32x4.pmin (f32x4.pmax (local.get $v) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)))
        (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
        (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $x2)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)))
        (local.set $q (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $x2)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $x2)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $x2)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))
        (v128.store (local.get $dst)
          (v128.bitselect (local.get $v)
            (f32x4.div (f32x4.mul (local.get $p) (local.get $x)) (local.get $q))
            (f32x4.lt (f32x4.abs (local.get $v)) (v128.const f32x4 0.0004 0.0004 0.0004 0.0004))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vectors))))

  ;; dst = a + b (+ c when withC) over n floats: a gate block's pre-activation.
  (func $sum3N (param $a i32) (param $b i32) (param $c i32) (param $withC i32) (param $dst i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $dst)
          (if (result v128) (local.get $withC)
            (then (f32x4.add (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b)))
                             (v128.load (local.get $c))))
            (else (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vectors))))

  ;; LSTM forward step: [i f g o] = x + rec + bias; c = σ(f)·cPrev + σ(i)·tanh(g); h = σ(o)·tanh(c).
  ;; Writes aux = [σ(i) σ(f) tanh(g) σ(o) c tanh(c)] (six blocks) and h.
  (func (export "lstmForwardStep")
    (param $x i32) (param $xStride i32) (param $rec i32) (param $bias i32)
    (param $aux i32) (param $auxStride i32) (param $cPrev i32) (param $cPrevStride i32)
    (param $h i32) (param $hStride i32) (param $rows i32) (param $hidden i32)
    (local $blk i32) (local $j i32) (local $aj i32) (local $withC i32) (local $c v128)
    (local.set $blk (i32.shl (local.get $hidden) (i32.const 2)))
    (local.set $withC (i32.ne (local.get $cPrev) (i32.const 0)))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        ;; pre-activations of the four gates into aux's first four blocks, then their nonlinearities
        (call $sum3N (local.get $x) (local.get $rec) (local.get $bias) (i32.ne (local.get $bias) (i32.const 0))
                     (local.get $aux) (i32.shl (local.get $hidden) (i32.const 2)))
        (call $sigmoidN (local.get $aux) (local.get $aux) (i32.shl (local.get $hidden) (i32.const 1)))
        (local.set $aj (i32.add (local.get $aux) (i32.shl (local.get $blk) (i32.const 1))))
        (call $tanhN (local.get $aj) (local.get $aj) (local.get $hidden))
        (local.set $aj (i32.add (local.get $aj) (local.get $blk)))
        (call $sigmoidN (local.get $aj) (local.get $aj) (local.get $hidden))
        ;; c = f·cPrev + i·g into block 4
        (local.set $j (i32.const 0))
        (block $done
          (loop $vectors
            (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
            (local.set $aj (i32.add (local.get $aux) (local.get $j)))
            (local.set $c (f32x4.mul (v128.load (local.get $aj))
              (v128.load (i32.add (local.get $aj) (i32.shl (local.get $blk) (i32.const 1))))))
            (if (local.get $withC)
              (then (local.set $c (f32x4.add
                (f32x4.mul (v128.load (i32.add (local.get $aj) (local.get $blk)))
                           (v128.load (i32.add (local.get $cPrev) (local.get $j))))
                (local.get $c)))))
            (v128.store (i32.add (local.get $aj) (i32.shl (local.get $blk) (i32.const 2))) (local.get $c))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        ;; tanh(c) into block 5, then h = o·tanh(c)
        (local.set $aj (i32.add (local.get $aux) (i32.shl (local.get $blk) (i32.const 2))))
        (call $tanhN (local.get $aj) (i32.add (local.get $aj) (local.get $blk)) (local.get $hidden))
        (local.set $j (i32.const 0))
        (block $done
          (loop $vectors
            (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
            (local.set $aj (i32.add (local.get $aux) (local.get $j)))
            (v128.store (i32.add (local.get $h) (local.get $j))
              (f32x4.mul (v128.load (i32.add (local.get $aj) (i32.mul (local.get $blk) (i32.const 3))))
                         (v128.load (i32.add (local.get $aj) (i32.mul (local.get $blk) (i32.const 5))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        (local.set $x (i32.add (local.get $x) (local.get $xStride)))
        (local.set $rec (i32.add (local.get $rec) (i32.shl (local.get $blk) (i32.const 2))))
        (local.set $aux (i32.add (local.get $aux) (local.get $auxStride)))
        (local.set $cPrev (i32.add (local.get $cPrev) (local.get $cPrevStride)))
        (local.set $h (i32.add (local.get $h) (local.get $hStride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; LSTM backward step, with aux and cPrev as the forward left them:
  ;;   dh = dhA + dhB (dhB: [rows, hidden] contiguous, or 0)
  ;;   dc = carryIn + dh·o·(1 - tanh(c)²)      carryOut = dc·f   (carryIn: [rows, hidden] or 0)
  ;;   dx = [dc·g·i(1-i), dc·cPrev·f(1-f), dc·i·(1-g²), dh·tanh(c)·o(1-o)]
  ;; carryIn may alias carryOut.
  (func (export "lstmBackwardStep")
    (param $dhA i32) (param $dhAStride i32) (param $dhB i32) (param $carryIn i32) (param $carryOut i32)
    (param $aux i32) (param $auxStride i32) (param $cPrev i32) (param $cPrevStride i32)
    (param $dx i32) (param $dxStride i32) (param $rows i32) (param $hidden i32)
    (local $blk i32) (local $j i32) (local $aj i32) (local $dj i32)
    (local $withB i32) (local $withCarry i32) (local $withC i32)
    (local $one v128) (local $zero v128) (local $dh v128) (local $dc v128) (local $cp v128)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $tc v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $zero (v128.const f32x4 0 0 0 0))
    (local.set $blk (i32.shl (local.get $hidden) (i32.const 2)))
    (local.set $withB (i32.ne (local.get $dhB) (i32.const 0)))
    (local.set $withCarry (i32.ne (local.get $carryIn) (i32.const 0)))
    (local.set $withC (i32.ne (local.get $cPrev) (i32.const 0)))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $done
          (loop $vectors
            (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
            (local.set $dh (v128.load (i32.add (local.get $dhA) (local.get $j))))
            (if (local.get $withB)
              (then (local.set $dh (f32x4.add (local.get $dh) (v128.load (i32.add (local.get $dhB) (local.get $j)))))))
            (local.set $aj (i32.add (local.get $aux) (local.get $j)))
            (local.set $i (v128.load (local.get $aj)))
            (local.set $aj (i32.add (local.get $aj) (local.get $blk)))
            (local.set $f (v128.load (local.get $aj)))
            (local.set $aj (i32.add (local.get $aj) (local.get $blk)))
            (local.set $g (v128.load (local.get $aj)))
            (local.set $aj (i32.add (local.get $aj) (local.get $blk)))
            (local.set $o (v128.load (local.get $aj)))
            (local.set $aj (i32.add (local.get $aj) (i32.shl (local.get $blk) (i32.const 1))))
            (local.set $tc (v128.load (local.get $aj)))
            (local.set $dc (f32x4.mul (f32x4.mul (local.get $dh) (local.get $o))
                (f32x4.sub (local.get $one) (f32x4.mul (local.get $tc) (local.get $tc)))))
            (if (local.get $withCarry)
              (then (local.set $dc (f32x4.add (v128.load (i32.add (local.get $carryIn) (local.get $j)))
                                              (local.get $dc)))))
            (local.set $cp (local.get $zero))
            (if (local.get $withC)
              (then (local.set $cp (v128.load (i32.add (local.get $cPrev) (local.get $j))))))
            (v128.store (i32.add (local.get $carryOut) (local.get $j))
              (f32x4.mul (local.get $dc) (local.get $f)))
            (local.set $dj (i32.add (local.get $dx) (local.get $j)))
            (v128.store (local.get $dj)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (local.get $g)) (local.get $i))
                (f32x4.sub (local.get $one) (local.get $i))))
            (local.set $dj (i32.add (local.get $dj) (local.get $blk)))
            (v128.store (local.get $dj)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (local.get $cp)) (local.get $f))
                (f32x4.sub (local.get $one) (local.get $f))))
            (local.set $dj (i32.add (local.get $dj) (local.get $blk)))
            (v128.store (local.get $dj)
              (f32x4.mul (f32x4.mul (local.get $dc) (local.get $i))
                (f32x4.sub (local.get $one) (f32x4.mul (local.get $g) (local.get $g)))))
            (local.set $dj (i32.add (local.get $dj) (local.get $blk)))
            (v128.store (local.get $dj)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (local.get $tc)) (local.get $o))
                (f32x4.sub (local.get $one) (local.get $o))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        (local.set $dhA (i32.add (local.get $dhA) (local.get $dhAStride)))
        (local.set $dhB (i32.add (local.get $dhB) (local.get $blk)))
        (local.set $carryIn (i32.add (local.get $carryIn) (local.get $blk)))
        (local.set $carryOut (i32.add (local.get $carryOut) (local.get $blk)))
        (local.set $aux (i32.add (local.get $aux) (local.get $auxStride)))
        (local.set $cPrev (i32.add (local.get $cPrev) (local.get $cPrevStride)))
        (local.set $dx (i32.add (local.get $dx) (local.get $dxStride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; GRU forward step (PyTorch's r|z|n, r gating the recurrent part after its bias):
  ;;   r = σ(x_r + rec_r + b_r)   z = σ(x_z + rec_z + b_z)   hn = rec_n + b_n
  ;;   n = tanh(x_n + r·hn)        h = n + z·(hPrev - n)
  ;; Writes aux = [r z n hn] and h.
  (func (export "gruForwardStep")
    (param $x i32) (param $xStride i32) (param $rec i32) (param $bias i32)
    (param $aux i32) (param $auxStride i32) (param $hPrev i32) (param $hPrevStride i32)
    (param $h i32) (param $hStride i32) (param $rows i32) (param $hidden i32)
    (local $blk i32) (local $j i32) (local $aj i32) (local $withBias i32) (local $withH i32)
    (local $hn v128) (local $n v128) (local $hp v128)
    (local.set $blk (i32.shl (local.get $hidden) (i32.const 2)))
    (local.set $withBias (i32.ne (local.get $bias) (i32.const 0)))
    (local.set $withH (i32.ne (local.get $hPrev) (i32.const 0)))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        ;; r and z: pre-activations into aux's first two blocks, then σ
        (call $sum3N (local.get $x) (local.get $rec) (local.get $bias) (local.get $withBias)
                     (local.get $aux) (i32.shl (local.get $hidden) (i32.const 1)))
        (call $sigmoidN (local.get $aux) (local.get $aux) (i32.shl (local.get $hidden) (i32.const 1)))
        ;; hn = rec_n + b_n into block 3; n's pre-activation x_n + r·hn into block 2, then tanh
        (local.set $j (i32.const 0))
        (block $done
          (loop $vectors
            (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
            (local.set $aj (i32.add (local.get $aux) (local.get $j)))
            (local.set $hn (v128.load (i32.add (i32.add (local.get $rec) (local.get $j))
                                               (i32.shl (local.get $blk) (i32.const 1)))))
            (if (local.get $withBias)
              (then (local.set $hn (f32x4.add (local.get $hn)
                (v128.load (i32.add (i32.add (local.get $bias) (local.get $j))
                                    (i32.shl (local.get $blk) (i32.const 1))))))))
            (v128.store (i32.add (local.get $aj) (i32.mul (local.get $blk) (i32.const 3))) (local.get $hn))
            (v128.store (i32.add (local.get $aj) (i32.shl (local.get $blk) (i32.const 1)))
              (f32x4.add
                (v128.load (i32.add (i32.add (local.get $x) (local.get $j)) (i32.shl (local.get $blk) (i32.const 1))))
                (f32x4.mul (v128.load (local.get $aj)) (local.get $hn))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        (local.set $aj (i32.add (local.get $aux) (i32.shl (local.get $blk) (i32.const 1))))
        (call $tanhN (local.get $aj) (local.get $aj) (local.get $hidden))
        ;; h = n + z·(hPrev - n)
        (local.set $j (i32.const 0))
        (block $done
          (loop $vectors
            (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
            (local.set $aj (i32.add (local.get $aux) (local.get $j)))
            (local.set $n (v128.load (i32.add (local.get $aj) (i32.shl (local.get $blk) (i32.const 1)))))
            (local.set $hp (v128.const f32x4 0 0 0 0))
            (if (local.get $withH)
              (then (local.set $hp (v128.load (i32.add (local.get $hPrev) (local.get $j))))))
            (v128.store (i32.add (local.get $h) (local.get $j))
              (f32x4.add (local.get $n)
                (f32x4.mul (v128.load (i32.add (local.get $aj) (local.get $blk)))
                           (f32x4.sub (local.get $hp) (local.get $n)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        (local.set $x (i32.add (local.get $x) (local.get $xStride)))
        (local.set $rec (i32.add (local.get $rec) (i32.mul (local.get $blk) (i32.const 3))))
        (local.set $aux (i32.add (local.get $aux) (local.get $auxStride)))
        (local.set $hPrev (i32.add (local.get $hPrev) (local.get $hPrevStride)))
        (local.set $h (i32.add (local.get $h) (local.get $hStride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; GRU backward step: dh = dy + dhB + dhC (dhB, dhC: [rows, hidden] contiguous, or 0), then
  ;;   dn = dh·(1-z)·(1-n²)   dr = dn·hn·r(1-r)   dz = dh·(hPrev-n)·z(1-z)
  ;;   dx = [dr dz dn]   dRec = [dr dz dn·r]   carry = dh·z (h_{t-1}'s direct share; may alias dhC)
  ;; dx and dRec share dxStride.
  (func (export "gruBackwardStep")
    (param $dy i32) (param $dyStride i32) (param $dhB i32) (param $dhC i32)
    (param $aux i32) (param $auxStride i32) (param $hPrev i32) (param $hPrevStride i32)
    (param $dx i32) (param $dRec i32) (param $dxStride i32) (param $carry i32)
    (param $rows i32) (param $hidden i32)
    (local $blk i32) (local $j i32) (local $aj i32) (local $dj i32) (local $ej i32)
    (local $withB i32) (local $withC i32) (local $withH i32)
    (local $one v128) (local $dh v128) (local $r v128) (local $z v128) (local $n v128) (local $hn v128)
    (local $hp v128) (local $dn v128) (local $dr v128) (local $dz v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $blk (i32.shl (local.get $hidden) (i32.const 2)))
    (local.set $withB (i32.ne (local.get $dhB) (i32.const 0)))
    (local.set $withC (i32.ne (local.get $dhC) (i32.const 0)))
    (local.set $withH (i32.ne (local.get $hPrev) (i32.const 0)))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $done
          (loop $vectors
            (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
            (local.set $dh (v128.load (i32.add (local.get $dy) (local.get $j))))
            (if (local.get $withB)
              (then (local.set $dh (f32x4.add (local.get $dh) (v128.load (i32.add (local.get $dhB) (local.get $j)))))))
            (if (local.get $withC)
              (then (local.set $dh (f32x4.add (local.get $dh) (v128.load (i32.add (local.get $dhC) (local.get $j)))))))
            (local.set $aj (i32.add (local.get $aux) (local.get $j)))
            (local.set $r (v128.load (local.get $aj)))
            (local.set $aj (i32.add (local.get $aj) (local.get $blk)))
            (local.set $z (v128.load (local.get $aj)))
            (local.set $aj (i32.add (local.get $aj) (local.get $blk)))
            (local.set $n (v128.load (local.get $aj)))
            (local.set $aj (i32.add (local.get $aj) (local.get $blk)))
            (local.set $hn (v128.load (local.get $aj)))
            (local.set $hp (v128.const f32x4 0 0 0 0))
            (if (local.get $withH)
              (then (local.set $hp (v128.load (i32.add (local.get $hPrev) (local.get $j))))))
            (local.set $dn (f32x4.mul (f32x4.mul (local.get $dh) (f32x4.sub (local.get $one) (local.get $z)))
              (f32x4.sub (local.get $one) (f32x4.mul (local.get $n) (local.get $n)))))
            (local.set $dr (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dn) (local.get $hn)) (local.get $r))
              (f32x4.sub (local.get $one) (local.get $r))))
            (local.set $dz (f32x4.mul
              (f32x4.mul (f32x4.mul (local.get $dh) (f32x4.sub (local.get $hp) (local.get $n))) (local.get $z))
              (f32x4.sub (local.get $one) (local.get $z))))
            (v128.store (i32.add (local.get $carry) (local.get $j)) (f32x4.mul (local.get $dh) (local.get $z)))
            (local.set $dj (i32.add (local.get $dx) (local.get $j)))
            (local.set $ej (i32.add (local.get $dRec) (local.get $j)))
            (v128.store (local.get $dj) (local.get $dr))
            (v128.store (local.get $ej) (local.get $dr))
            (local.set $dj (i32.add (local.get $dj) (local.get $blk)))
            (local.set $ej (i32.add (local.get $ej) (local.get $blk)))
            (v128.store (local.get $dj) (local.get $dz))
            (v128.store (local.get $ej) (local.get $dz))
            (local.set $dj (i32.add (local.get $dj) (local.get $blk)))
            (local.set $ej (i32.add (local.get $ej) (local.get $blk)))
            (v128.store (local.get $dj) (local.get $dn))
            (v128.store (local.get $ej) (f32x4.mul (local.get $dn) (local.get $r)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        (local.set $dy (i32.add (local.get $dy) (local.get $dyStride)))
        (local.set $dhB (i32.add (local.get $dhB) (local.get $blk)))
        (local.set $dhC (i32.add (local.get $dhC) (local.get $blk)))
        (local.set $aux (i32.add (local.get $aux) (local.get $auxStride)))
        (local.set $hPrev (i32.add (local.get $hPrev) (local.get $hPrevStride)))
        (local.set $dx (i32.add (local.get $dx) (local.get $dxStride)))
        (local.set $dRec (i32.add (local.get $dRec) (local.get $dxStride)))
        (local.set $carry (i32.add (local.get $carry) (local.get $blk)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; Elman forward step: h = act(x + rec + bias), act tanh, or relu when `relu` ≠ 0 (NaN -> 0, as
  ;; the JavaScript loop's s > 0 ? s : 0).
  (func (export "elmanForwardStep")
    (param $x i32) (param $xStride i32) (param $rec i32) (param $bias i32)
    (param $h i32) (param $hStride i32) (param $rows i32) (param $hidden i32) (param $relu i32)
    (local $blk i32) (local $j i32) (local $s v128)
    (local.set $blk (i32.shl (local.get $hidden) (i32.const 2)))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (call $sum3N (local.get $x) (local.get $rec) (local.get $bias) (i32.ne (local.get $bias) (i32.const 0))
                     (local.get $h) (local.get $hidden))
        (if (local.get $relu)
          (then
            (local.set $j (i32.const 0))
            (block $done
              (loop $vectors
                (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
                (local.set $s (v128.load (i32.add (local.get $h) (local.get $j))))
                (v128.store (i32.add (local.get $h) (local.get $j))
                  (v128.and (local.get $s) (f32x4.gt (local.get $s) (v128.const f32x4 0 0 0 0))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $vectors))))
          (else (call $tanhN (local.get $h) (local.get $h) (local.get $hidden))))
        (local.set $x (i32.add (local.get $x) (local.get $xStride)))
        (local.set $rec (i32.add (local.get $rec) (local.get $blk)))
        (local.set $h (i32.add (local.get $h) (local.get $hStride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; Elman backward step: dh = dy + dhB (dhB: [rows, hidden] contiguous, or 0);
  ;; dx = dh·(1 - h²) for tanh, dh where h > 0 for relu.
  (func (export "elmanBackwardStep")
    (param $dy i32) (param $dyStride i32) (param $dhB i32) (param $y i32) (param $yStride i32)
    (param $dx i32) (param $dxStride i32) (param $rows i32) (param $hidden i32) (param $relu i32)
    (local $blk i32) (local $j i32) (local $withB i32) (local $dh v128) (local $hv v128)
    (local.set $blk (i32.shl (local.get $hidden) (i32.const 2)))
    (local.set $withB (i32.ne (local.get $dhB) (i32.const 0)))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $done
          (loop $vectors
            (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
            (local.set $dh (v128.load (i32.add (local.get $dy) (local.get $j))))
            (if (local.get $withB)
              (then (local.set $dh (f32x4.add (local.get $dh) (v128.load (i32.add (local.get $dhB) (local.get $j)))))))
            (local.set $hv (v128.load (i32.add (local.get $y) (local.get $j))))
            (v128.store (i32.add (local.get $dx) (local.get $j))
              (if (result v128) (local.get $relu)
                (then (v128.and (local.get $dh) (f32x4.gt (local.get $hv) (v128.const f32x4 0 0 0 0))))
                (else (f32x4.mul (local.get $dh) (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $hv) (local.get $hv)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vectors)))
        (local.set $dy (i32.add (local.get $dy) (local.get $dyStride)))
        (local.set $dhB (i32.add (local.get $dhB) (local.get $blk)))
        (local.set $y (i32.add (local.get $y) (local.get $yStride)))
        (local.set $dx (i32.add (local.get $dx) (local.get $dxStride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))
;; ==== TFT's gate-add-norm (nn/gated-add-norm.ts): LayerNorm(GLU(g) + skip) forward and backward ====
  ;; Rows fall into equal consecutive runs of perGroup rows, run i normalised with gain/shift row i.

  ;; σ(b) = 1/(1 + e^-b) for four lanes, e^-b's argument capped at 87 so no subnormal forms;
  ;; a NaN lane stays NaN.
  (func $sigmoid4 (param $b v128) (result v128)
    (v128.bitselect
      (f32x4.div (v128.const f32x4 1 1 1 1)
        (f32x4.add (v128.const f32x4 1 1 1 1)
          (call $exp4 (f32x4.min (f32x4.neg (local.get $b)) (v128.const f32x4 87 87 87 87)))))
      (local.get $b)
      (f32x4.eq (local.get $b) (local.get $b))))

  ;; The sum of four lanes, (l0 + l1) + (l2 + l3).
  (func $hsum4 (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; g [rows, 2w] = [a, b], skip [rows, w], gamma and beta [groups·w] -> the gate s = σ(b) [rows, w],
  ;; y = (a·s + skip − mean)/σ·gamma + beta [rows, w], and per row mean and 1/σ = 1/√(var + eps).
  ;; w must be a multiple of 4.
  (func (export "gatedNormForward")
    (param $g i32) (param $skip i32) (param $gamma i32) (param $beta i32)
    (param $y i32) (param $s i32) (param $mean i32) (param $rstd i32)
    (param $rows i32) (param $w i32) (param $perGroup i32) (param $eps f32)
    (local $wb i32) (local $j i32) (local $left i32) (local $gp i32) (local $bp i32)
    (local $acc v128) (local $sv v128) (local $v v128) (local $m v128) (local $rs v128)
    (local $mf f32) (local $rf f32) (local $wf f32)
    (local.set $wb (i32.shl (local.get $w) (i32.const 2)))
    (local.set $wf (f32.convert_i32_u (local.get $w)))
    (local.set $left (local.get $perGroup))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        ;; a·σ(b) + skip into y and s, summed.
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $done1
          (loop $pass1
            (br_if $done1 (i32.ge_u (local.get $j) (local.get $wb)))
            (local.set $sv (call $sigmoid4
              (v128.load (i32.add (i32.add (local.get $g) (local.get $wb)) (local.get $j)))))
            (v128.store (i32.add (local.get $s) (local.get $j)) (local.get $sv))
            (local.set $v (f32x4.add
              (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $j))) (local.get $sv))
              (v128.load (i32.add (local.get $skip) (local.get $j)))))
            (v128.store (i32.add (local.get $y) (local.get $j)) (local.get $v))
            (local.set $acc (f32x4.add (local.get $acc) (local.get $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass1)))
        (local.set $mf (f32.div (call $hsum4 (local.get $acc)) (local.get $wf)))
        (local.set $m (f32x4.splat (local.get $mf)))
        ;; The centred squares.
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $done2
          (loop $pass2
            (br_if $done2 (i32.ge_u (local.get $j) (local.get $wb)))
            (local.set $v (f32x4.sub (v128.load (i32.add (local.get $y) (local.get $j))) (local.get $m)))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass2)))
        (local.set $rf (f32.div (f32.const 1)
          (f32.sqrt (f32.add (f32.div (call $hsum4 (local.get $acc)) (local.get $wf)) (local.get $eps)))))
        (local.set $rs (f32x4.splat (local.get $rf)))
        ;; Normalise, scale and shift.
        (local.set $j (i32.const 0))
        (block $done3
          (loop $pass3
            (br_if $done3 (i32.ge_u (local.get $j) (local.get $wb)))
            (v128.store (i32.add (local.get $y) (local.get $j))
              (f32x4.add
                (f32x4.mul
                  (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $y) (local.get $j))) (local.get $m))
                             (local.get $rs))
                  (v128.load (i32.add (local.get $gamma) (local.get $j))))
                (v128.load (i32.add (local.get $beta) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass3)))
        (f32.store (local.get $mean) (local.get $mf))
        (f32.store (local.get $rstd) (local.get $rf))
        (local.set $g (i32.add (local.get $g) (i32.shl (local.get $wb) (i32.const 1))))
        (local.set $skip (i32.add (local.get $skip) (local.get $wb)))
        (local.set $y (i32.add (local.get $y) (local.get $wb)))
        (local.set $s (i32.add (local.get $s) (local.get $wb)))
        (local.set $mean (i32.add (local.get $mean) (i32.const 4)))
        (local.set $rstd (i32.add (local.get $rstd) (i32.const 4)))
        ;; The next run of rows takes the next gain and shift.
        (local.set $left (i32.sub (local.get $left) (i32.const 1)))
        (if (i32.eqz (local.get $left))
          (then
            (local.set $left (local.get $perGroup))
            (local.set $gamma (i32.add (local.get $gamma) (local.get $wb)))
            (local.set $beta (i32.add (local.get $beta) (local.get $wb)))))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))

  ;; acc[i] += the four lanes of v as float64 (acc: four doubles at a byte offset).
  (func $accumulate4 (param $acc i32) (param $v v128)
    (v128.store (local.get $acc)
      (f64x2.add (v128.load (local.get $acc)) (f64x2.promote_low_f32x4 (local.get $v))))
    (v128.store offset=16 (local.get $acc)
      (f64x2.add (v128.load offset=16 (local.get $acc))
        (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))))

  ;; The backward pass of gatedNormForward: dOut [rows, w] with the forward's g, s, skip, gamma,
  ;; mean and 1/σ -> dg [rows, 2w], dskip [rows, w] and the gain and shift gradients [groups·w].
  ;; Per row, with ŷ the normalised sum and d̂ = dOut·gamma:
  ;;   dy = (d̂ − mean(d̂) − ŷ·mean(d̂·ŷ))/σ,  dskip = dy,  dg = [dy·s, dy·a·s(1−s)].
  ;; The gain and shift gradients sum over up to tens of thousands of rows, in float64 at `acc`
  ;; (scratch of 2·groups·w doubles, zeroed here), rounded to float32 at the end. w % 4 == 0.
  (func (export "gatedNormBackward")
    (param $dy i32) (param $g i32) (param $s i32) (param $skip i32) (param $gamma i32)
    (param $mean i32) (param $rstd i32) (param $dg i32) (param $dskip i32)
    (param $dgamma i32) (param $dbeta i32) (param $acc i32)
    (param $rows i32) (param $w i32) (param $perGroup i32) (param $groups i32)
    (local $wb i32) (local $j i32) (local $left i32) (local $ga i32) (local $ba i32) (local $n i32)
    (local $sumD v128) (local $sumDY v128) (local $sv v128) (local $av v128) (local $yh v128)
    (local $d v128) (local $dh v128) (local $m v128) (local $rs v128) (local $mD v128) (local $mDY v128)
    (local $wf f32)
    (local.set $wb (i32.shl (local.get $w) (i32.const 2)))
    (local.set $wf (f32.convert_i32_u (local.get $w)))
    (local.set $n (i32.mul (local.get $groups) (local.get $w)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $n) (i32.const 4)))
    (local.set $ga (local.get $acc))
    (local.set $ba (i32.add (local.get $acc) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $left (local.get $perGroup))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $m (f32x4.splat (f32.load (local.get $mean))))
        (local.set $rs (f32x4.splat (f32.load (local.get $rstd))))
        ;; ŷ into dskip, d̂ into dg's first half; the gain and shift gradients; Σd̂ and Σd̂·ŷ.
        (local.set $sumD (v128.const f32x4 0 0 0 0))
        (local.set $sumDY (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $done1
          (loop $pass1
            (br_if $done1 (i32.ge_u (local.get $j) (local.get $wb)))
            (local.set $yh (f32x4.mul
              (f32x4.sub
                (f32x4.add
                  (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $j)))
                             (v128.load (i32.add (local.get $s) (local.get $j))))
                  (v128.load (i32.add (local.get $skip) (local.get $j))))
                (local.get $m))
              (local.get $rs)))
            (local.set $d (v128.load (i32.add (local.get $dy) (local.get $j))))
            (local.set $dh (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $gamma) (local.get $j)))))
            (call $accumulate4 (i32.add (local.get $ga) (i32.shl (local.get $j) (i32.const 1)))
              (f32x4.mul (local.get $d) (local.get $yh)))
            (call $accumulate4 (i32.add (local.get $ba) (i32.shl (local.get $j) (i32.const 1)))
              (local.get $d))
            (local.set $sumD (f32x4.add (local.get $sumD) (local.get $dh)))
            (local.set $sumDY (f32x4.add (local.get $sumDY) (f32x4.mul (local.get $dh) (local.get $yh))))
            (v128.store (i32.add (local.get $dskip) (local.get $j)) (local.get $yh))
            (v128.store (i32.add (local.get $dg) (local.get $j)) (local.get $dh))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass1)))
        (local.set $mD (f32x4.splat (f32.div (call $hsum4 (local.get $sumD)) (local.get $wf))))
        (local.set $mDY (f32x4.splat (f32.div (call $hsum4 (local.get $sumDY)) (local.get $wf))))
        ;; dy, then the gate's two halves.
        (local.set $j (i32.const 0))
        (block $done2
          (loop $pass2
            (br_if $done2 (i32.ge_u (local.get $j) (local.get $wb)))
            (local.set $d (f32x4.mul
              (f32x4.sub
                (f32x4.sub (v128.load (i32.add (local.get $dg) (local.get $j))) (local.get $mD))
                (f32x4.mul (v128.load (i32.add (local.get $dskip) (local.get $j))) (local.get $mDY)))
              (local.get $rs)))
            (local.set $sv (v128.load (i32.add (local.get $s) (local.get $j))))
            (local.set $av (v128.load (i32.add (local.get $g) (local.get $j))))
            (v128.store (i32.add (local.get $dskip) (local.get $j)) (local.get $d))
            (v128.store (i32.add (local.get $dg) (local.get $j)) (f32x4.mul (local.get $d) (local.get $sv)))
            (v128.store (i32.add (i32.add (local.get $dg) (local.get $wb)) (local.get $j))
              (f32x4.mul
                (f32x4.mul (f32x4.mul (local.get $d) (local.get $av)) (local.get $sv))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $sv))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pass2)))
        (local.set $dy (i32.add (local.get $dy) (local.get $wb)))
        (local.set $g (i32.add (local.get $g) (i32.shl (local.get $wb) (i32.const 1))))
        (local.set $dg (i32.add (local.get $dg) (i32.shl (local.get $wb) (i32.const 1))))
        (local.set $s (i32.add (local.get $s) (local.get $wb)))
        (local.set $skip (i32.add (local.get $skip) (local.get $wb)))
        (local.set $dskip (i32.add (local.get $dskip) (local.get $wb)))
        (local.set $mean (i32.add (local.get $mean) (i32.const 4)))
        (local.set $rstd (i32.add (local.get $rstd) (i32.const 4)))
        (local.set $left (i32.sub (local.get $left) (i32.const 1)))
        (if (i32.eqz (local.get $left))
          (then
            (local.set $left (local.get $perGroup))
            (local.set $gamma (i32.add (local.get $gamma) (local.get $wb)))
            (local.set $ga (i32.add (local.get $ga) (i32.shl (local.get $wb) (i32.const 1))))
            (local.set $ba (i32.add (local.get $ba) (i32.shl (local.get $wb) (i32.const 1))))))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow)))
    ;; The float64 sums to float32.
    (local.set $ga (local.get $acc))
    (local.set $ba (i32.add (local.get $acc) (i32.shl (local.get $n) (i32.const 3))))
    (block $copied
      (loop $copy
        (br_if $copied (i32.eqz (local.get $n)))
        (f32.store (local.get $dgamma) (f32.demote_f64 (f64.load (local.get $ga))))
        (f32.store (local.get $dbeta) (f32.demote_f64 (f64.load (local.get $ba))))
        (local.set $dgamma (i32.add (local.get $dgamma) (i32.const 4)))
        (local.set $dbeta (i32.add (local.get $dbeta) (i32.const 4)))
        (local.set $ga (i32.add (local.get $ga) (i32.const 8)))
        (local.set $ba (i32.add (local.get $ba) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $copy))))

;; ---- LayerNorm over the last axis as one op each way (backend/layer-norm-kernel.ts) ----
  ;; (its four-lane sums use $hsum4, defined with the gated norm above)
  ;; Over rows of cols floats: mean and biased variance per row (two passes, so no cancellation),
  ;; rstd = 1/√(var + eps), out = (x - mean)·rstd·gain + shift; stats[row] = (mean, rstd) for the
  ;; backward. The first cols & ~3 columns four lanes at a time, the rest one by one.
  (func (export "layerNorm")
    (param $x i32) (param $g i32) (param $b i32) (param $out i32) (param $stats i32)
    (param $rows i32) (param $cols i32) (param $eps f32)
    (local $vec i32) (local $j i32) (local $o i32) (local $acc v128) (local $d v128)
    (local $s f32) (local $ds f32) (local $mean f32) (local $rstd f32) (local $mv v128) (local $rv v128)
    (local $n f32)
    (local.set $vec (i32.and (local.get $cols) (i32.const -4)))
    (local.set $n (f32.convert_i32_u (local.get $cols)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        ;; mean
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $d1 (loop $l1
          (br_if $d1 (i32.ge_u (local.get $j) (local.get $vec)))
          (local.set $acc (f32x4.add (local.get $acc)
            (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $l1)))
        (local.set $s (call $hsum4 (local.get $acc)))
        (block $d2 (loop $l2
          (br_if $d2 (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $s (f32.add (local.get $s)
            (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $l2)))
        (local.set $mean (f32.div (local.get $s) (local.get $n)))
        (local.set $mv (f32x4.splat (local.get $mean)))
        ;; biased variance
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $d3 (loop $l3
          (br_if $d3 (i32.ge_u (local.get $j) (local.get $vec)))
          (local.set $d (f32x4.sub
            (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mv)))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $d) (local.get $d))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $l3)))
        (local.set $s (call $hsum4 (local.get $acc)))
        (block $d4 (loop $l4
          (br_if $d4 (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $ds (f32.sub
            (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mean)))
          (local.set $s (f32.add (local.get $s) (f32.mul (local.get $ds) (local.get $ds))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $l4)))
        (local.set $rstd (f32.div (f32.const 1)
          (f32.sqrt (f32.add (f32.div (local.get $s) (local.get $n)) (local.get $eps)))))
        (local.set $rv (f32x4.splat (local.get $rstd)))
        (f32.store (local.get $stats) (local.get $mean))
        (f32.store offset=4 (local.get $stats) (local.get $rstd))
        ;; out
        (local.set $j (i32.const 0))
        (block $d5 (loop $l5
          (br_if $d5 (i32.ge_u (local.get $j) (local.get $vec)))
          (local.set $o (i32.shl (local.get $j) (i32.const 2)))
          (v128.store (i32.add (local.get $out) (local.get $o))
            (f32x4.add
              (f32x4.mul
                (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $o))) (local.get $mv))
                           (local.get $rv))
                (v128.load (i32.add (local.get $g) (local.get $o))))
              (v128.load (i32.add (local.get $b) (local.get $o)))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $l5)))
        (block $d6 (loop $l6
          (br_if $d6 (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $o (i32.shl (local.get $j) (i32.const 2)))
          (f32.store (i32.add (local.get $out) (local.get $o))
            (f32.add
              (f32.mul
                (f32.mul (f32.sub (f32.load (i32.add (local.get $x) (local.get $o))) (local.get $mean))
                         (local.get $rstd))
                (f32.load (i32.add (local.get $g) (local.get $o))))
              (f32.load (i32.add (local.get $b) (local.get $o)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $l6)))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; The backward of layerNorm, with xhat = (x - mean)·rstd from the forward's stats and gdy = dy·gain:
  ;;   dx = rstd·(gdy - Σgdy/cols - xhat·Σ(gdy·xhat)/cols)
  ;;   dgain = Σ_rows dy·xhat, dshift = Σ_rows dy, summed in float64 in acc (2·cols doubles, dgain
  ;;   then dshift, 8-byte aligned) so thousands of rows lose no precision, then rounded into dg, db.
  (func (export "layerNormBackward")
    (param $dy i32) (param $x i32) (param $g i32) (param $stats i32) (param $dx i32)
    (param $acc i32) (param $dg i32) (param $db i32) (param $rows i32) (param $cols i32)
    (local $vec i32) (local $j i32) (local $o i32) (local $a i32) (local $n f32)
    (local $mv v128) (local $rv v128) (local $mean f32) (local $rstd f32)
    (local $dyv v128) (local $xh v128) (local $gd v128) (local $sg v128) (local $sgx v128)
    (local $dys f32) (local $xhs f32) (local $gds f32) (local $sgs f32) (local $sgxs f32)
    (local $dbAcc i32) (local $p v128)
    (local.set $vec (i32.and (local.get $cols) (i32.const -4)))
    (local.set $n (f32.convert_i32_u (local.get $cols)))
    (local.set $dbAcc (i32.add (local.get $acc) (i32.shl (local.get $cols) (i32.const 3))))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $cols) (i32.const 4)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $mean (f32.load (local.get $stats)))
        (local.set $rstd (f32.load offset=4 (local.get $stats)))
        (local.set $mv (f32x4.splat (local.get $mean)))
        (local.set $rv (f32x4.splat (local.get $rstd)))
        ;; pass 1: the row's two sums, and the gain/shift gradients' float64 accumulators
        (local.set $sg (v128.const f32x4 0 0 0 0))
        (local.set $sgx (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $d1 (loop $l1
          (br_if $d1 (i32.ge_u (local.get $j) (local.get $vec)))
          (local.set $o (i32.shl (local.get $j) (i32.const 2)))
          (local.set $dyv (v128.load (i32.add (local.get $dy) (local.get $o))))
          (local.set $xh (f32x4.mul
            (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $o))) (local.get $mv)) (local.get $rv)))
          (local.set $gd (f32x4.mul (local.get $dyv) (v128.load (i32.add (local.get $g) (local.get $o)))))
          (local.set $sg (f32x4.add (local.get $sg) (local.get $gd)))
          (local.set $sgx (f32x4.add (local.get $sgx) (f32x4.mul (local.get $gd) (local.get $xh))))
          (local.set $p (f32x4.mul (local.get $dyv) (local.get $xh)))
          (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
          (v128.store (local.get $a)
            (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $p))))
          (v128.store offset=16 (local.get $a)
            (f64x2.add (v128.load offset=16 (local.get $a))
              (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $p) (local.get $p)))))
          (local.set $a (i32.add (local.get $dbAcc) (i32.shl (local.get $j) (i32.const 3))))
          (v128.store (local.get $a)
            (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $dyv))))
          (v128.store offset=16 (local.get $a)
            (f64x2.add (v128.load offset=16 (local.get $a))
              (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $dyv) (local.get $dyv)))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $l1)))
        (local.set $sgs (call $hsum4 (local.get $sg)))
        (local.set $sgxs (call $hsum4 (local.get $sgx)))
        (block $d2 (loop $l2
          (br_if $d2 (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $o (i32.shl (local.get $j) (i32.const 2)))
          (local.set $dys (f32.load (i32.add (local.get $dy) (local.get $o))))
          (local.set $xhs (f32.mul
            (f32.sub (f32.load (i32.add (local.get $x) (local.get $o))) (local.get $mean)) (local.get $rstd)))
          (local.set $gds (f32.mul (local.get $dys) (f32.load (i32.add (local.get $g) (local.get $o)))))
          (local.set $sgs (f32.add (local.get $sgs) (local.get $gds)))
          (local.set $sgxs (f32.add (local.get $sgxs) (f32.mul (local.get $gds) (local.get $xhs))))
          (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
          (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
            (f64.promote_f32 (f32.mul (local.get $dys) (local.get $xhs)))))
          (local.set $a (i32.add (local.get $dbAcc) (i32.shl (local.get $j) (i32.const 3))))
          (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.promote_f32 (local.get $dys))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $l2)))
        (local.set $sgs (f32.div (local.get $sgs) (local.get $n)))
        (local.set $sgxs (f32.div (local.get $sgxs) (local.get $n)))
        (local.set $sg (f32x4.splat (local.get $sgs)))
        (local.set $sgx (f32x4.splat (local.get $sgxs)))
        ;; pass 2: dx
        (local.set $j (i32.const 0))
        (block $d3 (loop $l3
          (br_if $d3 (i32.ge_u (local.get $j) (local.get $vec)))
          (local.set $o (i32.shl (local.get $j) (i32.const 2)))
          (local.set $xh (f32x4.mul
            (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $o))) (local.get $mv)) (local.get $rv)))
          (local.set $gd (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $o)))
                                    (v128.load (i32.add (local.get $g) (local.get $o)))))
          (v128.store (i32.add (local.get $dx) (local.get $o))
            (f32x4.mul (local.get $rv)
              (f32x4.sub (f32x4.sub (local.get $gd) (local.get $sg))
                         (f32x4.mul (local.get $xh) (local.get $sgx)))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $l3)))
        (block $d4 (loop $l4
          (br_if $d4 (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $o (i32.shl (local.get $j) (i32.const 2)))
          (local.set $xhs (f32.mul
            (f32.sub (f32.load (i32.add (local.get $x) (local.get $o))) (local.get $mean)) (local.get $rstd)))
          (local.set $gds (f32.mul (f32.load (i32.add (local.get $dy) (local.get $o)))
                                   (f32.load (i32.add (local.get $g) (local.get $o)))))
          (f32.store (i32.add (local.get $dx) (local.get $o))
            (f32.mul (local.get $rstd)
              (f32.sub (f32.sub (local.get $gds) (local.get $sgs))
                       (f32.mul (local.get $xhs) (local.get $sgxs)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $l4)))
        (local.set $dy (i32.add (local.get $dy) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $dx (i32.add (local.get $dx) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row)))
    ;; round the float64 sums into the float32 gradients
    (local.set $j (i32.const 0))
    (block $d5 (loop $l5
      (br_if $d5 (i32.ge_u (local.get $j) (local.get $cols)))
      (f32.store (i32.add (local.get $dg) (i32.shl (local.get $j) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))))
      (f32.store (i32.add (local.get $db) (i32.shl (local.get $j) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $dbAcc) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l5))))
;; ==== Batches of small products (native/small-gemm.ts): attention's [B·H, L, E] × [B·H, E, S] ====
  ;; One call runs every product of a batched matmul that is too small for a BLAS call each:
  ;;   C_t = op(A_t)·op(B_t) (+ C_t when accumulate ≠ 0),  t < calls,
  ;; A_t at a + t·aStride, B_t at b + t·bStride, C_t at c + t·cStride (byte strides; 0 broadcasts).
  ;; Operands are row-major as stored: op(A) is [m, k] read from rows of lda floats (transposed:
  ;; A stored [k, m]), op(B) is [k, n] from rows of ldb floats (transposed: B stored [n, k]); C is
  ;; [m, n] packed. Sums run in float32 in another order than BLAS: equal to rounding, not bitwise.
  (func (export "batchedGemm")
    (param $a i32) (param $aStride i32) (param $b i32) (param $bStride i32)
    (param $c i32) (param $cStride i32) (param $calls i32)
    (param $m i32) (param $n i32) (param $k i32) (param $lda i32) (param $ldb i32)
    (param $transA i32) (param $transB i32) (param $accumulate i32) (param $scratch i32)
    (local $aRow i32) (local $aCol i32) (local $packB i32)
    ;; byte steps of op(A) along a row (i) and along k (p)
    (local.set $aRow (i32.shl (if (result i32) (local.get $transA) (then (i32.const 1)) (else (local.get $lda))) (i32.const 2)))
    (local.set $aCol (i32.shl (if (result i32) (local.get $transA) (then (local.get $lda)) (else (i32.const 1))) (i32.const 2)))
    ;; A·Bᵀ with at least four rows: each B_t transposed into scratch ([k, n], n·k floats), then the
    ;; blocked A·B loop, whose 4×8 tiles reuse each load more than dot products can in 16 registers
    ;; (two rows against four of B in partial dot products took 10.4 ms per 4,096 products of
    ;; 24×24×32 against 5.9 ms this way). Below four rows, or without scratch, $gemmDots.
    (local.set $packB
      (i32.and (i32.and (local.get $transB) (i32.eqz (local.get $transA)))
        (i32.and (i32.ne (local.get $scratch) (i32.const 0)) (i32.ge_u (local.get $m) (i32.const 4)))))
    (block $done
      (loop $product
        (br_if $done (i32.eqz (local.get $calls)))
        (if (local.get $packB)
          (then
            (call $transposeRows (local.get $b) (local.get $scratch) (local.get $n) (local.get $k)
              (i32.shl (local.get $ldb) (i32.const 2)))
            (call $gemmRowsBlocked (local.get $a) (local.get $scratch) (local.get $c) (local.get $m) (local.get $n)
              (local.get $k) (local.get $aRow) (local.get $aCol) (i32.shl (local.get $n) (i32.const 2))
              (local.get $accumulate)))
        (else
        (if (i32.eqz (local.get $transB))
          (then
            ;; below four rows the one-row loop directly (PatchTST's 3-patch products)
            (if (i32.ge_u (local.get $m) (i32.const 4))
              (then
                (call $gemmRowsBlocked (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n)
                  (local.get $k) (local.get $aRow) (local.get $aCol) (i32.shl (local.get $ldb) (i32.const 2))
                  (local.get $accumulate)))
              (else
                (call $gemmRows (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n)
                  (local.get $k) (local.get $aRow) (local.get $aCol) (i32.shl (local.get $ldb) (i32.const 2))
                  (i32.shl (local.get $n) (i32.const 2)) (local.get $accumulate)))))
          (else
            (if (i32.eqz (local.get $transA))
              (then
                (call $gemmDots (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n)
                  (local.get $k) (i32.shl (local.get $lda) (i32.const 2)) (i32.shl (local.get $ldb) (i32.const 2))
                  (local.get $accumulate)))
              (else
                (call $gemmScalar (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n)
                  (local.get $k) (local.get $aRow) (local.get $aCol) (i32.shl (local.get $ldb) (i32.const 2))
                  (i32.const 4) (local.get $accumulate))))))))
        (local.set $a (i32.add (local.get $a) (local.get $aStride)))
        (local.set $b (i32.add (local.get $b) (local.get $bStride)))
        (local.set $c (i32.add (local.get $c) (local.get $cStride)))
        (local.set $calls (i32.sub (local.get $calls) (i32.const 1)))
        (br $product))))

  ;; dst [cols, rows] packed = the transpose of src [rows, cols] stored in rows of srcRow bytes:
  ;; 4×4 blocks by eight lane shuffles, the rows mod 4 and cols mod 4 edges one float at a time.
  (func $transposeRows (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $srcRow i32)
    (local $dstRow i32) (local $rows4 i32) (local $cols4 i32) (local $i i32) (local $j i32)
    (local $ps i32) (local $pd i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128)
    (local.set $dstRow (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $i (i32.const 0))
    (block $blocksDone
      (loop $blockRows
        (br_if $blocksDone (i32.ge_u (local.get $i) (local.get $rows4)))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $blockCols
            (br_if $rowDone (i32.ge_u (local.get $j) (local.get $cols4)))
            (local.set $ps (i32.add (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $srcRow)))
              (i32.shl (local.get $j) (i32.const 2))))
            (local.set $r0 (v128.load (local.get $ps)))
            (local.set $r1 (v128.load (i32.add (local.get $ps) (local.get $srcRow))))
            (local.set $r2 (v128.load (i32.add (local.get $ps) (i32.shl (local.get $srcRow) (i32.const 1)))))
            (local.set $r3 (v128.load (i32.add (local.get $ps) (i32.mul (local.get $srcRow) (i32.const 3)))))
            ;; [x0 y0 x1 y1] of rows 0,1 and of rows 2,3, then their high halves
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $r0 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $r2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            (local.set $pd (i32.add (i32.add (local.get $dst) (i32.mul (local.get $j) (local.get $dstRow)))
              (i32.shl (local.get $i) (i32.const 2))))
            (v128.store (local.get $pd)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
            (local.set $pd (i32.add (local.get $pd) (local.get $dstRow)))
            (v128.store (local.get $pd)
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
            (local.set $pd (i32.add (local.get $pd) (local.get $dstRow)))
            (v128.store (local.get $pd)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r2)))
            (local.set $pd (i32.add (local.get $pd) (local.get $dstRow)))
            (v128.store (local.get $pd)
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r2)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $blockCols)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blockRows)))
    ;; the edges: columns from cols4 on in the block rows, every column in the rows from rows4 on
    (local.set $i (i32.const 0))
    (block $edgesDone
      (loop $edgeRows
        (br_if $edgesDone (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $j (select (local.get $cols4) (i32.const 0) (i32.lt_u (local.get $i) (local.get $rows4))))
        (block $edgeRowDone
          (loop $edgeCols
            (br_if $edgeRowDone (i32.ge_u (local.get $j) (local.get $cols)))
            (f32.store
              (i32.add (i32.add (local.get $dst) (i32.mul (local.get $j) (local.get $dstRow))) (i32.shl (local.get $i) (i32.const 2)))
              (f32.load
                (i32.add (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $srcRow))) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $edgeCols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $edgeRows))))

  ;; One product whose op(B) rows are contiguous (A·B, Aᵀ·B), register-blocked: each 4×8 tile of C
  ;; is eight vector accumulators over the whole k loop, so per k one pair of B loads and four
  ;; broadcast A(i,p) feed 32 multiply-adds (the one-row loop below reloads B for every row). A last
  ;; 4-column tile has four accumulators; the n mod 4 columns and the m mod 4 rows go through the
  ;; one-row loop. In cache this runs ~22 G multiply-adds/s, likely near the 8 per cycle that f32x4
  ;; multiplies and adds without FMA allow; unrolling k by two measured slower (register spills?).
  ;; aRow/aCol: byte steps of A(i,p) in i and p; bRow: byte step between rows of B; C is packed.
  (func $gemmRowsBlocked
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $aRow i32) (param $aCol i32) (param $bRow i32) (param $accumulate i32)
    (local $cRow i32) (local $aRow2 i32) (local $aRow3 i32) (local $j i32) (local $p i32)
    (local $pa i32) (local $pb i32) (local $pc i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $cRow (i32.shl (local.get $n) (i32.const 2)))
    (local.set $aRow2 (i32.shl (local.get $aRow) (i32.const 1)))
    (local.set $aRow3 (i32.add (local.get $aRow2) (local.get $aRow)))
    (block $blocksDone
      (loop $rowBlock
        (br_if $blocksDone (i32.lt_u (local.get $m) (i32.const 4)))
        (local.set $j (i32.const 0))
        (block $eightsDone
          (loop $eights
            (br_if $eightsDone (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
            (local.set $c00 (v128.const f32x4 0 0 0 0)) (local.set $c01 (v128.const f32x4 0 0 0 0))
            (local.set $c10 (v128.const f32x4 0 0 0 0)) (local.set $c11 (v128.const f32x4 0 0 0 0))
            (local.set $c20 (v128.const f32x4 0 0 0 0)) (local.set $c21 (v128.const f32x4 0 0 0 0))
            (local.set $c30 (v128.const f32x4 0 0 0 0)) (local.set $c31 (v128.const f32x4 0 0 0 0))
            (local.set $pa (local.get $a))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $innerDone
              (loop $inner
                (br_if $innerDone (i32.eqz (local.get $p)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $x (v128.load32_splat (local.get $pa)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow2))))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow3))))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bRow)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $inner)))
            (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $accumulate)
              (then
                (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $pc))))
                (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $pc))))
                (local.set $c10 (f32x4.add (local.get $c10) (v128.load (i32.add (local.get $pc) (local.get $cRow)))))
                (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (i32.add (local.get $pc) (local.get $cRow)))))
                (local.set $c20 (f32x4.add (local.get $c20) (v128.load (i32.add (local.get $pc) (i32.mul (local.get $cRow) (i32.const 2))))))
                (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $cRow) (i32.const 2))))))
                (local.set $c30 (f32x4.add (local.get $c30) (v128.load (i32.add (local.get $pc) (i32.mul (local.get $cRow) (i32.const 3))))))
                (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $cRow) (i32.const 3))))))))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $cRow)))
            (v128.store (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $cRow)))
            (v128.store (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $cRow)))
            (v128.store (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $eights)))
        (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $n))
          (then
            (local.set $c00 (v128.const f32x4 0 0 0 0)) (local.set $c10 (v128.const f32x4 0 0 0 0))
            (local.set $c20 (v128.const f32x4 0 0 0 0)) (local.set $c30 (v128.const f32x4 0 0 0 0))
            (local.set $pa (local.get $a))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $fourDone
              (loop $four
                (br_if $fourDone (i32.eqz (local.get $p)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (v128.load32_splat (local.get $pa)) (local.get $b0))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow))) (local.get $b0))))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow2))) (local.get $b0))))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow3))) (local.get $b0))))
                (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bRow)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $four)))
            (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $accumulate) (then (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $pc))))))
            (v128.store (local.get $pc) (local.get $c00))
            (local.set $pc (i32.add (local.get $pc) (local.get $cRow)))
            (if (local.get $accumulate) (then (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $pc))))))
            (v128.store (local.get $pc) (local.get $c10))
            (local.set $pc (i32.add (local.get $pc) (local.get $cRow)))
            (if (local.get $accumulate) (then (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $pc))))))
            (v128.store (local.get $pc) (local.get $c20))
            (local.set $pc (i32.add (local.get $pc) (local.get $cRow)))
            (if (local.get $accumulate) (then (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $pc))))))
            (v128.store (local.get $pc) (local.get $c30))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))))
        (if (i32.lt_u (local.get $j) (local.get $n))
          (then
            (call $gemmRows (local.get $a) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
              (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (i32.const 4)
              (i32.sub (local.get $n) (local.get $j)) (local.get $k) (local.get $aRow) (local.get $aCol)
              (local.get $bRow) (local.get $cRow) (local.get $accumulate))))
        (local.set $a (i32.add (local.get $a) (i32.shl (local.get $aRow) (i32.const 2))))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $cRow) (i32.const 2))))
        (local.set $m (i32.sub (local.get $m) (i32.const 4)))
        (br $rowBlock)))
    (if (local.get $m)
      (then
        (call $gemmRows (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n) (local.get $k)
          (local.get $aRow) (local.get $aCol) (local.get $bRow) (local.get $cRow) (local.get $accumulate)))))

  ;; One product whose op(B) rows are contiguous (B not transposed): each row of C is Σ_p A(i,p)·B[p, ·],
  ;; eight then four columns at a time (one broadcast A(i,p) feeds both vectors), then single columns.
  ;; aRow/aCol: byte steps of A(i,p) in i and p; bRow, cRow: byte steps between rows of B and of C.
  (func $gemmRows
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $aRow i32) (param $aCol i32) (param $bRow i32) (param $cRow i32) (param $accumulate i32)
    (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $acc0 v128) (local $acc1 v128) (local $ai v128) (local $s f32)
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $m)))
        (local.set $j (i32.const 0))
        (block $eightsDone
          (loop $eights
            (br_if $eightsDone (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
            (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $acc0 (v128.const f32x4 0 0 0 0))
            (local.set $acc1 (v128.const f32x4 0 0 0 0))
            (if (local.get $accumulate)
              (then
                (local.set $acc0 (v128.load (local.get $pc)))
                (local.set $acc1 (v128.load offset=16 (local.get $pc)))))
            (local.set $pa (local.get $a))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $innerDone
              (loop $inner
                (br_if $innerDone (i32.eqz (local.get $p)))
                (local.set $ai (v128.load32_splat (local.get $pa)))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $ai) (v128.load (local.get $pb)))))
                (local.set $acc1
                  (f32x4.add (local.get $acc1) (f32x4.mul (local.get $ai) (v128.load offset=16 (local.get $pb)))))
                (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bRow)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $inner)))
            (v128.store (local.get $pc) (local.get $acc0))
            (v128.store offset=16 (local.get $pc) (local.get $acc1))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $eights)))
        (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $n))
          (then
            (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $acc0 (v128.const f32x4 0 0 0 0))
            (if (local.get $accumulate) (then (local.set $acc0 (v128.load (local.get $pc)))))
            (local.set $pa (local.get $a))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $fourDone
              (loop $four
                (br_if $fourDone (i32.eqz (local.get $p)))
                (local.set $acc0
                  (f32x4.add (local.get $acc0)
                    (f32x4.mul (v128.load32_splat (local.get $pa)) (v128.load (local.get $pb)))))
                (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bRow)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $four)))
            (v128.store (local.get $pc) (local.get $acc0))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))))
        (block $columnsDone
          (loop $column
            (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $s (f32.const 0))
            (if (local.get $accumulate) (then (local.set $s (f32.load (local.get $pc)))))
            (local.set $pa (local.get $a))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $oneDone
              (loop $one
                (br_if $oneDone (i32.eqz (local.get $p)))
                (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $pa)) (f32.load (local.get $pb)))))
                (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bRow)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $one)))
            (f32.store (local.get $pc) (local.get $s))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $column)))
        (local.set $a (i32.add (local.get $a) (local.get $aRow)))
        (local.set $c (i32.add (local.get $c) (local.get $cRow)))
        (local.set $m (i32.sub (local.get $m) (i32.const 1)))
        (br $row))))

  ;; One product A·Bᵀ with A [m, k] and B [n, k] stored by rows: C(i,j) is the dot product of two
  ;; contiguous rows. Four columns at a time share each load of A's row, in four accumulators folded
  ;; into one vector of their sums; in a last block of fewer than four columns the missing rows of B
  ;; repeat its first row and their sums are dropped. aRow/bRow: byte steps between rows.
  (func $gemmDots
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $aRow i32) (param $bRow i32) (param $accumulate i32)
    (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $cols i32)
    (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $av v128)
    (local $sums v128)
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $m)))
        (local.set $j (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $cols (i32.sub (local.get $n) (local.get $j)))
            ;; byte offsets of the block's rows 1..3 of B from its row 0 (0 past the last column)
            (local.set $b1 (select (local.get $bRow) (i32.const 0) (i32.gt_u (local.get $cols) (i32.const 1))))
            (local.set $b2
              (select (i32.shl (local.get $bRow) (i32.const 1)) (i32.const 0) (i32.gt_u (local.get $cols) (i32.const 2))))
            (local.set $b3
              (select (i32.mul (local.get $bRow) (i32.const 3)) (i32.const 0) (i32.gt_u (local.get $cols) (i32.const 3))))
            (local.set $pa (local.get $a))
            (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $bRow))))
            (local.set $acc0 (v128.const f32x4 0 0 0 0))
            (local.set $acc1 (v128.const f32x4 0 0 0 0))
            (local.set $acc2 (v128.const f32x4 0 0 0 0))
            (local.set $acc3 (v128.const f32x4 0 0 0 0))
            (local.set $p (local.get $k))
            (block $vectorsDone
              (loop $vectors
                (br_if $vectorsDone (i32.lt_u (local.get $p) (i32.const 4)))
                (local.set $av (v128.load (local.get $pa)))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $av) (v128.load (local.get $pb)))))
                (local.set $acc1
                  (f32x4.add (local.get $acc1)
                    (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $pb) (local.get $b1))))))
                (local.set $acc2
                  (f32x4.add (local.get $acc2)
                    (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $pb) (local.get $b2))))))
                (local.set $acc3
                  (f32x4.add (local.get $acc3)
                    (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $pb) (local.get $b3))))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
                (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
                (local.set $p (i32.sub (local.get $p) (i32.const 4)))
                (br $vectors)))
            (local.set $sums (call $sum4x4 (local.get $acc0) (local.get $acc1) (local.get $acc2) (local.get $acc3)))
            ;; the k mod 4 tail: A(i,p) times the block's four B(p,·)
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.eqz (local.get $p)))
                (local.set $sums
                  (f32x4.add (local.get $sums)
                    (f32x4.mul (v128.load32_splat (local.get $pa))
                      (f32x4.replace_lane 3
                        (f32x4.replace_lane 2
                          (f32x4.replace_lane 1 (v128.load32_splat (local.get $pb))
                            (f32.load (i32.add (local.get $pb) (local.get $b1))))
                          (f32.load (i32.add (local.get $pb) (local.get $b2))))
                        (f32.load (i32.add (local.get $pb) (local.get $b3)))))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (i32.const 4)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $tail)))
            (call $storeColumns
              (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2)))
              (local.get $sums) (local.get $cols) (local.get $accumulate))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $block)))
        (local.set $a (i32.add (local.get $a) (local.get $aRow)))
        (local.set $c (i32.add (local.get $c) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $m (i32.sub (local.get $m) (i32.const 1)))
        (br $row))))

  ;; [Σw, Σx, Σy, Σz]: the lane sums of four vectors, by two rounds of pairing lanes.
  (func $sum4x4 (param $w v128) (param $x v128) (param $y v128) (param $z v128) (result v128)
    (local $wx v128) (local $yz v128)
    ;; [w0+w2, x0+x2, w1+w3, x1+x3], and the same of y and z
    (local.set $wx
      (f32x4.add
        (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $w) (local.get $x))
        (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $w) (local.get $x))))
    (local.set $yz
      (f32x4.add
        (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $y) (local.get $z))
        (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $y) (local.get $z))))
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $wx) (local.get $yz))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $wx) (local.get $yz))))

  ;; Stores the first min(cols, 4) lanes of v at c (added to what is there when accumulate ≠ 0).
  (func $storeColumns (param $c i32) (param $v v128) (param $cols i32) (param $accumulate i32)
    (if (i32.ge_u (local.get $cols) (i32.const 4))
      (then
        (if (local.get $accumulate) (then (local.set $v (f32x4.add (v128.load (local.get $c)) (local.get $v)))))
        (v128.store (local.get $c) (local.get $v))
        (return)))
    (call $storeLane (local.get $c) (f32x4.extract_lane 0 (local.get $v)) (local.get $accumulate))
    (if (i32.gt_u (local.get $cols) (i32.const 1))
      (then
        (call $storeLane (i32.add (local.get $c) (i32.const 4)) (f32x4.extract_lane 1 (local.get $v))
          (local.get $accumulate))))
    (if (i32.gt_u (local.get $cols) (i32.const 2))
      (then
        (call $storeLane (i32.add (local.get $c) (i32.const 8)) (f32x4.extract_lane 2 (local.get $v))
          (local.get $accumulate)))))

  (func $storeLane (param $c i32) (param $x f32) (param $accumulate i32)
    (if (local.get $accumulate) (then (local.set $x (f32.add (f32.load (local.get $c)) (local.get $x)))))
    (f32.store (local.get $c) (local.get $x)))

  ;; One product with any operand layout, one multiply-add at a time: the rare Aᵀ·Bᵀ, where neither
  ;; operand runs contiguously along C's rows or along k. Byte steps of A(i,p) in i and p, B(p,j) in j and p.
  (func $gemmScalar
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $aRow i32) (param $aCol i32) (param $bCol i32) (param $bRow i32) (param $accumulate i32)
    (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $colB i32) (local $s f32)
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $m)))
        (local.set $colB (local.get $b))
        (local.set $j (local.get $n))
        (block $columnsDone
          (loop $column
            (br_if $columnsDone (i32.eqz (local.get $j)))
            (local.set $pa (local.get $a))
            (local.set $pb (local.get $colB))
            (local.set $p (local.get $k))
            (local.set $s (f32.const 0))
            (block $innerDone
              (loop $inner
                (br_if $innerDone (i32.eqz (local.get $p)))
                (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $pa)) (f32.load (local.get $pb)))))
                (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bRow)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $inner)))
            (if (local.get $accumulate) (then (local.set $s (f32.add (f32.load (local.get $c)) (local.get $s)))))
            (f32.store (local.get $c) (local.get $s))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (local.set $colB (i32.add (local.get $colB) (local.get $bCol)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $column)))
        (local.set $a (i32.add (local.get $a) (local.get $aRow)))
        (local.set $m (i32.sub (local.get $m) (i32.const 1)))
        (br $row))))

  ;; ---- FEDformer's complex tanh as one op each way (backend/complex-tanh-kernel.ts) ----
  ;; Rows of 2w floats, the w real parts then the w imaginary parts (the layout of a complex
  ;; product done as one real one). TensorFlow.js' wasm Sin and Cos cost tens of ns per element
  ;; and the tensor-op form ran a dozen passes each way; here sin, cos and exp are polynomials
  ;; over four lanes in one pass.

  ;; sin(r) and cos(r) for |r| ≤ π/4 by their Taylor polynomials of degree 9 and 10 (truncation
  ;; error under 2e-9, far below float32's rounding).
  (func $sinPoly4 (param $r v128) (result v128)
    (local $r2 v128) (local $p v128)
    (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
    (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 2.75573192e-6 2.75573192e-6 2.75573192e-6 2.75573192e-6) (local.get $r2)) (v128.const f32x4 -1.98412698e-4 -1.98412698e-4 -1.98412698e-4 -1.98412698e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r2)) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r2)) (v128.const f32x4 -0.166666667 -0.166666667 -0.166666667 -0.166666667)))
    (f32x4.add (local.get $r) (f32x4.mul (local.get $r) (f32x4.mul (local.get $p) (local.get $r2)))))
  (func $cosPoly4 (param $r v128) (result v128)
    (local $r2 v128) (local $p v128)
    (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
    (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 -2.75573192e-7 -2.75573192e-7 -2.75573192e-7 -2.75573192e-7) (local.get $r2)) (v128.const f32x4 2.48015873e-5 2.48015873e-5 2.48015873e-5 2.48015873e-5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r2)) (v128.const f32x4 -1.38888889e-3 -1.38888889e-3 -1.38888889e-3 -1.38888889e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r2)) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r2)) (v128.const f32x4 -0.5 -0.5 -0.5 -0.5)))
    (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $p) (local.get $r2))))

  ;; Two lanes of x = k·π/2 + r in float64 (k = nearest(x·2/π); π/2 as a float64 plus its
  ;; remainder), so r keeps float32 precision for any |x| below 2^31: lanes 0–1 of the result hold
  ;; r as float32, lanes 2–3 k as int32.
  (func $quarterTurns2 (param $x v128) (result v128)
    (local $k v128)
    (local.set $k (f64x2.nearest (f64x2.mul (local.get $x) (v128.const f64x2 0.6366197723675814 0.6366197723675814))))
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero
        (f64x2.sub
          (f64x2.sub (local.get $x) (f64x2.mul (local.get $k) (v128.const f64x2 1.5707963267948966 1.5707963267948966)))
          (f64x2.mul (local.get $k) (v128.const f64x2 6.123233995736766e-17 6.123233995736766e-17))))
      (i32x4.trunc_sat_f64x2_s_zero (local.get $k))))

  ;; tanh(a + ib) for four lanes as (tanh 2a + i·sin 2b·sech 2a)/(1 + cos 2b·sech 2a), which
  ;; saturates to ±1 for large |a| instead of ∞/∞ (as fourier-block.ts' tensor-op form does).
  ;; With e = exp(-|2a|): sech 2a = 2e/(1 + e²), tanh|2a| = (1 - e²)/(1 + e²), or below |2a| = 0.3,
  ;; where 1 - e² would cancel, its odd Taylor polynomial (error under 6e-8 relative).
  (func $complexTanh4 (param $a v128) (param $b v128) (result v128 v128)
    (local $x v128) (local $e v128) (local $inv v128) (local $th v128) (local $x2 v128) (local $p v128)
    (local $sech v128) (local $lo v128) (local $hi v128) (local $r v128) (local $k v128)
    (local $s v128) (local $c v128) (local $swap v128) (local $sin v128) (local $cos v128) (local $den v128)
    (local.set $x (f32x4.abs (f32x4.add (local.get $a) (local.get $a))))
    (local.set $e (call $exp4 (f32x4.neg (local.get $x))))
    (local.set $inv (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $e) (local.get $e)))))
    (local.set $sech (f32x4.mul (f32x4.add (local.get $e) (local.get $e)) (local.get $inv)))
    (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 0.0218694885 0.0218694885 0.0218694885 0.0218694885) (local.get $x2)) (v128.const f32x4 -0.0539682540 -0.0539682540 -0.0539682540 -0.0539682540)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 0.133333333 0.133333333 0.133333333 0.133333333)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $x2)) (v128.const f32x4 -0.333333333 -0.333333333 -0.333333333 -0.333333333)))
    (local.set $th
      (v128.bitselect
        (f32x4.add (local.get $x) (f32x4.mul (local.get $x) (f32x4.mul (local.get $p) (local.get $x2))))
        (f32x4.mul (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $e) (local.get $e))) (local.get $inv))
        (f32x4.lt (local.get $x) (v128.const f32x4 0.3 0.3 0.3 0.3))))
    ;; a's sign onto tanh|2a|
    (local.set $th (v128.or (local.get $th)
      (v128.and (local.get $a) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
    ;; 2b = k·π/2 + r, two lanes at a time in float64
    (local.set $x (f32x4.add (local.get $b) (local.get $b)))
    (local.set $lo (call $quarterTurns2 (f64x2.promote_low_f32x4 (local.get $x))))
    (local.set $hi (call $quarterTurns2 (f64x2.promote_low_f32x4
      (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x) (local.get $x)))))
    (local.set $r (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $hi)))
    (local.set $k (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $lo) (local.get $hi)))
    (local.set $s (call $sinPoly4 (local.get $r)))
    (local.set $c (call $cosPoly4 (local.get $r)))
    ;; the quadrant k mod 4: odd k swaps sin and cos; k ≡ 2, 3 negates sin; k ≡ 1, 2 negates cos
    (local.set $swap (i32x4.eq (v128.and (local.get $k) (v128.const i32x4 1 1 1 1)) (v128.const i32x4 1 1 1 1)))
    (local.set $sin (v128.xor (v128.bitselect (local.get $c) (local.get $s) (local.get $swap))
      (i32x4.shl (v128.and (local.get $k) (v128.const i32x4 2 2 2 2)) (i32.const 30))))
    (local.set $cos (v128.xor (v128.bitselect (local.get $s) (local.get $c) (local.get $swap))
      (i32x4.shl (v128.and (i32x4.add (local.get $k) (v128.const i32x4 1 1 1 1)) (v128.const i32x4 2 2 2 2))
                 (i32.const 30))))
    (local.set $den (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $cos) (local.get $sech))))
    (f32x4.div (local.get $th) (local.get $den))
    (f32x4.div (f32x4.mul (local.get $sin) (local.get $sech)) (local.get $den)))

  ;; Its gradient from the output w = tanh z (holomorphic, tanh' = 1 - w²): with 1 - w² = p + iq,
  ;; dRe = gRe·p + gIm·q and dIm = gIm·p - gRe·q.
  (func $complexTanhGrad4 (param $gr v128) (param $gi v128) (param $tr v128) (param $ti v128) (result v128 v128)
    (local $p v128) (local $q v128)
    (local.set $p (f32x4.add (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $tr) (local.get $tr)))
                             (f32x4.mul (local.get $ti) (local.get $ti))))
    (local.set $q (f32x4.mul (v128.const f32x4 -2 -2 -2 -2) (f32x4.mul (local.get $tr) (local.get $ti))))
    (f32x4.add (f32x4.mul (local.get $gr) (local.get $p)) (f32x4.mul (local.get $gi) (local.get $q)))
    (f32x4.sub (f32x4.mul (local.get $gi) (local.get $p)) (f32x4.mul (local.get $gr) (local.get $q))))

  ;; out = tanh(x) over rows of 2w floats (w real parts, then w imaginary parts); out may not alias x.
  ;; The last w mod 4 lanes of a half run through the same code on a splatted value.
  (func (export "complexTanh") (param $x i32) (param $out i32) (param $rows i32) (param $w i32)
    (local $half i32) (local $j i32) (local $tail i32) (local $re v128) (local $im v128)
    (local.set $half (i32.shl (local.get $w) (i32.const 2)))
    (local.set $tail (i32.and (local.get $w) (i32.const 3)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $j (i32.sub (local.get $w) (local.get $tail)))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.eqz (local.get $j)))
            (call $complexTanh4 (v128.load (local.get $x)) (v128.load (i32.add (local.get $x) (local.get $half))))
            (local.set $im)
            (local.set $re)
            (v128.store (local.get $out) (local.get $re))
            (v128.store (i32.add (local.get $out) (local.get $half)) (local.get $im))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $j (i32.sub (local.get $j) (i32.const 4)))
            (br $vectors)))
        (local.set $j (local.get $tail))
        (block $tailDone
          (loop $tailLoop
            (br_if $tailDone (i32.eqz (local.get $j)))
            (call $complexTanh4 (f32x4.splat (f32.load (local.get $x))) (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $half)))))
            (local.set $im)
            (local.set $re)
            (f32.store (local.get $out) (f32x4.extract_lane 0 (local.get $re)))
            (f32.store (i32.add (local.get $out) (local.get $half)) (f32x4.extract_lane 0 (local.get $im)))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $tailLoop)))
        ;; past the imaginary half to the next row
        (local.set $x (i32.add (local.get $x) (local.get $half)))
        (local.set $out (i32.add (local.get $out) (local.get $half)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; Its backward over the same layout: dx from the output's gradient dy and the output y; dx may alias dy.
  (func (export "complexTanhBackward") (param $dy i32) (param $y i32) (param $dx i32) (param $rows i32) (param $w i32)
    (local $half i32) (local $j i32) (local $tail i32) (local $re v128) (local $im v128)
    (local.set $half (i32.shl (local.get $w) (i32.const 2)))
    (local.set $tail (i32.and (local.get $w) (i32.const 3)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $j (i32.sub (local.get $w) (local.get $tail)))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.eqz (local.get $j)))
            (call $complexTanhGrad4 (v128.load (local.get $dy)) (v128.load (i32.add (local.get $dy) (local.get $half))) (v128.load (local.get $y)) (v128.load (i32.add (local.get $y) (local.get $half))))
            (local.set $im)
            (local.set $re)
            (v128.store (local.get $dx) (local.get $re))
            (v128.store (i32.add (local.get $dx) (local.get $half)) (local.get $im))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
            (local.set $j (i32.sub (local.get $j) (i32.const 4)))
            (br $vectors)))
        (local.set $j (local.get $tail))
        (block $tailDone
          (loop $tailLoop
            (br_if $tailDone (i32.eqz (local.get $j)))
            (call $complexTanhGrad4 (f32x4.splat (f32.load (local.get $dy))) (f32x4.splat (f32.load (i32.add (local.get $dy) (local.get $half)))) (f32x4.splat (f32.load (local.get $y))) (f32x4.splat (f32.load (i32.add (local.get $y) (local.get $half)))))
            (local.set $im)
            (local.set $re)
            (f32.store (local.get $dx) (f32x4.extract_lane 0 (local.get $re)))
            (f32.store (i32.add (local.get $dx) (local.get $half)) (f32x4.extract_lane 0 (local.get $im)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
            (local.set $y (i32.add (local.get $y) (i32.const 4)))
            (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $tailLoop)))
        ;; past the imaginary half to the next row
        (local.set $dy (i32.add (local.get $dy) (local.get $half)))
        (local.set $y (i32.add (local.get $y) (local.get $half)))
        (local.set $dx (i32.add (local.get $dx) (local.get $half)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; DeepNPTS' weighted mixture over rows of scores s [L, H] (score of window value l for horizon
  ;; step j at l·H + j) and window values y [L]: w[·, j] = softmax over l of s[·, j], written to w,
  ;; and out[j] = Σ_l w[l, j]·y[l]. Four horizon steps at a time (lanes); the last H mod 4 run the
  ;; same lane code on splatted values. Per lane group: the max over l, then e = exp(s − max) and
  ;; its sum Z, then w = e·(1/Z) (as a softmax normalises) and the products with y. Each group is a
  ;; function of its own with everything inlined: calls with v128 arguments inside these loops
  ;; (this V8 does not inline wasm calls) made the kernel slower than the three ops it replaces.
  (func $mixtureGroup4 (param $s i32) (param $w i32) (param $y i32) (param $out i32) (param $L i32) (param $stride i32)
    (local $l i32) (local $ps i32) (local $pw i32) (local $py i32)
    (local $m v128) (local $v v128) (local $e v128) (local $z v128) (local $acc v128) (local $wv v128)
    (local $c v128) (local $t v128) (local $k v128) (local $r v128) (local $q v128)
    ;; the max over l
    (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $ps (local.get $s))
    (local.set $l (local.get $L))
    (block $maxDone
      (loop $max
        (br_if $maxDone (i32.eqz (local.get $l)))
        (local.set $m (f32x4.max (local.get $m) (v128.load (local.get $ps))))
        (local.set $ps (i32.add (local.get $ps) (local.get $stride)))
        (local.set $l (i32.sub (local.get $l) (i32.const 1)))
        (br $max)))
    ;; e = exp(s - max) into w (the exponential of $exp4, inlined), and their sum
    (local.set $z (v128.const f32x4 0 0 0 0))
    (local.set $ps (local.get $s))
    (local.set $pw (local.get $w))
    (local.set $l (local.get $L))
    (block $expDone
      (loop $exp
        (br_if $expDone (i32.eqz (local.get $l)))
        (local.set $v (f32x4.sub (v128.load (local.get $ps)) (local.get $m)))
        (local.set $c (f32x4.pmin (v128.const f32x4 88 88 88 88)
                                      (f32x4.pmax (v128.const f32x4 -87 -87 -87 -87) (local.get $v))))
            (local.set $t (f32x4.add
              (f32x4.mul (local.get $c) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
              (v128.const f32x4 12582912 12582912 12582912 12582912)))
            (local.set $k (f32x4.sub (local.get $t) (v128.const f32x4 12582912 12582912 12582912 12582912)))
            (local.set $r
              (f32x4.sub
                (f32x4.sub (local.get $c)
                  (f32x4.mul (local.get $k) (v128.const f32x4 0.693145751953125 0.693145751953125
                                                            0.693145751953125 0.693145751953125)))
                (f32x4.mul (local.get $k) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6
                                                          1.428606765330187e-6 1.428606765330187e-6))))
            (local.set $q (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 0.5 0.5 0.5 0.5)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 1 1 1 1)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 1 1 1 1)))
            (local.set $e
              (v128.and
                (f32x4.mul (local.get $q)
                  (i32x4.shl (i32x4.sub (local.get $t) (v128.const i32x4 1262485377 1262485377 1262485377 1262485377))
                             (i32.const 23)))
                (f32x4.ge (local.get $v) (v128.const f32x4 -87 -87 -87 -87))))
        (v128.store (local.get $pw) (local.get $e))
        (local.set $z (f32x4.add (local.get $z) (local.get $e)))
        (local.set $ps (i32.add (local.get $ps) (local.get $stride)))
        (local.set $pw (i32.add (local.get $pw) (local.get $stride)))
        (local.set $l (i32.sub (local.get $l) (i32.const 1)))
        (br $exp)))
    ;; w = e·(1/Z), out = Σ w·y
    (local.set $z (f32x4.div (v128.const f32x4 1 1 1 1) (local.get $z)))
    (local.set $acc (v128.const f32x4 0 0 0 0))
    (local.set $pw (local.get $w))
    (local.set $py (local.get $y))
    (local.set $l (local.get $L))
    (block $mixDone
      (loop $mix
        (br_if $mixDone (i32.eqz (local.get $l)))
        (local.set $wv (f32x4.mul (v128.load (local.get $pw)) (local.get $z)))
        (v128.store (local.get $pw) (local.get $wv))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $wv) (v128.load32_splat (local.get $py)))))
        (local.set $pw (i32.add (local.get $pw) (local.get $stride)))
        (local.set $py (i32.add (local.get $py) (i32.const 4)))
        (local.set $l (i32.sub (local.get $l) (i32.const 1)))
        (br $mix)))
    (v128.store (local.get $out) (local.get $acc)))
  (func $mixtureGroup1 (param $s i32) (param $w i32) (param $y i32) (param $out i32) (param $L i32) (param $stride i32)
    (local $l i32) (local $ps i32) (local $pw i32) (local $py i32)
    (local $m v128) (local $v v128) (local $e v128) (local $z v128) (local $acc v128) (local $wv v128)
    (local $c v128) (local $t v128) (local $k v128) (local $r v128) (local $q v128)
    ;; the max over l
    (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $ps (local.get $s))
    (local.set $l (local.get $L))
    (block $maxDone
      (loop $max
        (br_if $maxDone (i32.eqz (local.get $l)))
        (local.set $m (f32x4.max (local.get $m) (v128.load32_splat (local.get $ps))))
        (local.set $ps (i32.add (local.get $ps) (local.get $stride)))
        (local.set $l (i32.sub (local.get $l) (i32.const 1)))
        (br $max)))
    ;; e = exp(s - max) into w (the exponential of $exp4, inlined), and their sum
    (local.set $z (v128.const f32x4 0 0 0 0))
    (local.set $ps (local.get $s))
    (local.set $pw (local.get $w))
    (local.set $l (local.get $L))
    (block $expDone
      (loop $exp
        (br_if $expDone (i32.eqz (local.get $l)))
        (local.set $v (f32x4.sub (v128.load32_splat (local.get $ps)) (local.get $m)))
        (local.set $c (f32x4.pmin (v128.const f32x4 88 88 88 88)
                                      (f32x4.pmax (v128.const f32x4 -87 -87 -87 -87) (local.get $v))))
            (local.set $t (f32x4.add
              (f32x4.mul (local.get $c) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
              (v128.const f32x4 12582912 12582912 12582912 12582912)))
            (local.set $k (f32x4.sub (local.get $t) (v128.const f32x4 12582912 12582912 12582912 12582912)))
            (local.set $r
              (f32x4.sub
                (f32x4.sub (local.get $c)
                  (f32x4.mul (local.get $k) (v128.const f32x4 0.693145751953125 0.693145751953125
                                                            0.693145751953125 0.693145751953125)))
                (f32x4.mul (local.get $k) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6
                                                          1.428606765330187e-6 1.428606765330187e-6))))
            (local.set $q (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 0.5 0.5 0.5 0.5)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 1 1 1 1)))
            (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
              (v128.const f32x4 1 1 1 1)))
            (local.set $e
              (v128.and
                (f32x4.mul (local.get $q)
                  (i32x4.shl (i32x4.sub (local.get $t) (v128.const i32x4 1262485377 1262485377 1262485377 1262485377))
                             (i32.const 23)))
                (f32x4.ge (local.get $v) (v128.const f32x4 -87 -87 -87 -87))))
        (v128.store32_lane 0 (local.get $pw) (local.get $e))
        (local.set $z (f32x4.add (local.get $z) (local.get $e)))
        (local.set $ps (i32.add (local.get $ps) (local.get $stride)))
        (local.set $pw (i32.add (local.get $pw) (local.get $stride)))
        (local.set $l (i32.sub (local.get $l) (i32.const 1)))
        (br $exp)))
    ;; w = e·(1/Z), out = Σ w·y
    (local.set $z (f32x4.div (v128.const f32x4 1 1 1 1) (local.get $z)))
    (local.set $acc (v128.const f32x4 0 0 0 0))
    (local.set $pw (local.get $w))
    (local.set $py (local.get $y))
    (local.set $l (local.get $L))
    (block $mixDone
      (loop $mix
        (br_if $mixDone (i32.eqz (local.get $l)))
        (local.set $wv (f32x4.mul (v128.load32_splat (local.get $pw)) (local.get $z)))
        (v128.store32_lane 0 (local.get $pw) (local.get $wv))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $wv) (v128.load32_splat (local.get $py)))))
        (local.set $pw (i32.add (local.get $pw) (local.get $stride)))
        (local.set $py (i32.add (local.get $py) (i32.const 4)))
        (local.set $l (i32.sub (local.get $l) (i32.const 1)))
        (br $mix)))
    (v128.store32_lane 0 (local.get $out) (local.get $acc)))
  (func (export "mixture")
        (param $s i32) (param $y i32) (param $w i32) (param $out i32)
        (param $rows i32) (param $L i32) (param $H i32)
    (local $stride i32) (local $j i32) (local $o i32)
    (local.set $stride (i32.shl (local.get $H) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $groupsDone
          (loop $group
            (br_if $groupsDone (i32.ge_u (local.get $j) (local.get $H)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (if (i32.ge_u (i32.sub (local.get $H) (local.get $j)) (i32.const 4))
              (then
                (call $mixtureGroup4 (i32.add (local.get $s) (local.get $o)) (i32.add (local.get $w) (local.get $o))
                  (local.get $y) (i32.add (local.get $out) (local.get $o)) (local.get $L) (local.get $stride))
                (local.set $j (i32.add (local.get $j) (i32.const 4))))
              (else
                (call $mixtureGroup1 (i32.add (local.get $s) (local.get $o)) (i32.add (local.get $w) (local.get $o))
                  (local.get $y) (i32.add (local.get $out) (local.get $o)) (local.get $L) (local.get $stride))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))))
            (br $group)))
        ;; next row: L·H scores and weights, L values, H outputs
        (local.set $s (i32.add (local.get $s) (i32.mul (local.get $L) (local.get $stride))))
        (local.set $w (i32.add (local.get $w) (i32.mul (local.get $L) (local.get $stride))))
        (local.set $y (i32.add (local.get $y) (i32.shl (local.get $L) (i32.const 2))))
        (local.set $out (i32.add (local.get $out) (local.get $stride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; Its backward, same layouts: ds[l, j] = w[l, j]·g[j]·(y[l] − out[j]) — the softmax Jacobian
  ;; applied to g[j]·y[l] in closed form, as Σ_l w·g·y = g·out — and dy[l] = Σ_j w[l, j]·g[j].
  ;; ds may alias w.
  (func $mixtureBackwardGroup4 (param $g i32) (param $y i32) (param $w i32) (param $out i32) (param $ds i32) (param $dy i32)
        (param $L i32) (param $stride i32)
    (local $l i32) (local $gv v128) (local $ov v128) (local $t v128)
    (local.set $gv (v128.load (local.get $g)))
    (local.set $ov (v128.load (local.get $out)))
    (local.set $l (local.get $L))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $l)))
        (local.set $t (f32x4.mul (v128.load (local.get $w)) (local.get $gv)))
        (v128.store (local.get $ds) (f32x4.mul (local.get $t) (f32x4.sub (v128.load32_splat (local.get $y)) (local.get $ov))))
        (f32.store (local.get $dy) (f32.add (f32.load (local.get $dy))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $t)) (f32x4.extract_lane 1 (local.get $t)))
            (f32.add (f32x4.extract_lane 2 (local.get $t)) (f32x4.extract_lane 3 (local.get $t))))))
        (local.set $w (i32.add (local.get $w) (local.get $stride)))
        (local.set $ds (i32.add (local.get $ds) (local.get $stride)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $l (i32.sub (local.get $l) (i32.const 1)))
        (br $each))))
  (func $mixtureBackwardGroup1 (param $g i32) (param $y i32) (param $w i32) (param $out i32) (param $ds i32) (param $dy i32)
        (param $L i32) (param $stride i32)
    (local $l i32) (local $gv v128) (local $ov v128) (local $t v128)
    (local.set $gv (v128.load32_splat (local.get $g)))
    (local.set $ov (v128.load32_splat (local.get $out)))
    (local.set $l (local.get $L))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $l)))
        (local.set $t (f32x4.mul (v128.load32_splat (local.get $w)) (local.get $gv)))
        (v128.store32_lane 0 (local.get $ds) (f32x4.mul (local.get $t) (f32x4.sub (v128.load32_splat (local.get $y)) (local.get $ov))))
        (f32.store (local.get $dy) (f32.add (f32.load (local.get $dy))
          (f32x4.extract_lane 0 (local.get $t))))
        (local.set $w (i32.add (local.get $w) (local.get $stride)))
        (local.set $ds (i32.add (local.get $ds) (local.get $stride)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $l (i32.sub (local.get $l) (i32.const 1)))
        (br $each))))
  (func (export "mixtureBackward")
        (param $g i32) (param $y i32) (param $w i32) (param $out i32) (param $ds i32) (param $dy i32)
        (param $rows i32) (param $L i32) (param $H i32)
    (local $stride i32) (local $j i32) (local $o i32)
    (local.set $stride (i32.shl (local.get $H) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (memory.fill (local.get $dy) (i32.const 0) (i32.shl (local.get $L) (i32.const 2)))
        (local.set $j (i32.const 0))
        (block $groupsDone
          (loop $group
            (br_if $groupsDone (i32.ge_u (local.get $j) (local.get $H)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (if (i32.ge_u (i32.sub (local.get $H) (local.get $j)) (i32.const 4))
              (then
                (call $mixtureBackwardGroup4 (i32.add (local.get $g) (local.get $o)) (local.get $y)
                  (i32.add (local.get $w) (local.get $o)) (i32.add (local.get $out) (local.get $o))
                  (i32.add (local.get $ds) (local.get $o)) (local.get $dy) (local.get $L) (local.get $stride))
                (local.set $j (i32.add (local.get $j) (i32.const 4))))
              (else
                (call $mixtureBackwardGroup1 (i32.add (local.get $g) (local.get $o)) (local.get $y)
                  (i32.add (local.get $w) (local.get $o)) (i32.add (local.get $out) (local.get $o))
                  (i32.add (local.get $ds) (local.get $o)) (local.get $dy) (local.get $L) (local.get $stride))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))))
            (br $group)))
        (local.set $w (i32.add (local.get $w) (i32.mul (local.get $L) (local.get $stride))))
        (local.set $ds (i32.add (local.get $ds) (i32.mul (local.get $L) (local.get $stride))))
        (local.set $y (i32.add (local.get $y) (i32.shl (local.get $L) (i32.const 2))))
        (local.set $dy (i32.add (local.get $dy) (i32.shl (local.get $L) (i32.const 2))))
        (local.set $g (i32.add (local.get $g) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (local.get $stride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; ---- Dropout masks (nn/dropout-mask.ts) ----------------------------------------------------
  ;; The mask of one dropout call over n floats: xoshiro128** from the state (s0, s1, s2, s3), one
  ;; 32-bit draw per element, out = value where draw ≥ threshold (unsigned) and 0 elsewhere — the
  ;; same stream, compared the same way, as Rng.fillThresholded in JavaScript, at about half its
  ;; cost per element (no float64 round trip of the unsigned draw).
  (func (export "dropoutMask")
    (param $out i32) (param $n i32) (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $s3 i32)
    (param $threshold i32) (param $value f32)
    (local $m i32) (local $t i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $m (i32.mul (local.get $s1) (i32.const 5)))
        (f32.store (local.get $out)
          (select (local.get $value) (f32.const 0)
            (i32.ge_u (i32.mul (i32.rotl (local.get $m) (i32.const 7)) (i32.const 9))
                      (local.get $threshold))))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; ---- Softmax backward (nn/scaled-softmax.ts) -----------------------------------------------
  ;; For `rows` rows of `width` floats: dx = scale·(dy·y − (Σ dy·y)·y), the backward of
  ;; softmax(scale·x) from its output y, in one pass per row for the sum and one for dx (the ops
  ;; took five passes). The row sum runs four lanes apart, then across them, then the tail.
  (func (export "softmaxBackward")
    (param $dy i32) (param $y i32) (param $dx i32) (param $rows i32) (param $width i32) (param $scale f32)
    (local $i i32) (local $acc v128) (local $dot f32) (local $vdot v128) (local $vscale v128)
    (local $p i32) (local $q i32) (local $r i32) (local $a v128) (local $b v128)
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        ;; dot = Σ dy·y over the row
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $p (local.get $dy))
        (local.set $q (local.get $y))
        (local.set $i (local.get $width))
        (block $sumDone
          (loop $sum
            (br_if $sumDone (i32.lt_u (local.get $i) (i32.const 4)))
            (local.set $acc (f32x4.add (local.get $acc)
              (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (local.set $i (i32.sub (local.get $i) (i32.const 4)))
            (br $sum)))
        (local.set $dot (call $hsum4 (local.get $acc)))
        (block $sumTailDone
          (loop $sumTail
            (br_if $sumTailDone (i32.eqz (local.get $i)))
            (local.set $dot (f32.add (local.get $dot)
              (f32.mul (f32.load (local.get $p)) (f32.load (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br $sumTail)))
        ;; dx = (dy·y − dot·y)·scale
        (local.set $vdot (f32x4.splat (local.get $dot)))
        (local.set $i (local.get $width))
        (block $outDone
          (loop $out
            (br_if $outDone (i32.lt_u (local.get $i) (i32.const 4)))
            (local.set $a (v128.load (local.get $dy)))
            (local.set $b (v128.load (local.get $y)))
            (v128.store (local.get $dx)
              (f32x4.mul (f32x4.sub (f32x4.mul (local.get $a) (local.get $b))
                                    (f32x4.mul (local.get $vdot) (local.get $b)))
                         (local.get $vscale)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
            (local.set $i (i32.sub (local.get $i) (i32.const 4)))
            (br $out)))
        (block $outTailDone
          (loop $outTail
            (br_if $outTailDone (i32.eqz (local.get $i)))
            (f32.store (local.get $dx)
              (f32.mul (f32.sub (f32.mul (f32.load (local.get $dy)) (f32.load (local.get $y)))
                                (f32.mul (local.get $dot) (f32.load (local.get $y))))
                       (local.get $scale)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
            (local.set $y (i32.add (local.get $y) (i32.const 4)))
            (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br $outTail)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; The backward of y = ELU(z + bias) from its output (TFT's GRNs; the forward stays TensorFlow.js'
  ;; Elu, whose XNNPACK kernel ran twice as fast as a pass with $exp4 here): dz = dy·(y > 0 ? 1 : y + 1) ([rows, cols],
  ;; cols a multiple of 4; dz may alias dy) and, unless biasGrad is 0, biasGrad row g = Σ dz over
  ;; group g's rows (float32 sums, as reluBackward's; overwritten), groups of perGroup rows.
  (func (export "eluBackward")
    (param $dy i32) (param $y i32) (param $dz i32) (param $rows i32) (param $cols i32)
    (param $perGroup i32) (param $biasGrad i32)
    (local $v v128) (local $d v128) (local $j i32) (local $b i32) (local $inGroup i32)
    (local $withBias i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $withBias (i32.ne (local.get $biasGrad) (i32.const 0)))
    (if (local.get $withBias)
      (then (memory.fill (local.get $biasGrad) (i32.const 0)
              (i32.mul (local.get $rowBytes) (i32.div_u (local.get $rows) (local.get $perGroup))))))
    (local.set $inGroup (local.get $perGroup))
    (block $rowsDone
      (loop $eachRow
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (if (i32.eqz (local.get $inGroup))
          (then
            (local.set $inGroup (local.get $perGroup))
            (local.set $biasGrad (i32.add (local.get $biasGrad) (local.get $rowBytes)))))
        (local.set $j (local.get $cols))
        (local.set $b (local.get $biasGrad))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.eqz (local.get $j)))
            (local.set $v (v128.load (local.get $y)))
            (local.set $d
              (f32x4.mul (v128.load (local.get $dy))
                (v128.bitselect (v128.const f32x4 1 1 1 1)
                  (f32x4.add (local.get $v) (v128.const f32x4 1 1 1 1))
                  (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0)))))
            (v128.store (local.get $dz) (local.get $d))
            (if (local.get $withBias)
              (then (v128.store (local.get $b) (f32x4.add (v128.load (local.get $b)) (local.get $d)))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $dz (i32.add (local.get $dz) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 16)))
            (local.set $j (i32.sub (local.get $j) (i32.const 4)))
            (br $vectors)))
        (local.set $inGroup (i32.sub (local.get $inGroup) (i32.const 1)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $eachRow))))
)
