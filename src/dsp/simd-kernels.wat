;; The engine's hottest per-sample passes in WebAssembly SIMD (simd-kernels.ts loads it): windowing a
;; frame into a transform's float32 time buffer, overlap-adding one out of it, the decorrelator's
;; all-pass links, and the ICC meter's band sums. It imports PFFFT's memory, so it reads and writes the transforms' buffers in place;
;; every argument is a byte offset into that memory.
;;
;; The arithmetic is the JavaScript loops' own, in the same order: products and sums in float64, each
;; float32 result rounded once (f32x4.demote_f64x2_zero, as a store into a Float32Array), so the samples
;; are bit for bit those of the JavaScript fallback. Two float64 lanes a step (the band sums, whose
;; order the lanes would change, one value a step).
;;
;; Assemble with `npm run build:kernels` (scripts/assemble-kernels.mjs writes simd-kernels-wasm-bytes.ts);
;; test/dsp/simd-kernels.test.ts checks that the embedded bytes are this file's.
(module
  (import "env" "memory" (memory 1))

  ;; frame[m] = f32(history[m] * window[m]) for m < count (frame float32, history and window float64).
  (func (export "windowReal") (param $frame i32) (param $history i32) (param $window i32) (param $count i32)
    (local $end i32)
    (local $end4 i32)
    (local.set $end (i32.add (local.get $frame) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $frame) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $fours_done
      (loop $fours
        (br_if $fours_done (i32.ge_u (local.get $frame) (local.get $end4)))
        ;; Two products of two lanes each, demoted and joined: (h0 w0, h1 w1, h2 w2, h3 w3).
        (v128.store (local.get $frame)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.mul (v128.load (local.get $history)) (v128.load (local.get $window))))
            (f32x4.demote_f64x2_zero
              (f64x2.mul (v128.load offset=16 (local.get $history)) (v128.load offset=16 (local.get $window))))))
        (local.set $frame (i32.add (local.get $frame) (i32.const 16)))
        (local.set $history (i32.add (local.get $history) (i32.const 32)))
        (local.set $window (i32.add (local.get $window) (i32.const 32)))
        (br $fours)))
    (block $ones_done
      (loop $ones
        (br_if $ones_done (i32.ge_u (local.get $frame) (local.get $end)))
        (f32.store (local.get $frame) (f32.demote_f64 (f64.mul (f64.load (local.get $history)) (f64.load (local.get $window)))))
        (local.set $frame (i32.add (local.get $frame) (i32.const 4)))
        (local.set $history (i32.add (local.get $history) (i32.const 8)))
        (local.set $window (i32.add (local.get $window) (i32.const 8)))
        (br $ones))))

  ;; frame[2 m] = f32(mid[m] * window[m]) and frame[2 m + 1] = f32(side[m] * window[m]) for m < count: the
  ;; windowed complex samples M + iS (frame float32, the rest float64).
  (func (export "windowPairs") (param $frame i32) (param $mid i32) (param $side i32) (param $window i32) (param $count i32)
    (local $end i32)
    (local $end2 i32)
    (local $w v128)
    (local $m f64)
    (local.set $end (i32.add (local.get $frame) (i32.shl (local.get $count) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $frame) (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3))))
    (block $twos_done
      (loop $twos
        (br_if $twos_done (i32.ge_u (local.get $frame) (local.get $end2)))
        (local.set $w (v128.load (local.get $window)))
        ;; (m0 w0, m1 w1) and (s0 w0, s1 w1), demoted and interleaved: (m0 w0, s0 w0, m1 w1, s1 w1).
        (v128.store (local.get $frame)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.mul (v128.load (local.get $mid)) (local.get $w)))
            (f32x4.demote_f64x2_zero (f64x2.mul (v128.load (local.get $side)) (local.get $w)))))
        (local.set $frame (i32.add (local.get $frame) (i32.const 16)))
        (local.set $mid (i32.add (local.get $mid) (i32.const 16)))
        (local.set $side (i32.add (local.get $side) (i32.const 16)))
        (local.set $window (i32.add (local.get $window) (i32.const 16)))
        (br $twos)))
    (if (i32.lt_u (local.get $frame) (local.get $end))
      (then
        (local.set $m (f64.load (local.get $window)))
        (f32.store (local.get $frame) (f32.demote_f64 (f64.mul (f64.load (local.get $mid)) (local.get $m))))
        (f32.store offset=4 (local.get $frame) (f32.demote_f64 (f64.mul (f64.load (local.get $side)) (local.get $m)))))))

  ;; Overlap-add of a frame of 2 hop samples: finished[i] = pending[i] + frame[i] * window[i], then
  ;; pending[i] = frame[hop + i] * window[hop + i], for i < hop (frame float32, the rest float64).
  (func (export "overlapAdd") (param $finished i32) (param $pending i32) (param $frame i32) (param $window i32) (param $hop i32)
    (local $i i32)
    (local $bytes i32)
    (local $bytes2 i32)
    (local $second i32)
    (local $secondWindow i32)
    (local.set $bytes (i32.shl (local.get $hop) (i32.const 3)))
    (local.set $bytes2 (i32.shl (i32.and (local.get $hop) (i32.const -2)) (i32.const 3)))
    (local.set $second (i32.add (local.get $frame) (i32.shl (local.get $hop) (i32.const 2))))
    (local.set $secondWindow (i32.add (local.get $window) (local.get $bytes)))
    (block $twos_done
      (loop $twos
        (br_if $twos_done (i32.ge_u (local.get $i) (local.get $bytes2)))
        (v128.store (i32.add (local.get $finished) (local.get $i))
          (f64x2.add (v128.load (i32.add (local.get $pending) (local.get $i)))
            (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $frame)))
              (v128.load (i32.add (local.get $window) (local.get $i))))))
        (v128.store (i32.add (local.get $pending) (local.get $i))
          (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $second)))
            (v128.load (i32.add (local.get $secondWindow) (local.get $i)))))
        (local.set $frame (i32.add (local.get $frame) (i32.const 8)))
        (local.set $second (i32.add (local.get $second) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $twos)))
    (if (i32.lt_u (local.get $i) (local.get $bytes))
      (then
        (f64.store (i32.add (local.get $finished) (local.get $i))
          (f64.add (f64.load (i32.add (local.get $pending) (local.get $i)))
            (f64.mul (f64.promote_f32 (f32.load (local.get $frame))) (f64.load (i32.add (local.get $window) (local.get $i))))))
        (f64.store (i32.add (local.get $pending) (local.get $i))
          (f64.mul (f64.promote_f32 (f32.load (local.get $second))) (f64.load (i32.add (local.get $secondWindow) (local.get $i))))))))

  ;; The decorrelator's pre-delay and three all-pass links (coefficients: three float64 at `coefficients`,
  ;; passed in memory: a float64 argument from JavaScript may be boxed) over `count` samples of `block`,
  ;; in place, with no ring wrapping within (the caller splits the block where one does): per sample x = pre[i],
  ;; pre[i] = block[i], then per link (ring r, coefficient a) d = r[i], w = x + a d (0 below 1e-30 in
  ;; magnitude), r[i] = w, x = d - a w; block[i] = x. Samples i and i + 1 touch different ring slots (the
  ;; delays are far longer than 2), so two lanes run at once.
  (func (export "allpassRun") (param $block i32) (param $pre i32) (param $ring1 i32) (param $ring2 i32) (param $ring3 i32)
    (param $count i32) (param $coefficients i32)
    (local $a1 f64) (local $a2 f64) (local $a3 f64)
    (local $end i32)
    (local $end2 i32)
    (local $x v128) (local $d v128) (local $w v128)
    (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $flush v128)
    (local $xs f64) (local $ds f64) (local $ws f64)
    (local.set $end (i32.add (local.get $block) (i32.shl (local.get $count) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $block) (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3))))
    (local.set $a1 (f64.load (local.get $coefficients)))
    (local.set $a2 (f64.load offset=8 (local.get $coefficients)))
    (local.set $a3 (f64.load offset=16 (local.get $coefficients)))
    (local.set $c1 (f64x2.splat (local.get $a1)))
    (local.set $c2 (f64x2.splat (local.get $a2)))
    (local.set $c3 (f64x2.splat (local.get $a3)))
    (local.set $flush (f64x2.splat (f64.const 1e-30)))
    (block $twos_done
      (loop $twos
        (br_if $twos_done (i32.ge_u (local.get $block) (local.get $end2)))
        (local.set $x (v128.load (local.get $pre)))
        (v128.store (local.get $pre) (v128.load (local.get $block)))
        ;; Link 1.
        (local.set $d (v128.load (local.get $ring1)))
        (local.set $w (f64x2.add (local.get $x) (f64x2.mul (local.get $c1) (local.get $d))))
        (local.set $w (v128.andnot (local.get $w) (f64x2.lt (f64x2.abs (local.get $w)) (local.get $flush))))
        (v128.store (local.get $ring1) (local.get $w))
        (local.set $x (f64x2.sub (local.get $d) (f64x2.mul (local.get $c1) (local.get $w))))
        ;; Link 2.
        (local.set $d (v128.load (local.get $ring2)))
        (local.set $w (f64x2.add (local.get $x) (f64x2.mul (local.get $c2) (local.get $d))))
        (local.set $w (v128.andnot (local.get $w) (f64x2.lt (f64x2.abs (local.get $w)) (local.get $flush))))
        (v128.store (local.get $ring2) (local.get $w))
        (local.set $x (f64x2.sub (local.get $d) (f64x2.mul (local.get $c2) (local.get $w))))
        ;; Link 3.
        (local.set $d (v128.load (local.get $ring3)))
        (local.set $w (f64x2.add (local.get $x) (f64x2.mul (local.get $c3) (local.get $d))))
        (local.set $w (v128.andnot (local.get $w) (f64x2.lt (f64x2.abs (local.get $w)) (local.get $flush))))
        (v128.store (local.get $ring3) (local.get $w))
        (v128.store (local.get $block) (f64x2.sub (local.get $d) (f64x2.mul (local.get $c3) (local.get $w))))
        (local.set $block (i32.add (local.get $block) (i32.const 16)))
        (local.set $pre (i32.add (local.get $pre) (i32.const 16)))
        (local.set $ring1 (i32.add (local.get $ring1) (i32.const 16)))
        (local.set $ring2 (i32.add (local.get $ring2) (i32.const 16)))
        (local.set $ring3 (i32.add (local.get $ring3) (i32.const 16)))
        (br $twos)))
    (if (i32.lt_u (local.get $block) (local.get $end))
      (then
        (local.set $xs (f64.load (local.get $pre)))
        (f64.store (local.get $pre) (f64.load (local.get $block)))
        (local.set $ds (f64.load (local.get $ring1)))
        (local.set $ws (f64.add (local.get $xs) (f64.mul (local.get $a1) (local.get $ds))))
        (if (f64.lt (f64.abs (local.get $ws)) (f64.const 1e-30)) (then (local.set $ws (f64.const 0))))
        (f64.store (local.get $ring1) (local.get $ws))
        (local.set $xs (f64.sub (local.get $ds) (f64.mul (local.get $a1) (local.get $ws))))
        (local.set $ds (f64.load (local.get $ring2)))
        (local.set $ws (f64.add (local.get $xs) (f64.mul (local.get $a2) (local.get $ds))))
        (if (f64.lt (f64.abs (local.get $ws)) (f64.const 1e-30)) (then (local.set $ws (f64.const 0))))
        (f64.store (local.get $ring2) (local.get $ws))
        (local.set $xs (f64.sub (local.get $ds) (f64.mul (local.get $a2) (local.get $ws))))
        (local.set $ds (f64.load (local.get $ring3)))
        (local.set $ws (f64.add (local.get $xs) (f64.mul (local.get $a3) (local.get $ds))))
        (if (f64.lt (f64.abs (local.get $ws)) (f64.const 1e-30)) (then (local.set $ws (f64.const 0))))
        (f64.store (local.get $ring3) (local.get $ws))
        (f64.store (local.get $block) (f64.sub (local.get $ds) (f64.mul (local.get $a3) (local.get $ws)))))))

  ;; The ICC meter's band sums (icc-feedback.ts addFrameSums) from Z = FFT(M + iS), `n` complex float32
  ;; values at `spectrum`: for each run of bins of one band (float64 triples at `runs`: first bin, end
  ;; bin, byte offset of the band's four statistics from `stats`), with B = conj Z[n - k], the sums of
  ;; |Z|^2, |B|^2 and Z conj(B), then added to the statistics (float64) as the JavaScript loop adds them.
  ;; Scalar, in the loop's order, so the sums are the same bit for bit.
  (func (export "bandSums") (param $stats i32) (param $spectrum i32) (param $runs i32) (param $runCount i32) (param $n i32)
    (local $runsEnd i32)
    (local $k i32) (local $end i32) (local $at i32) (local $mirror i32)
    (local $zr f64) (local $zi f64) (local $br f64) (local $bi f64)
    (local $pz f64) (local $pb f64) (local $cr f64) (local $ci f64)
    (local.set $runsEnd (i32.add (local.get $runs) (i32.mul (local.get $runCount) (i32.const 24))))
    (block $runs_done
      (loop $run
        (br_if $runs_done (i32.ge_u (local.get $runs) (local.get $runsEnd)))
        (local.set $k (i32.trunc_f64_u (f64.load (local.get $runs))))
        (local.set $end (i32.trunc_f64_u (f64.load offset=8 (local.get $runs))))
        (local.set $at (i32.add (local.get $stats) (i32.trunc_f64_u (f64.load offset=16 (local.get $runs)))))
        (local.set $pz (f64.const 0))
        (local.set $pb (f64.const 0))
        (local.set $cr (f64.const 0))
        (local.set $ci (f64.const 0))
        (block $bins_done
          (loop $bin
            (br_if $bins_done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $mirror (i32.and (i32.sub (local.get $n) (local.get $k)) (i32.sub (local.get $n) (i32.const 1))))
            (local.set $zr (f64.promote_f32 (f32.load (i32.add (local.get $spectrum) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $zi (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $spectrum) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $br (f64.promote_f32 (f32.load (i32.add (local.get $spectrum) (i32.shl (local.get $mirror) (i32.const 3))))))
            (local.set $bi (f64.neg (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $spectrum) (i32.shl (local.get $mirror) (i32.const 3)))))))
            (local.set $pz (f64.add (local.get $pz) (f64.add (f64.mul (local.get $zr) (local.get $zr)) (f64.mul (local.get $zi) (local.get $zi)))))
            (local.set $pb (f64.add (local.get $pb) (f64.add (f64.mul (local.get $br) (local.get $br)) (f64.mul (local.get $bi) (local.get $bi)))))
            (local.set $cr (f64.add (local.get $cr) (f64.add (f64.mul (local.get $zr) (local.get $br)) (f64.mul (local.get $zi) (local.get $bi)))))
            (local.set $ci (f64.add (local.get $ci) (f64.sub (f64.mul (local.get $zi) (local.get $br)) (f64.mul (local.get $zr) (local.get $bi)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $bin)))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
          (f64.mul (f64.const 0.25) (f64.add (f64.add (local.get $pz) (local.get $pb)) (f64.mul (f64.const 2) (local.get $cr))))))
        (f64.store offset=8 (local.get $at) (f64.add (f64.load offset=8 (local.get $at))
          (f64.mul (f64.const 0.25) (f64.sub (f64.add (local.get $pz) (local.get $pb)) (f64.mul (f64.const 2) (local.get $cr))))))
        (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (f64.mul (f64.const 0.5) (local.get $ci))))
        (f64.store offset=24 (local.get $at) (f64.add (f64.load offset=24 (local.get $at))
          (f64.mul (f64.const -0.25) (f64.sub (local.get $pz) (local.get $pb)))))
        (local.set $runs (i32.add (local.get $runs) (i32.const 24)))
        (br $run))))

  ;; Per-band sums of two float64 half spectra a and b (band-sums.ts, addBandSums), per run of one
  ;; band's bins (`runCount` float64 triples: first bin, end bin, byte offset of the band's four sums
  ;; from `sums`): |a|^2, |b|^2 and the real and imaginary parts of b conj(a), added to the sums as the
  ;; JavaScript loop adds them. Two lanes: (|a|^2, |b|^2) and (Re, Im), each lane the loop's own float64
  ;; operations in its order (bi ar - br ai as bi ar + (-br) ai, which is the same value), so the sums
  ;; are the same bit for bit.
  (func (export "spectrumBandSums") (param $sums i32) (param $a i32) (param $b i32) (param $runs i32) (param $runCount i32)
    (local $runsEnd i32) (local $k i32) (local $end i32) (local $at i32)
    (local $va v128) (local $vb v128) (local $x v128) (local $y v128)
    (local $powers v128) (local $cross v128)
    (local.set $runsEnd (i32.add (local.get $runs) (i32.mul (local.get $runCount) (i32.const 24))))
    (block $runs_done
      (loop $run
        (br_if $runs_done (i32.ge_u (local.get $runs) (local.get $runsEnd)))
        (local.set $k (i32.shl (i32.trunc_f64_u (f64.load (local.get $runs))) (i32.const 4)))
        (local.set $end (i32.shl (i32.trunc_f64_u (f64.load offset=8 (local.get $runs))) (i32.const 4)))
        (local.set $at (i32.add (local.get $sums) (i32.trunc_f64_u (f64.load offset=16 (local.get $runs)))))
        (local.set $powers (v128.const f64x2 0 0))
        (local.set $cross (v128.const f64x2 0 0))
        (block $bins_done
          (loop $bin
            (br_if $bins_done (i32.ge_u (local.get $k) (local.get $end)))
            ;; va = (ar, ai), vb = (br, bi)
            (local.set $va (v128.load (i32.add (local.get $a) (local.get $k))))
            (local.set $vb (v128.load (i32.add (local.get $b) (local.get $k))))
            ;; (pa, pb) += (ar, br)^2 + (ai, bi)^2
            (local.set $x (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $va) (local.get $vb)))
            (local.set $y (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $va) (local.get $vb)))
            (local.set $powers (f64x2.add (local.get $powers)
              (f64x2.add (f64x2.mul (local.get $x) (local.get $x)) (f64x2.mul (local.get $y) (local.get $y)))))
            ;; (re, im) += (ar, bi) (br, ar) + (ai, -br) (bi, ai)
            (local.set $cross (f64x2.add (local.get $cross)
              (f64x2.add
                (f64x2.mul
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 24 25 26 27 28 29 30 31 (local.get $va) (local.get $vb))
                  (i8x16.shuffle 16 17 18 19 20 21 22 23 0 1 2 3 4 5 6 7 (local.get $va) (local.get $vb)))
                (f64x2.mul
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 (local.get $va) (f64x2.neg (local.get $vb)))
                  (i8x16.shuffle 24 25 26 27 28 29 30 31 8 9 10 11 12 13 14 15 (local.get $va) (local.get $vb))))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $bin)))
        (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (local.get $powers)))
        (v128.store offset=16 (local.get $at) (f64x2.add (v128.load offset=16 (local.get $at)) (local.get $cross)))
        (local.set $runs (i32.add (local.get $runs) (i32.const 24)))
        (br $run))))

  ;; The side synthesis's bins (side-synthesis.ts, writeBandRuns and the faded bins): per band, from `bands` (64 bytes a band:
  ;; float64 pairs (A, A), (-B, B), (C, C), then its first and end bins), for bins k in [first, end) with
  ;; w = weights[k] and M, D the float64 half spectra,
  ;;     side[k] = (A w) M + i (B w) M + (C w) D,
  ;; a bin's (re, im) in the two lanes: lane 0 (A w) Mr + (-(B w)) Mi + (C w) Dr, which is the loop's
  ;; a Mr - b Mi + c Dr (x + (-y) is x - y exactly), lane 1 its a Mi + b Mr + c Di, each in the
  ;; loop's order, so the side is the same bit for bit.
  (func (export "sideRuns") (param $side i32) (param $mono i32) (param $decorrelated i32) (param $bands i32) (param $bandCount i32) (param $weights i32)
    (param $faded i32) (param $fadedCount i32)
    (local $bandsEnd i32) (local $k i32) (local $end i32) (local $at i32)
    (local $a v128) (local $b v128) (local $c v128) (local $w v128) (local $m v128)
    (local $band i32) (local $neighbour i32) (local $fade v128) (local $fadedEnd i32)
    (local.set $bandsEnd (i32.add (local.get $bands) (i32.shl (local.get $bandCount) (i32.const 6))))
    (block $bands_done
      (loop $band
        (br_if $bands_done (i32.ge_u (local.get $bands) (local.get $bandsEnd)))
        (local.set $a (v128.load (local.get $bands)))
        (local.set $b (v128.load offset=16 (local.get $bands)))
        (local.set $c (v128.load offset=32 (local.get $bands)))
        (local.set $k (i32.trunc_f64_u (f64.load offset=48 (local.get $bands))))
        (local.set $end (i32.trunc_f64_u (f64.load offset=56 (local.get $bands))))
        (block $bins_done
          (loop $bin
            (br_if $bins_done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $w (f64x2.splat (f64.load (i32.add (local.get $weights) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $at (i32.shl (local.get $k) (i32.const 4)))
            (local.set $m (v128.load (i32.add (local.get $mono) (local.get $at))))
            (v128.store (i32.add (local.get $side) (local.get $at))
              (f64x2.add
                (f64x2.add
                  (f64x2.mul (f64x2.mul (local.get $a) (local.get $w)) (local.get $m))
                  (f64x2.mul (f64x2.mul (local.get $b) (local.get $w))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
                (f64x2.mul (f64x2.mul (local.get $c) (local.get $w))
                  (v128.load (i32.add (local.get $decorrelated) (local.get $at))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $bin)))
        (local.set $bands (i32.add (local.get $bands) (i32.const 64)))
        (br $band)))
    ;; Then the faded bins again (`fadedCount` float64 quadruples: bin, byte offsets of its band and of the
    ;; neighbour in the band table, the neighbour's weight f): a = A + f (A' - A) per lane, and so on, then
    ;; as above. Lane 0 of the B pair is the loop's value negated, and negation commutes with each of
    ;; these roundings, so it is still the loop's -b exactly.
    (local.set $bands (i32.sub (local.get $bandsEnd) (i32.shl (local.get $bandCount) (i32.const 6))))
    (local.set $fadedEnd (i32.add (local.get $faded) (i32.shl (local.get $fadedCount) (i32.const 5))))
    (block $faded_done
      (loop $faded_bin
        (br_if $faded_done (i32.ge_u (local.get $faded) (local.get $fadedEnd)))
        (local.set $k (i32.trunc_f64_u (f64.load (local.get $faded))))
        (local.set $band (i32.add (local.get $bands) (i32.trunc_f64_u (f64.load offset=8 (local.get $faded)))))
        (local.set $neighbour (i32.add (local.get $bands) (i32.trunc_f64_u (f64.load offset=16 (local.get $faded)))))
        (local.set $fade (f64x2.splat (f64.load offset=24 (local.get $faded))))
        (local.set $a (v128.load (local.get $band)))
        (local.set $b (v128.load offset=16 (local.get $band)))
        (local.set $c (v128.load offset=32 (local.get $band)))
        (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $fade) (f64x2.sub (v128.load (local.get $neighbour)) (local.get $a)))))
        (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $fade) (f64x2.sub (v128.load offset=16 (local.get $neighbour)) (local.get $b)))))
        (local.set $c (f64x2.add (local.get $c) (f64x2.mul (local.get $fade) (f64x2.sub (v128.load offset=32 (local.get $neighbour)) (local.get $c)))))
        (local.set $w (f64x2.splat (f64.load (i32.add (local.get $weights) (i32.shl (local.get $k) (i32.const 3))))))
        (local.set $at (i32.shl (local.get $k) (i32.const 4)))
        (local.set $m (v128.load (i32.add (local.get $mono) (local.get $at))))
        (v128.store (i32.add (local.get $side) (local.get $at))
          (f64x2.add
            (f64x2.add
              (f64x2.mul (f64x2.mul (local.get $a) (local.get $w)) (local.get $m))
              (f64x2.mul (f64x2.mul (local.get $b) (local.get $w))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
            (f64x2.mul (f64x2.mul (local.get $c) (local.get $w))
              (v128.load (i32.add (local.get $decorrelated) (local.get $at))))))
        (local.set $faded (i32.add (local.get $faded) (i32.const 32)))
        (br $faded_bin))))

  ;; The orthogonaliser's running sums (band-orthogonalizer.ts, observe): per band b (32 bytes of four
  ;; float64 sums), with `stats` a ring of `ringFrames` frames of `bandCount` bands, the newest frame in
  ;; slot `newest`, `sums += newest - leaving` where the frame leaving is `windowFrames[b]` (float64) slots
  ;; back, and `shortSums += newest - leaving` where it is `shortFrames` back, in pairs of lanes: the
  ;; loop's float64 operations per value, so the sums are the same bit for bit.
  (func (export "runningSums") (param $sums i32) (param $shortSums i32) (param $stats i32) (param $windowFrames i32)
    (param $bandCount i32) (param $ringFrames i32) (param $newest i32) (param $shortFrames i32)
    (local $stride i32) (local $to i32) (local $from i32) (local $shortFrom i32) (local $leaving i32) (local $at i32) (local $end i32)
    (local.set $stride (i32.shl (local.get $bandCount) (i32.const 5)))
    (local.set $to (i32.add (local.get $stats) (i32.mul (local.get $stride) (local.get $newest))))
    (local.set $leaving (i32.sub (local.get $newest) (local.get $shortFrames)))
    (if (i32.lt_s (local.get $leaving) (i32.const 0))
      (then (local.set $leaving (i32.add (local.get $leaving) (local.get $ringFrames)))))
    (local.set $shortFrom (i32.add (local.get $stats) (i32.mul (local.get $stride) (local.get $leaving))))
    (local.set $at (i32.const 0))
    (local.set $end (local.get $stride))
    (block $done
      (loop $band
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $leaving (i32.sub (local.get $newest)
          (i32.trunc_f64_s (f64.load (i32.add (local.get $windowFrames) (i32.shr_u (local.get $at) (i32.const 2)))))))
        (if (i32.lt_s (local.get $leaving) (i32.const 0))
          (then (local.set $leaving (i32.add (local.get $leaving) (local.get $ringFrames)))))
        (local.set $from (i32.add (i32.add (local.get $stats) (i32.mul (local.get $stride) (local.get $leaving))) (local.get $at)))
        (v128.store (i32.add (local.get $sums) (local.get $at)) (f64x2.add (v128.load (i32.add (local.get $sums) (local.get $at)))
          (f64x2.sub (v128.load (i32.add (local.get $to) (local.get $at))) (v128.load (local.get $from)))))
        (v128.store offset=16 (i32.add (local.get $sums) (local.get $at)) (f64x2.add (v128.load offset=16 (i32.add (local.get $sums) (local.get $at)))
          (f64x2.sub (v128.load offset=16 (i32.add (local.get $to) (local.get $at))) (v128.load offset=16 (local.get $from)))))
        (v128.store (i32.add (local.get $shortSums) (local.get $at)) (f64x2.add (v128.load (i32.add (local.get $shortSums) (local.get $at)))
          (f64x2.sub (v128.load (i32.add (local.get $to) (local.get $at))) (v128.load (i32.add (local.get $shortFrom) (local.get $at))))))
        (v128.store offset=16 (i32.add (local.get $shortSums) (local.get $at)) (f64x2.add (v128.load offset=16 (i32.add (local.get $shortSums) (local.get $at)))
          (f64x2.sub (v128.load offset=16 (i32.add (local.get $to) (local.get $at))) (v128.load offset=16 (i32.add (local.get $shortFrom) (local.get $at))))))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $band))))
)
