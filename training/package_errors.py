"""Per held-out package of one fold: how far the fold's model and the fold's fixed profile are from each
track's own mean ICC below 6.2 kHz (honest tiles, one frame in 8), signed (model or profile minus the
reference: negative = the mix is narrower than predicted) and absolute, averaged over the package's tracks.

    /usr/bin/python3 training/package_errors.py FOLD [--checkpoint training/cache/folds/fold{k}.pt]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codec_coupling as CC  # noqa: E402
import features as F  # noqa: E402
import train as T  # noqa: E402
from export import load_model  # noqa: E402
from model import PAD_VALUE  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('fold', type=int)
    ap.add_argument('--checkpoint', default=os.path.join(T.CACHE, 'folds', 'fold{k}.pt'))
    args = ap.parse_args()
    k = args.fold
    model, ckpt = load_model(args.checkpoint.format(k=k), check_spec=False)
    profile = np.array(ckpt['meanProfile']['icc'])
    split = json.load(open(os.path.join(T.DATA, 'split.json')))
    manifest = json.load(open(os.path.join(T.DATA, 'manifest.json')))['tracks']
    lo = T.LO_BANDS
    by_package = {}
    for r in manifest:
        package = r['name'].split('/')[0]
        if 'skipped' in r or package not in split['folds'][k]['packages']:
            continue
        d = np.load(os.path.join(T.DATA, r['file']))
        honest = d['active'] & ~CC.detect(d['icc'], d['active'], F.band_edges()[:-1])[0]
        x = np.log10(d['powers'].astype(np.float64) + F.FLOOR)
        frames = np.arange(0, len(x), 8)
        frames = frames[honest[frames].any(axis=1)]
        stats = T.window_stats_np(x)[frames]
        short = model.short_frames
        ext = np.concatenate([np.full((short - 1 - T.K, T.BANDS), PAD_VALUE), x, np.full((T.K, T.BANDS), PAD_VALUE)])
        rows = np.stack([ext[f:f + short] for f in frames])  # the last `short` rows of each window
        with torch.no_grad():
            icc, _ = model.head_forward(torch.tensor(rows, dtype=torch.float32), torch.tensor(stats, dtype=torch.float32))
        h = honest[frames][:, :lo]
        n = np.maximum(h.sum(axis=0), 1)
        mean_model = (icc.numpy()[:, :lo] * h).sum(axis=0) / n
        mean_ref = (d['icc'][frames][:, :lo] * h).sum(axis=0) / n
        used = h.any(axis=0)
        by_package.setdefault(package, []).append(((mean_model - mean_ref)[used], (profile[:lo] - mean_ref)[used]))
    print('| package | tracks | model - ref (mean) | model abs | fixed profile - ref (mean) | fixed profile abs |')
    print('|---|---|---|---|---|---|')
    for package, v in by_package.items():
        m = np.array([e[0].mean() for e in v]), np.array([np.abs(e[0]).mean() for e in v])
        f = np.array([e[1].mean() for e in v]), np.array([np.abs(e[1]).mean() for e in v])
        print(f'| {package} | {len(v)} | {m[0].mean():.3f} | {m[1].mean():.3f} | {f[0].mean():.3f} | {f[1].mean():.3f} |')


if __name__ == '__main__':
    main()
