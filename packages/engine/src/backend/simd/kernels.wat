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
)
