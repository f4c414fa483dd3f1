"""Extra per-track arrays for the model trials (written next to the track files, training/cache/extra/<id>.npz):

    /usr/bin/python3 training/extra_targets.py [--jobs 2]

- `icc_e`, `ild_e`, `active_e` (frames, bands): the cue targets of frame t measured exactly as evaluate.py
  measures them (2048-point periodic Hann, hop 512, an 8-frame tile, its own activity thresholds): the
  tile of evaluation frames t-4..t+3, which covers the same samples' centre as the training tile t-3..t+4;
- `neff` (frames, bands): features.effective_bins of the mono frame (log10 of the effective number of
  bins per band, (sum p)^2 / sum p^2).
"""
import argparse
import json
import os
import sys
import time
from multiprocessing import Pool

for _v in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_v, '1')

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402
from dataset import load_stereo  # noqa: E402
from evaluate import N_EVAL, SR, TILE, eval_stft  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
EXTRA = os.path.join(HERE, 'cache', 'extra')


def eval_domain_targets(left, right, frames):
    """icc, ild, active (frames, bands) for training frame t from evaluation frames t-4..t+3."""
    bm = F.band_matrix(SR, N_EVAL)
    scale = 1.0 / (N_EVAL * N_EVAL)
    sl, sr_ = eval_stft(left), eval_stft(right)
    pl = (np.abs(sl) ** 2) @ bm * scale
    pr = (np.abs(sr_) ** 2) @ bm * scale
    cross = sl * np.conj(sr_)
    cr, ci = (cross.real @ bm) * scale, (cross.imag @ bm) * scale
    n_e = pl.shape[0]
    c = [np.concatenate([np.zeros((1, F.BANDS)), np.cumsum(a, axis=0)]) for a in (pl, pr, cr, ci)]
    lo = np.arange(frames) - 4
    hi = lo + TILE
    ok = (lo >= 0) & (hi <= n_e)
    sums = []
    for cs in c:
        s = np.full((frames, F.BANDS), np.nan)
        s[ok] = cs[hi[ok]] - cs[lo[ok]]
        sums.append(s)
    # the track level as evaluate.py's Reference computes it (mean over non-overlapping tiles)
    tiles = n_e // TILE
    level = np.mean(np.sum(0.5 * (pl[:tiles * TILE] + pr[:tiles * TILE]), axis=1)) if tiles else 0.0
    icc, ild, active = F.cues_from_sums(*sums, TILE, level)
    return icc, ild, active


def one(rec):
    out = os.path.join(EXTRA, os.path.basename(rec['file']))
    if os.path.exists(out):
        return rec['name'], 0.0
    t0 = time.time()
    (left, right), _ = load_stereo(rec['path'])
    frames = rec['frames']
    mono = 0.5 * (left + right)
    neff = F.effective_bins(F.stft(mono, SR), SR)
    assert neff.shape[0] == frames, (neff.shape, frames)
    icc, ild, active = eval_domain_targets(left, right, frames)
    tmp = out[:-4] + '.tmp.npz'
    np.savez_compressed(tmp, icc_e=icc.astype(np.float32), ild_e=ild.astype(np.float32), active_e=active,
                        neff=neff.astype(np.float32))
    os.replace(tmp, out)
    return rec['name'], time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--limit', type=int, default=0)
    args = ap.parse_args()
    os.makedirs(EXTRA, exist_ok=True)
    recs = [r for r in json.load(open(os.path.join(DATA, 'manifest.json')))['tracks'] if 'skipped' not in r]
    if args.limit:
        recs = recs[:args.limit]
    t0 = time.time()
    with Pool(args.jobs) as pool:
        for i, (name, s) in enumerate(pool.imap_unordered(one, recs)):
            if i % 20 == 0:
                print(f'[{i + 1}/{len(recs)}] {name} {s:.1f} s', flush=True)
    print(f'extra arrays of {len(recs)} tracks in {time.time() - t0:.0f} s', flush=True)


if __name__ == '__main__':
    main()
