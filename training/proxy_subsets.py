"""Are the rendered table and the proxy measuring the same thing? The proxy metrics (train.py's, on the
training targets, as if the engine realised the cues exactly) of saved fold checkpoints on three sets
of held-out frames:

    /usr/bin/python3 training/proxy_subsets.py [--models 'folds,meanterm'] [--seconds 30] [--per-package 3]

- all: every held-out frame of every track (what `train.py --folds` prints);
- first N s: the same, only the first --seconds of each track (the rendered excerpts' length);
- rendered tracks: only the tracks evaluate.py renders (--per-package per package, those with another
  track in their package), their first --seconds.
--models names directories under training/cache holding fold{k}.pt (default: the shipped conditioned
model's folds and the previous unconditioned mean-term model's). The fixed profile is each fold's
training mean (the first model's checkpoint). Prints icc_lo / prof_lo per fold and set, then the means.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate as E  # noqa: E402
import features as F  # noqa: E402
import train as T  # noqa: E402
from export import load_model  # noqa: E402

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cache')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--models', default='folds,meanterm', help='comma-separated directories under training/cache')
    ap.add_argument('--seconds', type=float, default=30.0)
    ap.add_argument('--per-package', type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(2)
    manifest = json.load(open(os.path.join(T.DATA, 'manifest.json')))['tracks']
    split = json.load(open(os.path.join(T.DATA, 'split.json')))
    records = [r for r in manifest if 'skipped' not in r]
    corpus = T.Corpus(records)
    limit = int(args.seconds * E.SR / F.hop_size(E.SR))
    models = [m for m in args.models.split(',') if m]
    sets = ('all', f'first {args.seconds:g} s', 'rendered tracks')
    scores = {}
    for k, fold in enumerate(split['folds']):
        held = {i for i, r in enumerate(records) if r['name'].split('/')[0] in fold['packages']}
        rendered = set(n for n in E.pick_tracks(manifest, fold['packages'], args.per_package)
                       if E.reference_mate(n, manifest))
        test = corpus.select(held)
        test = test[corpus.frame[test] % 8 == 0]
        early = test[corpus.frame[test] < limit]
        subset = early[np.isin(corpus.track[early], [i for i in held if records[i]['name'] in rendered])]
        for m, name in enumerate(models):
            model, ck = load_model(os.path.join(CACHE, name, f'fold{k}.pt'), check_spec=False, shrink=1.0)
            for s, idx in zip(sets, (test, early, subset)):
                pred = T.predict(model, corpus, idx)[0]
                scores.setdefault((name, s), []).append(T.proxy_metrics(corpus, idx, pred))
                if m == 0:
                    fixed = np.broadcast_to(np.array(ck['meanProfile']['icc']), pred.shape)
                    scores.setdefault(('fixed profile', s), []).append(T.proxy_metrics(corpus, idx, fixed))
        print(f'fold {k}: ' + '; '.join(f'{n} / {s}: {v[-1]["icc_lo"]:.4f} {v[-1]["prof_lo"]:.4f}'
                                        for (n, s), v in scores.items()), flush=True)
    print('| frames | method | icc_lo | prof_lo |')
    print('|---|---|---|---|')
    for s in sets:
        for n in ['fixed profile'] + models:
            v = scores[(n, s)]
            print(f'| {s} | {n} | {np.mean([x["icc_lo"] for x in v]):.4f} | {np.mean([x["prof_lo"] for x in v]):.4f} |')


if __name__ == '__main__':
    main()
