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

With --descriptors GROUPS (comma-separated: mono_descriptors.GROUPS fine48, fine96, tonal, mod, comb,
misc, of the waveform of M over the same 12.8 s, from training/cache/probe7-desc written by
mono_descriptors.py; and mod24, the modulation measures from the stored band energies), x also holds
those descriptors; --no-base leaves the 73 band statistics out. --penalties sets the ridge penalties
tried; every run also prints a nested score, the penalty picked per held-out fold by leave-one-fold-out
inside its training folds (no look at the held-out fold). --learner knn predicts the mean profile of the
k nearest training tracks in the standardised x (k is the "penalty" list then: --penalties 10,20,40,80);
--learner rff a ridge on 2000 random Fourier features of the standardised x (seeded; bandwidth
sqrt(columns)). --learner mlp a small neural net (32 ReLUs, dropout 0.3, L1 loss on the bands below
6.2 kHz; the "penalty" list is its squared-weight penalty, e.g. --penalties 0.003,0.01,0.03,0.1; the
mean of 3 seeds). --per-package prints, for the nested choice, each held-out package's prof_lo beside
the fixed profile's. --frames 0 takes the band statistics over the whole stored track (up to 150 s) instead
of 12.8 s: is the span the limit? --windows makes one row per back-to-back 1100-frame window of the
whole track (the band statistics and the descriptors of that window; target: the window's own honest
mean ICC per band), fits on the training tracks' windows and predicts a held-out track by the mean of
its windows' predictions, scored against the whole track's profile as always: nearer to what the model
does (12 s of memory, every frame of the track scored) than the first 12.8 s alone.
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
RFF_FEATURES = 2000
MLP_HIDDEN, MLP_DROPOUT, MLP_STEPS, MLP_SEEDS = 32, 0.3, 300, 3


def fit_predict(learner, param, xtr, ytr, xte, seed=0):
    """Predicted profiles (rows of xte) from training rows; ytr has no NaN (filled with the mean)."""
    mu = ytr.mean(axis=0)
    xm, xsd = xtr.mean(axis=0), xtr.std(axis=0) + 1e-6
    a, b = (xtr - xm) / xsd, (xte - xm) / xsd
    if learner == 'knn':
        k = int(param)
        d = (b * b).sum(axis=1)[:, None] + (a * a).sum(axis=1)[None, :] - 2.0 * b @ a.T
        near = np.argsort(d, axis=1)[:, :k]
        return np.clip(ytr[near].mean(axis=1), 0.0, 1.0)
    if learner == 'mlp':
        return mlp_fit_predict(param, a, ytr, b, mu, seed)
    if learner == 'rff':
        rng = np.random.default_rng(seed)
        omega = rng.standard_normal((a.shape[1], RFF_FEATURES)) / np.sqrt(a.shape[1])
        phase = rng.uniform(0.0, 2.0 * np.pi, RFF_FEATURES)
        a = np.sqrt(2.0 / RFF_FEATURES) * np.cos(a @ omega + phase)
        b = np.sqrt(2.0 / RFF_FEATURES) * np.cos(b @ omega + phase)
        am = a.mean(axis=0)
        a, b = a - am, b - am
    w = np.linalg.solve(a.T @ a + param * np.eye(a.shape[1]), a.T @ (ytr - mu))
    return np.clip(b @ w + mu, 0.0, 1.0)


def mlp_fit_predict(penalty, a, ytr, b, mu, seed=0):
    """--learner mlp: one hidden layer of MLP_HIDDEN ReLUs with dropout MLP_DROPOUT, from the standardised x
    to the profile's deviation from the training mean (the output layer starts at zero, so an unfit net
    predicts the mean profile); L1 loss on the bands below 6.2 kHz (what prof_lo scores) + penalty x the
    sum of squared weights; full-batch Adam, MLP_STEPS steps; the mean of MLP_SEEDS seeded nets."""
    import torch
    torch.set_num_threads(1)
    xa, xb = torch.from_numpy(a).float(), torch.from_numpy(b).float()
    target = torch.from_numpy(ytr - mu).float()[:, :LO]
    preds = []
    for member in range(MLP_SEEDS):
        torch.manual_seed(seed + member)
        net = torch.nn.Sequential(torch.nn.Linear(a.shape[1], MLP_HIDDEN), torch.nn.ReLU(),
                                  torch.nn.Dropout(MLP_DROPOUT), torch.nn.Linear(MLP_HIDDEN, ytr.shape[1]))
        torch.nn.init.zeros_(net[3].weight)
        torch.nn.init.zeros_(net[3].bias)
        opt = torch.optim.Adam(net.parameters(), lr=3e-3)
        for _ in range(MLP_STEPS):
            loss = (net(xa)[:, :LO] - target).abs().mean() + penalty * sum(
                (w * w).sum() for w in (net[0].weight, net[3].weight))
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            preds.append(net(xb).numpy().astype(np.float64))
    return np.clip(np.mean(preds, axis=0) + mu, 0.0, 1.0)


def track_errors(y, pred):
    """Per track: mean over the bands below 6.2 kHz of |pred - y| (NaN bands left out)."""
    return np.nanmean(np.abs(y[:, :LO] - pred[:, :LO]), axis=1)


def fold_score(learner, param, data, tr, te):
    """Per held-out track (te, a mask over tracks): prof_lo of the learner fitted on the rows of the tr
    tracks and of the fixed profile (the tr tracks' mean profile). A track with several rows (--windows)
    is predicted by the mean of its rows' predictions."""
    x, yrow, trow, y = data
    mu = np.nanmean(y[tr], axis=0)
    rtr, rte = tr[trow], te[trow]
    ytr = np.where(np.isnan(yrow[rtr]), mu, yrow[rtr])
    pred_rows = fit_predict(learner, param, x[rtr], ytr, x[rte])
    tracks = np.flatnonzero(te)
    slot = np.searchsorted(tracks, trow[rte])
    pred = np.zeros((len(tracks), y.shape[1]))
    np.add.at(pred, slot, pred_rows)
    pred /= np.bincount(slot, minlength=len(tracks))[:, None]
    return track_errors(y[te], pred), track_errors(y[te], np.broadcast_to(mu, y[te].shape))


def band_stats(x):
    """The 73 band statistics of log band energies x (frames, bands): spectral shape, std, mean |change|,
    overall mean level, over the non-silent frames."""
    v = x > -9.99
    n = np.maximum(v.sum(axis=0), 1)
    mean = (x * v).sum(axis=0) / n
    std = np.sqrt((((x - mean) ** 2) * v).sum(axis=0) / n)
    flux = np.abs(np.diff(x, axis=0)).mean(axis=0)
    return [mean - mean.mean(), std, flux, [mean.mean()]], v, n


def honest_mean(icc, honest):
    c = honest.sum(axis=0)
    return np.where(c > 0, (icc * honest).sum(axis=0) / np.maximum(c, 1), np.nan)


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument('--neff', action='store_true', help='add the per-band mean and std of the effective bins '
                    '(training/cache/extra, extra_targets.py) over the same frames')
    ap.add_argument('--envelope', action='store_true', help='add the decay after onsets and the envelope '
                    'autocorrelation per band')
    ap.add_argument('--descriptors', default='', help='comma-separated groups of mono_descriptors.py')
    ap.add_argument('--no-base', action='store_true', help='leave the 73 band statistics out of x')
    ap.add_argument('--learner', choices=('ridge', 'knn', 'rff', 'mlp'), default='ridge')
    ap.add_argument('--penalties', default='1,10,100,1000', help='ridge penalties (k for knn)')
    ap.add_argument('--per-package', action='store_true')
    ap.add_argument('--frames', type=int, default=1100, help='frames the 73 band statistics (and --neff, '
                    '--envelope) are taken over, from the start (0: the whole stored 150 s); the descriptors '
                    'always cover the first 1100')
    ap.add_argument('--windows', action='store_true', help='one row per 1100-frame window of the whole '
                    'track (x and the target over that window); a track is predicted by its rows\' mean')
    args = ap.parse_args()
    groups = [t for t in args.descriptors.split(',') if t]
    if groups:
        import mono_descriptors as MD
        bad = [t for t in groups if t not in MD.GROUPS + MD.FEATURE_GROUPS]
        assert not bad, f'unknown groups {bad}; known: {MD.GROUPS + MD.FEATURE_GROUPS}'
    feature_groups = [t for t in groups if t in MD.FEATURE_GROUPS] if groups else []
    groups = [t for t in groups if t not in feature_groups]
    assert not (args.windows and (args.neff or args.envelope)), '--windows takes band statistics and descriptors'
    if args.envelope:  # torch only for this option (Debian's python3-torch)
        import torch
        from model import envelope_stats
    manifest = json.load(open(os.path.join(DATA, 'manifest.json')))['tracks']
    split = json.load(open(os.path.join(DATA, 'split.json')))
    fold_of = {p: k for k, f in enumerate(split['folds']) for p in f['packages']}
    xs, yrows, trows, ys, groups_of, packages = [], [], [], [], [], []
    for r in manifest:
        if 'skipped' in r:
            continue
        d = np.load(os.path.join(DATA, r['file']))
        honest = d['active'] & ~CC.detect(d['icc'], d['active'], F.band_edges()[:-1])[0]
        logp = np.log10(d['powers'].astype(np.float64) + F.FLOOR)
        if args.windows:  # rows: back-to-back windows of 1100 frames (mono_descriptors.py's windows)
            span = 1100
            count = max(1, logp.shape[0] // span)
            desc = MD.load(r, groups, None) if groups else np.zeros((count, 0))
            assert desc.shape[0] == count, (r['name'], desc.shape, count)
            for w in range(count):
                rows = slice(w * span, (w + 1) * span)
                feats = [] if args.no_base else band_stats(logp[rows])[0]
                if feature_groups:
                    feats.append(MD.feature_modulation(logp[rows]))
                xs.append(np.concatenate(feats + [desc[w]]))
                yrows.append(honest_mean(d['icc'][rows], honest[rows]))
                trows.append(len(ys))
        else:
            x = logp[:args.frames or None]
            base, v, n = band_stats(x)
            feats = [] if args.no_base else base
            if args.neff:
                ne = np.load(os.path.join(HERE, 'cache', 'extra', os.path.basename(r['file'])))['neff'][:args.frames or None]
                nm = (ne * v).sum(axis=0) / n
                feats += [nm, np.sqrt((((ne - nm) ** 2) * v).sum(axis=0) / n)]
            if args.envelope:  # the model's envelope statistics over the same frames (one window)
                feats.append(envelope_stats(torch.from_numpy(x[None]), F.BANDS)[0].numpy())
            if feature_groups:
                feats.append(MD.feature_modulation(logp[:1100]))
            if groups:
                feats.append(MD.load(r, groups))
            xs.append(np.concatenate(feats))
            trows.append(len(ys))
        ys.append(honest_mean(d['icc'], honest))
        if not args.windows:
            yrows.append(ys[-1])
        packages.append(r['name'].split('/')[0])
        groups_of.append(fold_of[packages[-1]])
    y, g = np.array(ys), np.array(groups_of)
    data = (np.array(xs), np.array(yrows), np.array(trows), y)
    packages = np.array(packages)
    folds = sorted(set(groups_of))
    params = [float(t) for t in args.penalties.split(',')]
    name = {'ridge': 'ridge penalty', 'knn': 'knn k', 'rff': 'rff ridge penalty',
            'mlp': 'mlp weight penalty'}[args.learner]
    print(f'{len(y)} tracks, {data[0].shape[0]} rows, {data[0].shape[1]} columns in x')
    for lam in params:
        fixed, ridge = [], []
        for k in folds:
            e, f = fold_score(args.learner, lam, data, g != k, g == k)
            ridge.append(np.nanmean(e))
            fixed.append(np.nanmean(f))
        print(f'{name} {lam:g}: prof_lo per fold {np.round(ridge, 4).tolist()}, mean {np.mean(ridge):.4f}; '
              f'fixed profile {np.round(fixed, 4).tolist()}, mean {np.mean(fixed):.4f}')
    # nested: per held-out fold, the penalty with the best leave-one-fold-out score inside its training folds
    chosen, nested, errors, fixed_errors = [], [], np.full(len(y), np.nan), np.full(len(y), np.nan)
    for k in folds:
        inner = [k2 for k2 in folds if k2 != k]
        scores = [np.mean([np.nanmean(fold_score(args.learner, lam, data, (g != k) & (g != k2), g == k2)[0])
                           for k2 in inner]) for lam in params]
        lam = params[int(np.argmin(scores))]
        e, f = fold_score(args.learner, lam, data, g != k, g == k)
        errors[g == k], fixed_errors[g == k] = e, f
        chosen.append(lam)
        nested.append(np.nanmean(e))
    print(f'nested ({name} picked inside the training folds: {[f"{c:g}" for c in chosen]}): prof_lo per fold '
          f'{np.round(nested, 4).tolist()}, mean {np.mean(nested):.4f}')
    if args.per_package:
        print('held-out package: tracks, prof_lo nested / fixed profile')
        for p in sorted(set(packages), key=lambda p: (fold_of[p], p)):
            s = packages == p
            print(f'  fold {fold_of[p]} {p}: {s.sum()}, {np.nanmean(errors[s]):.4f} / {np.nanmean(fixed_errors[s]):.4f}')


if __name__ == '__main__':
    main()
