"""A non-neural check of how predictable a track's width profile is from mono band statistics, across
packages (the same leave-packages-out folds as train.py --folds):

    /usr/bin/python3 training/profile_ridge.py

With --neff, x also holds the per-band mean and std of the effective bins (features.effective_bins).
With --envelope, x also holds per band the model's envelope statistics (model.envelope_stats, what
`train.py --envelope` feeds the model) over the same frames: the envelope's autocorrelation at lags of
1, 4 and 16 frames and the mean fall of the log energy 8 and 20 frames (93 and 232 ms) after an onset
(decay as a proxy for reverb), measures a reverberant or a dry production might show.
Per track: x = the first 1100 frames' (12.8 s) per-band mean log energy minus its mean over bands
(spectral shape), per-band std and mean |frame-to-frame change|, and the overall mean level (73 numbers);
y = the track's mean ICC per band over its honest tile-bands (the static oracle profile). A ridge
regression (standardised x, several penalties) fitted on the other folds predicts y for the held-out
fold; prints prof_lo (mean over the 18 bands below 6.2 kHz of |predicted - true|, averaged over tracks)
for it and for the fold's training-mean profile.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codec_coupling as CC  # noqa: E402
import features as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
LO = int(np.sum(F.band_edges()[:-1] < 6200.0))


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument('--neff', action='store_true', help='add the per-band mean and std of the effective bins '
                    '(training/cache/extra, extra_targets.py) over the same frames')
    ap.add_argument('--envelope', action='store_true', help='add the decay after onsets and the envelope '
                    'autocorrelation per band')
    args = ap.parse_args()
    if args.envelope:  # torch only for this option (Debian's python3-torch)
        import torch
        from model import envelope_stats
    manifest = json.load(open(os.path.join(DATA, 'manifest.json')))['tracks']
    split = json.load(open(os.path.join(DATA, 'split.json')))
    fold_of = {p: k for k, f in enumerate(split['folds']) for p in f['packages']}
    xs, ys, groups = [], [], []
    for r in manifest:
        if 'skipped' in r:
            continue
        d = np.load(os.path.join(DATA, r['file']))
        honest = d['active'] & ~CC.detect(d['icc'], d['active'], F.band_edges()[:-1])[0]
        x = np.log10(d['powers'][:1100].astype(np.float64) + F.FLOOR)
        v = x > -9.99
        n = np.maximum(v.sum(axis=0), 1)
        mean = (x * v).sum(axis=0) / n
        std = np.sqrt((((x - mean) ** 2) * v).sum(axis=0) / n)
        flux = np.abs(np.diff(x, axis=0)).mean(axis=0)
        feats = [mean - mean.mean(), std, flux, [mean.mean()]]
        if args.neff:
            ne = np.load(os.path.join(HERE, 'cache', 'extra', os.path.basename(r['file'])))['neff'][:1100]
            nm = (ne * v).sum(axis=0) / n
            feats += [nm, np.sqrt((((ne - nm) ** 2) * v).sum(axis=0) / n)]
        if args.envelope:  # the model's envelope statistics over the same frames (one window)
            feats.append(envelope_stats(torch.from_numpy(x[None]), F.BANDS)[0].numpy())
        xs.append(np.concatenate(feats))
        c = honest.sum(axis=0)
        ys.append(np.where(c > 0, (d['icc'] * honest).sum(axis=0) / np.maximum(c, 1), np.nan))
        groups.append(fold_of[r['name'].split('/')[0]])
    x, y, g = np.array(xs), np.array(ys), np.array(groups)
    folds = sorted(set(groups))
    for lam in (1.0, 10.0, 100.0, 1000.0):
        fixed, ridge = [], []
        for k in folds:
            tr, te = g != k, g == k
            mu = np.nanmean(y[tr], axis=0)
            xm, xsd = x[tr].mean(axis=0), x[tr].std(axis=0) + 1e-6
            a = (x[tr] - xm) / xsd
            yt = np.where(np.isnan(y[tr]), mu, y[tr]) - mu
            w = np.linalg.solve(a.T @ a + lam * np.eye(a.shape[1]), a.T @ yt)
            pred = np.clip(((x[te] - xm) / xsd) @ w + mu, 0.0, 1.0)
            fixed.append(np.nanmean(np.nanmean(np.abs(y[te][:, :LO] - mu[:LO]), axis=1)))
            ridge.append(np.nanmean(np.nanmean(np.abs(y[te][:, :LO] - pred[:, :LO]), axis=1)))
        print(f'ridge penalty {lam:g}: prof_lo per fold {np.round(ridge, 4).tolist()}, mean {np.mean(ridge):.4f}; '
              f'fixed profile {np.round(fixed, 4).tolist()}, mean {np.mean(fixed):.4f}')


if __name__ == '__main__':
    main()
