"""How much can another track of the same package tell about a track's stereo image? (issue 9)

Issue 9 asks that, with another track of the same package as the reference, prof_lo be at most 0.8 x the
default's. This scores, on the leave-packages-out folds' held-out rows (train.py's proxy: training
targets, ideal realisation), fixed blends of the fold model's default prediction with a static profile
taken from the package:
  - "one other track": the style (mean ICC per band) of the next track of the package, as evaluate.py and
    train.py pair them;
  - "all other tracks": the mean of the styles of every other track of the package (on average about 20
    tracks: far more than any one reference can say about the package).
The blend weight is chosen on the held-out rows themselves, so the best row is optimistic; the last lines
go further and choose it for each held-out track separately (knowing its truth): a bound for any method
that weighs the reference by how much it seems to apply to the piece; and one such method, a weight that
depends on how far the reference's spectral shape (mean log band power, less its mean over bands) is from
the piece's (two weights, near and far of the median distance, chosen on the held-out rows). It also scores the conditioned model
given the all-other-tracks mean as its style. Prints a table of prof_lo and icc_lo
(mean of the folds) and each prof_lo's ratio to the default's.

    /usr/bin/python3 training/reference_bound.py [--checkpoints 'training/cache/folds/fold{k}.pt']
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as T  # noqa: E402
from export import load_model  # noqa: E402

WEIGHTS = [round(0.1 * i, 1) for i in range(11)]


def other_track_profiles(corpus, held, tracks):
    """Per row: the next track's style ICC, and the mean style ICC of all other tracks of the package;
    rows whose track is alone in its package get NaN."""
    mates = T.reference_mates(corpus, held)
    pool = corpus.package_pool(held)
    one = np.full((len(tracks), T.BANDS), np.nan)
    rest = np.full((len(tracks), T.BANDS), np.nan)
    icc = corpus.styles[:, :T.BANDS].astype(np.float64)
    for t in np.unique(tracks):
        if t not in mates:
            continue
        sel = tracks == t
        package = next(p for p in pool.values() if t in p)
        one[sel] = icc[mates[t]]
        rest[sel] = icc[[u for u in package if u != t]].mean(axis=0)
    return one, rest


def per_track_prof_lo(corpus, idx, icc_pred):
    """{track: its prof_lo term} (the per-track mean over the low bands of |mean predicted - mean reference|
    ICC over its honest tiles, one frame in 8), as train.proxy_metrics averages them."""
    keep = corpus.frame[idx] % 8 == 0
    idx, icc_pred = idx[keep], icc_pred[keep]
    ref = corpus.icc[corpus.rows[idx]].astype(np.float64)
    honest = corpus.honest[corpus.rows[idx]]
    out = {}
    for t in np.unique(corpus.track[idx]):
        sel = corpus.track[idx] == t
        errs = [abs(icc_pred[sel][honest[sel, b], b].mean() - ref[sel][honest[sel, b], b].mean())
                for b in range(T.LO_BANDS) if honest[sel, b].any()]
        if errs:
            out[t] = float(np.mean(errs))
    return out


def spectral_shapes(corpus):
    """Per track: the mean over its candidate rows of the log10 band powers, less their mean over bands."""
    logp = np.log10(corpus.powers[corpus.rows].astype(np.float64) + T.SPEC['powerFloor'])
    out = np.zeros((len(corpus.names), T.BANDS))
    for t in range(len(corpus.names)):
        m = logp[corpus.track == t].mean(axis=0)
        out[t] = m - m.mean()
    return out


def near_far_rule(near_far, folds):
    """Best pair of weights (near, far of the median spectral distance), chosen on all held-out tracks;
    returns (near weight, far weight, prof_lo as the mean of the folds' means)."""
    cut = np.median([d for _, d, _ in near_far])
    best = None
    for i, a_near in enumerate(WEIGHTS):
        for j, a_far in enumerate(WEIGHTS):
            per_fold = [np.mean([terms[i] if d < cut else terms[j] for k, d, terms in near_far if k == f])
                        for f in folds]
            if best is None or np.mean(per_fold) < best[2]:
                best = (a_near, a_far, float(np.mean(per_fold)))
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--checkpoints', default=os.path.join(T.CACHE, 'folds', 'fold{k}.pt'),
                    help='the fold checkpoints of train.py --folds ({k}: the fold)')
    args = ap.parse_args()
    t0 = time.time()
    T.set_context(1023)
    manifest = json.load(open(os.path.join(T.DATA, 'manifest.json')))
    split = json.load(open(os.path.join(T.DATA, 'split.json')))
    records = [r for r in manifest['tracks'] if 'skipped' not in r]
    corpus = T.Corpus(records)
    scores = {}
    per_track_best = {'one other track': [], 'all other tracks': []}
    near_far = []  # per paired track: (spectral distance to its mate, its prof_lo term for each weight)
    shape = spectral_shapes(corpus)
    for k, fold in enumerate(split['folds']):
        held = {i for i, r in enumerate(records) if r['name'].split('/')[0] in fold['packages']}
        test = corpus.select(held)
        test = test[corpus.frame[test] % 8 == 0]
        one, rest = other_track_profiles(corpus, held, corpus.track[test])
        paired = ~np.isnan(one[:, 0])
        tp = test[paired]
        one, rest = one[paired], rest[paired]
        model, _ = load_model(args.checkpoints.format(k=k), check_spec=False, shrink=1.0)
        default = T.predict(model, corpus, tp)[0]
        rest_style = corpus.styles[corpus.track[tp]].astype(np.float64).copy()
        rest_style[:, :T.BANDS] = rest  # the |ILD| half stays the track's own: only the ICC half is scored
        rows = {'model, default style': default,
                'model, conditioned on the all-other-tracks mean (its ICC half)':
                    T.predict(model, corpus, tp, cond=rest_style)[0]}
        for a in WEIGHTS:
            rows[f'(1 - {a}) x default + {a} x one other track'] = (1 - a) * default + a * one
            rows[f'(1 - {a}) x default + {a} x all other tracks'] = (1 - a) * default + a * rest
        for name, pred in rows.items():
            scores.setdefault(name, []).append(T.proxy_metrics(corpus, tp, pred))
        mates = T.reference_mates(corpus, held)
        for kind in per_track_best:
            terms = [per_track_prof_lo(corpus, tp, p) for n, p in rows.items() if n.endswith(kind)]
            per_track_best[kind].append(np.mean([min(d[t] for d in terms) for t in terms[0]]))
            if kind == 'one other track':
                near_far += [(k, float(np.abs(shape[t] - shape[mates[t]]).mean()), [d[t] for d in terms])
                             for t in terms[0]]
        print(f'fold {k}: {len(np.unique(corpus.track[tp]))} paired tracks ({time.time() - t0:.0f} s)', flush=True)
    base = np.mean([s['prof_lo'] for s in scores['model, default style']])
    print('\n| blend | icc_lo | prof_lo | prof_lo / default |\n|---|---|---|---|')
    for name, s in scores.items():
        icc_lo, prof_lo = np.mean([x['icc_lo'] for x in s]), np.mean([x['prof_lo'] for x in s])
        print(f'| {name} | {icc_lo:.4f} | {prof_lo:.4f} | {prof_lo / base:.3f} |')
    for kind in ('one other track', 'all other tracks'):
        best = min((np.mean([x['prof_lo'] for x in s]), n) for n, s in scores.items() if n.endswith(kind))
        print(f'best blend with {kind}: {best[1]}: prof_lo {best[0]:.4f} = {best[0] / base:.3f} x the default')
    for kind, folds in per_track_best.items():
        print(f'weight chosen per track (its truth known) with {kind}: prof_lo {np.mean(folds):.4f} = '
              f'{np.mean(folds) / base:.3f} x the default')
    a_near, a_far, prof = near_far_rule(near_far, range(len(split['folds'])))
    print(f'weight by spectral distance to the one other track: {a_near} when nearer than the median, '
          f'{a_far} otherwise: prof_lo {prof:.4f} = {prof / base:.3f} x the default')
    print(f'({time.time() - t0:.0f} s)')


if __name__ == '__main__':
    main()
