"""Trains the cue model on training/data (built by dataset.py). Seeded; 2 threads; prints progress.

    /usr/bin/python3 training/train.py [--epochs 14] [--windows-per-epoch 250000]

The tracks of the training split are divided again by a seeded hash of the name: ~12% of them are the
validation tracks (for the per-epoch validation loss and choosing the best epoch); the held-out split of
split.json is not touched here (evaluate.py alone uses it).

Writes training/cache/checkpoint.pt (best epoch by validation loss), training/results/mean-profile.json
(training-set mean ICC and |ILD| per band over active tiles) and training/results/training-log.json.
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402
from dataset import split_key  # noqa: E402
from model import ConvCueModel, CueModel, masked_loss, parameter_count  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
CACHE = os.path.join(HERE, 'cache')
RESULTS = os.path.join(HERE, 'results')
SEED = 1234
VAL_FRACTION = 0.12
VAL_SEED = 'mono-upmix-val-v1'
SPEC = F.SPEC
C = SPEC['contextFrames']
K = SPEC['lookaheadFrames']
T = SPEC['windowFrames']


def set_context(c):
    """Trials only: a context other than the spec's (export.py refuses a model that does not match)."""
    global C, T
    C, T = c, c + 1 + K
BANDS = SPEC['bandCount']
GAIN_DB = 10.0  # training windows get a random gain of +-10 dB (the model should not key on level)
TILT_DB = 3.0  # ... and a random spectral tilt of +-3 dB from the lowest to the highest band (source EQ)


def log(*args):
    print(*args, flush=True)


def is_val(name):
    h = hashlib.sha256((VAL_SEED + ':' + split_key(name)).encode()).hexdigest()
    return int(h[:8], 16) / 2 ** 32 < VAL_FRACTION


class Corpus:
    """All tracks of a split in one array; each track preceded by C silent rows (power 0 ->
    startPaddingValue), so windows at a track's start look as they do in the engine."""

    def __init__(self, records):
        powers, icc, ild, active, starts = [], [], [], [], []
        offset = 0
        pad = np.zeros((C, BANDS), np.float32)
        for r in records:
            d = np.load(os.path.join(DATA, r['file']))
            n = d['powers'].shape[0]
            powers += [pad, d['powers']]
            icc += [np.zeros((C, BANDS), np.float32), d['icc']]
            ild += [np.zeros((C, BANDS), np.float32), d['ild_db']]
            active += [np.zeros((C, BANDS), bool), d['active']]
            starts.append(offset + C)
            offset += C + n
        # K rows after the last track so lookahead rows exist for every frame.
        powers.append(np.zeros((K, BANDS), np.float32))
        icc.append(np.zeros((K, BANDS), np.float32))
        ild.append(np.zeros((K, BANDS), np.float32))
        active.append(np.zeros((K, BANDS), bool))
        self.powers = np.concatenate(powers)
        self.icc = np.concatenate(icc)
        self.ild = np.concatenate(ild)
        self.active = np.concatenate(active)
        # Frames with at least one active band are the training samples (their window rows exist).
        self.rows = np.nonzero(self.active.any(axis=1))[0]
        self.offsets = np.arange(-C, K + 1)

    def batch(self, rows, gains=None):
        p = self.powers[rows[:, None] + self.offsets[None, :]]
        if gains is not None:
            p = p * gains[:, None, :]
        x = np.log10(p + SPEC['powerFloor']).astype(np.float32)
        return (torch.from_numpy(x), torch.from_numpy(self.icc[rows]), torch.from_numpy(self.ild[rows]),
                torch.from_numpy(self.active[rows]))


def feature_stats(corpus):
    real = np.ones(len(corpus.powers), bool)
    real[corpus.powers.sum(axis=1) == 0] = False
    f = np.log10(corpus.powers[real].astype(np.float64) + SPEC['powerFloor'])
    return f.mean(axis=0), f.std(axis=0) + 1e-3


def mean_profile(corpus):
    a = corpus.active
    n = a.sum(axis=0)
    icc = (corpus.icc * a).sum(axis=0) / n
    ild = (corpus.ild * a).sum(axis=0) / n
    return icc.astype(np.float64), ild.astype(np.float64)


def evaluate(model, corpus, stride=4, batch=4096):
    model.eval()
    rows = corpus.rows[::stride]
    tot = np.zeros(3)
    count = 0.0
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            x, icc_t, ild_t, act = corpus.batch(rows[i:i + batch])
            icc, ild = model(x)
            n = float(act.sum())
            loss, ie, le = masked_loss(icc, ild, icc_t, ild_t, act)
            tot += n * np.array([loss.item(), ie.item(), le.item()])
            count += n
    return tot / max(count, 1.0)


def profile_loss(corpus, icc_p, ild_p, stride=4):
    rows = corpus.rows[::stride]
    a = corpus.active[rows]
    ie = np.abs(corpus.icc[rows] - icc_p[None, :])[a].mean()
    le = np.abs(corpus.ild[rows] - ild_p[None, :])[a].mean()
    return np.array([ie + 0.05 * le, ie, le])


def build_model(args, mean, std, icc_p=None, ild_p=None):
    a = args if isinstance(args, dict) else vars(args)
    t = a['context'] + 1 + K
    if a['arch'] == 'conv':
        return ConvCueModel(mean, std, t, BANDS, a['channels'], a['hidden'], SPEC['ildCapDb'], icc_p, ild_p,
                            a['dropout'], K)
    return CueModel(mean, std, t, BANDS, a['embed'], a['hidden'], SPEC['ildCapDb'], icc_p, ild_p, a['dropout'])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=8)
    ap.add_argument('--windows-per-epoch', type=int, default=250_000)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--embed', type=int, default=32, help='mlp arch: per-frame embedding size')
    ap.add_argument('--hidden', type=int, default=128)
    ap.add_argument('--channels', type=int, default=64, help='conv arch: channels of the temporal convs')
    ap.add_argument('--dropout', type=float, default=0.2)
    ap.add_argument('--weight-decay', type=float, default=1e-4)
    ap.add_argument('--max-train-tracks', type=int, default=0, help='0 = all (for quick trials)')
    ap.add_argument('--arch', choices=['mlp', 'conv'], default='conv')
    ap.add_argument('--context', type=int, default=C, help='trials only; the spec decides for export')
    ap.add_argument('--trial', action='store_true',
                    help='write nothing to training/results and checkpoint to cache/trial.pt (experiments)')
    ap.add_argument('--manifest', default=os.path.join(DATA, 'manifest.json'))
    args = ap.parse_args()
    set_context(args.context)
    t_start = time.time()
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    rng = np.random.default_rng(SEED)
    torch.set_num_threads(2)

    manifest = json.load(open(args.manifest))
    train_recs = [r for r in manifest['tracks'] if r.get('split') == 'train']
    fit_recs = [r for r in train_recs if not is_val(r['name'])]
    val_recs = [r for r in train_recs if is_val(r['name'])]
    if args.max_train_tracks:
        fit_recs = fit_recs[: args.max_train_tracks]
    log(f'tracks: {len(fit_recs)} fit, {len(val_recs)} validation (from the training split); '
        f'held-out tracks are not loaded')
    fit = Corpus(fit_recs)
    val = Corpus(val_recs)
    log(f'frames: {len(fit.rows)} fit, {len(val.rows)} validation (with at least one active band); '
        f'loaded in {time.time() - t_start:.0f} s')

    # The fixed per-band profile is over the whole training split (fit + validation tracks).
    all_train = Corpus(train_recs) if val_recs else fit
    icc_p, ild_p = mean_profile(all_train)
    del all_train
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.devnull if args.trial else os.path.join(RESULTS, 'mean-profile.json'), 'w') as f:
        json.dump({'description': 'training-set mean ICC and |ILD| (dB) per band over active tiles',
                   'icc': [round(float(v), 5) for v in icc_p], 'ildDb': [round(float(v), 4) for v in ild_p]},
                  f, indent=1)
    mean, std = feature_stats(fit)
    model = build_model(args, mean, std, icc_p, ild_p)
    log(f'model: {parameter_count(model)} parameters, window {T} frames (C={C}, K={K})')
    base = profile_loss(val, icc_p, ild_p)
    log(f'fixed mean profile on validation: loss {base[0]:.4f} (icc L1 {base[1]:.4f}, ild L1 {base[2]:.3f} dB)')

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = args.windows_per_epoch // args.batch
    total_steps = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total_steps, pct_start=0.1)
    history = []
    best = (math.inf, -1)
    ckpt = os.path.join(CACHE, 'trial.pt' if args.trial else 'checkpoint.pt')
    os.makedirs(CACHE, exist_ok=True)
    for epoch in range(args.epochs):
        model.train()
        t0 = time.time()
        rows = rng.choice(fit.rows, size=steps_per_epoch * args.batch, replace=False)
        # Per window: a gain and a tilt linear in band index (both leave ICC and |ILD| unchanged).
        gain_db = rng.uniform(-GAIN_DB, GAIN_DB, size=(len(rows), 1))
        tilt_db = rng.uniform(-TILT_DB, TILT_DB, size=(len(rows), 1)) * np.linspace(-0.5, 0.5, BANDS)[None, :]
        gains = (10.0 ** ((gain_db + tilt_db) / 10.0)).astype(np.float32)
        run = np.zeros(3)
        for s in range(steps_per_epoch):
            sl = slice(s * args.batch, (s + 1) * args.batch)
            x, icc_t, ild_t, act = fit.batch(rows[sl], gains[sl])
            icc, ild = model(x)
            loss, ie, le = masked_loss(icc, ild, icc_t, ild_t, act)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            run += [loss.item(), ie.item(), le.item()]
            if (s + 1) % 200 == 0:
                r = run / (s + 1)
                log(f'  epoch {epoch + 1} step {s + 1}/{steps_per_epoch}: train loss {r[0]:.4f} '
                    f'(icc {r[1]:.4f}, ild {r[2]:.3f} dB) {time.time() - t0:.0f} s')
        tr = run / steps_per_epoch
        v = evaluate(model, val)
        history.append({'epoch': epoch + 1, 'train': tr.tolist(), 'val': v.tolist(), 'seconds': time.time() - t0})
        mark = ''
        if v[0] < best[0]:
            best = (v[0], epoch + 1)
            torch.save({'state': model.state_dict(), 'args': vars(args), 'epoch': epoch + 1}, ckpt)
            mark = ' *best'
        log(f'epoch {epoch + 1}/{args.epochs}: train loss {tr[0]:.4f} | val loss {v[0]:.4f} '
            f'(icc L1 {v[1]:.4f}, ild L1 {v[2]:.3f} dB) | {time.time() - t0:.0f} s, '
            f'total {(time.time() - t_start) / 60:.1f} min{mark}')
    total = time.time() - t_start
    log(f'best epoch {best[1]} (val loss {best[0]:.4f}; fixed profile {base[0]:.4f}); '
        f'training time {total / 60:.1f} min')
    with open(os.devnull if args.trial else os.path.join(RESULTS, 'training-log.json'), 'w') as f:
        json.dump({'args': vars(args), 'seed': SEED, 'parameters': parameter_count(model),
                   'fitTracks': len(fit_recs), 'valTracks': len(val_recs), 'fitFrames': int(len(fit.rows)),
                   'fixedProfileVal': base.tolist(), 'bestEpoch': best[1], 'bestVal': best[0],
                   'trainingMinutes': round(total / 60, 2), 'history': history}, f, indent=1)


if __name__ == '__main__':
    main()
