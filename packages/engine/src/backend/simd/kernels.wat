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
  ;; so no subnormal is ever formed (x86 computes those slowly).
  (func $exp4 (param $v v128) (result v128)
    (local $c v128) (local $k v128) (local $r v128) (local $p v128)
    (local.set $c (f32x4.min (f32x4.max (local.get $v) (v128.const f32x4 -87 -87 -87 -87))
                             (v128.const f32x4 88 88 88 88)))
    (local.set $k (f32x4.nearest
      (f32x4.mul (local.get $c) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
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
        (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127))
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
    (f32x4.mul (local.get $dy)
      (f32x4.add (call $normalCdf4 (local.get $x))
        (f32x4.mul (local.get $x)
          (f32x4.mul
            (call $exp4 (f32x4.mul (f32x4.mul (local.get $x) (local.get $x))
                                   (v128.const f32x4 -0.5 -0.5 -0.5 -0.5)))
            (v128.const f32x4 0.39894228 0.39894228 0.39894228 0.39894228))))))

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

  ;; ---- BiTCN: GELU then dropout as one op each way (models/bitcn/gelu-dropout.ts) ----

  ;; dx = (dy·m)·(Φ + x·φ(x)) with Φ read from the forward instead of recomputed: the same
  ;; expression, in the same order, as $geluGrad4 of the masked gradient, so the same bits.
  (func $geluGradCdf4 (param $dy v128) (param $x v128) (param $cdf v128) (result v128)
    (f32x4.mul (local.get $dy)
      (f32x4.add (local.get $cdf)
        (f32x4.mul (local.get $x)
          (f32x4.mul
            (call $exp4 (f32x4.mul (f32x4.mul (local.get $x) (local.get $x))
                                   (v128.const f32x4 -0.5 -0.5 -0.5 -0.5)))
            (v128.const f32x4 0.39894228 0.39894228 0.39894228 0.39894228))))))

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
;; ---- LayerNorm over the last axis as one op each way (backend/layer-norm-kernel.ts) ----

  ;; The sum of a vector's four lanes.
  (func $hsum4 (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

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
)
