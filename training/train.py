"""Trains the cue model on training/data (built by dataset.py). Seeded; 2 threads; prints progress.

    /usr/bin/python3 training/train.py                 # the shipped model: trained on every package
    /usr/bin/python3 training/train.py --folds         # one model per leave-packages-out fold
    /usr/bin/python3 training/train.py --folds --trial [options]   # an experiment: nothing is written
                                                                   # except training/cache/trial-*.pt

Targets are honest: tile-bands that are silent (`active` false) or codec-coupled (`coupled`, see
codec_coupling.py) are left out of the loss, the validation loss, the mean profile and the metrics.

With --folds, for each fold k of split.json the model is fitted on the packages of the other folds and
scored on fold k's packages, which it never saw (cross-package proxy of design section 5, on the
training targets, i.e. as if the engine realised the cues exactly): icc_lo = mean |ICC_pred - ICC_ref|
over honest tile-bands below 6.2 kHz (one frame in 8: non-overlapping tiles), prof_lo = per track, mean
over those bands of |mean pred - mean ref|, averaged over tracks; the same for the fixed profile (the
training mean of that fold) and the static per-track oracle profile. Writes training/cache/folds/
fold<k>.pt and mean-profile-<k>.json (for evaluate.py) and training/results/folds-proxy.json.

In every run a validation subset of the training packages' tracks (a seeded hash of the tune name, ~10%)
picks the best epoch; without --folds the checkpoint is training/cache/checkpoint.pt and
training/results/mean-profile.json is the mean profile of all the data.
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
import codec_coupling as CC  # noqa: E402
import features as F  # noqa: E402
from dataset import split_key  # noqa: E402
from model import ENVELOPE_STATS, PAD_VALUE, LongCueModel, masked_loss, parameter_count  # noqa: E402
import style as S  # noqa: E402
from track_styles import track_styles  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
EXTRA = os.path.join(HERE, 'cache', 'extra')  # extra_targets.py
CACHE = os.path.join(HERE, 'cache')
RESULTS = os.path.join(HERE, 'results')
SEED = 1234
VAL_FRACTION = 0.10
VAL_SEED = 'mono-upmix-val-v1'
SPEC = F.SPEC
C = SPEC['contextFrames']
K = SPEC['lookaheadFrames']
T = SPEC['windowFrames']
BANDS = SPEC['bandCount']
SHORT = 129  # rows of the window the temporal convolutions see (the last ones: ~1.5 s)
MID = SPEC['statistics']['midFrames']  # rows of the second running-statistics scale (~3 s; feature-spec.json)
LO_BANDS = int(np.sum(F.band_edges()[:-1] < 6200.0))  # bands below 6.2 kHz (design section 5): 18
GAIN_DB = 10.0  # training windows get a random gain of +-10 dB (the model should not key on level)
TILT_DB = 3.0  # ... and a random spectral tilt of +-3 dB from the lowest to the highest band (source EQ)
ROW_STRIDE = 2  # candidate target frames: every 2nd frame (neighbours are nearly the same sample)
DEFAULT_CONDITION = S.style_vector(S.DEFAULT_STYLE).astype(np.float32)  # the run-time default (presets.json)


def set_context(c):
    """Before the spec changes: train with another context (export.py checks the spec matches)."""
    global C, T
    C, T = c, c + 1 + K


def log(*args):
    print(*args, flush=True)


def is_val(name):
    h = hashlib.sha256((VAL_SEED + ':' + split_key(name)).encode()).hexdigest()
    return int(h[:8], 16) / 2 ** 32 < VAL_FRACTION


def window_stats_np(x, neff=None):
    """The model's raw running statistics (model.LongCueModel.raw_stats) for every frame of one track,
    numpy float64 with cumulative sums: for frame t of x (frames, bands) [log10 features], the window is
    frames t-C..t+K (rows before the track and after it read as padding, -10), of which every
    STAT_STRIDE-th row counts, the last one included. With neff (frames, bands) [effective bins], also
    their means and mean squares over the sound rows. Returns (frames, 8 or 12 * bands)."""
    from model import PAD_VALUE, STAT_STRIDE, VALID_ABOVE, stat_kinds
    n_frames = x.shape[0]
    ext = np.concatenate([np.full((C, BANDS), PAD_VALUE), x, np.full((K, BANDS), PAD_VALUE)])
    if neff is not None:
        ext_n = np.concatenate([np.full((C, BANDS), PAD_VALUE), neff, np.full((K, BANDS), PAD_VALUE)])
    rows_full = (T - 1) // STAT_STRIDE + 1
    rows_mid = MID // STAT_STRIDE
    out = np.zeros((n_frames, 2 * stat_kinds(neff is not None) * BANDS))
    last = np.arange(n_frames) + C + K  # ext index of each frame's last window row

    def cs(a):
        return np.concatenate([np.zeros((1, BANDS)), np.cumsum(a, axis=0)])

    for rho in range(STAT_STRIDE):
        seq = ext[rho::STAT_STRIDE]
        v = (seq > VALID_ABOVE).astype(np.float64)
        xv = seq * v
        d = np.zeros_like(seq)
        d[1:] = np.abs(seq[1:] - seq[:-1])  # d[j]: change from strided row j-1 to j
        c_v, c_xv, c_x2v, c_d = cs(v), cs(xv), cs(xv * seq), cs(d)
        if neff is not None:
            nseq = ext_n[rho::STAT_STRIDE]
            c_nv, c_n2v = cs(nseq * v), cs(nseq * nseq * v)
        frames = np.nonzero(last % STAT_STRIDE == rho)[0]
        hi = (last[frames] - rho) // STAT_STRIDE + 1  # strided rows [hi - rows, hi)
        parts = []
        for rows in (rows_full, rows_mid):
            lo = hi - rows
            parts += [(c_v[hi] - c_v[lo]) / rows, (c_xv[hi] - c_xv[lo]) / rows, (c_x2v[hi] - c_x2v[lo]) / rows,
                      (c_d[hi] - c_d[lo + 1]) / (rows - 1)]
            if neff is not None:
                parts += [(c_nv[hi] - c_nv[lo]) / rows, (c_n2v[hi] - c_n2v[lo]) / rows]
        out[frames] = np.concatenate(parts, axis=1)
    return out


def strided_window_stats(xs):
    """LongCueModel.raw_stats (no neff) from the strided rows alone: xs (n, rows, bands) holds a window's
    every STAT_STRIDE-th row, oldest first, the newest (target-plus-lookahead) row last; float64 numpy.
    Used by --stream-start, whose windows do not all start at the track's start."""
    from model import STAT_STRIDE, VALID_ABOVE
    rows_mid = MID // STAT_STRIDE
    v = (xs > VALID_ABOVE).astype(np.float64)
    xv = xs * v
    d = np.abs(np.diff(xs, axis=1))
    parts = []
    for rows in (xs.shape[1], rows_mid):
        parts += [v[:, -rows:].sum(axis=1) / rows, xv[:, -rows:].sum(axis=1) / rows,
                  (xv[:, -rows:] * xs[:, -rows:]).sum(axis=1) / rows, d[:, -(rows - 1):].sum(axis=1) / (rows - 1)]
    return np.concatenate(parts, axis=1)


def envelope_stats_np(x):
    """model.envelope_stats for every frame of one track (its window: frames t-C..t+K, rows outside the
    track read as padding), numpy float64 with cumulative sums. Returns (frames, ENVELOPE_STATS * bands)."""
    from model import ENVELOPE_LAGS, FALLS, ONSET_RISE, PAD_VALUE, VALID_ABOVE
    n_frames = x.shape[0]
    ext = np.concatenate([np.full((C, BANDS), PAD_VALUE), x, np.full((K, BANDS), PAD_VALUE)])
    v = (ext > VALID_ABOVE).astype(np.float64)
    xv = ext * v

    def cs(a):
        return np.concatenate([np.zeros((1, BANDS)), np.cumsum(a, axis=0)])

    lo = np.arange(n_frames)  # ext rows [lo, hi) are frame t's window
    hi = lo + T

    def window_sum(c, first, last):  # sum of rows [first, last) of the array whose cumsum is c
        return c[np.maximum(last, first)] - c[first]

    n = np.maximum(window_sum(cs(v), lo, hi), 1.0)
    m = window_sum(cs(xv), lo, hi) / n
    var = np.maximum(window_sum(cs(xv * ext), lo, hi) / n - m * m, 1e-6)
    parts = []
    for lag in ENVELOPE_LAGS:
        pair_v = np.zeros_like(v)
        pair_v[lag:] = v[lag:] * v[:-lag]
        prod = np.zeros_like(v)
        prod[lag:] = ext[lag:] * ext[:-lag] * pair_v[lag:]
        pairs = window_sum(cs(pair_v), lo + lag, hi)
        ratio = (window_sum(cs(prod), lo + lag, hi) / np.maximum(pairs, 1.0) - m * m) / var
        parts.append(np.where(pairs > 0, np.clip(ratio, -1.0, 1.0), 0.0))
    reach = max(FALLS)
    onset = np.zeros_like(v)  # row j: an onset whose fall rows exist (j + reach within the array)
    j = np.arange(1, len(ext) - reach)
    onset[j] = ((ext[j] - ext[j - 1] > ONSET_RISE) & (ext[j] >= ext[j + 1]) & (v[j - 1] > 0) & (v[j] > 0))
    onsets = window_sum(cs(onset), lo + 1, hi - reach)
    for fall in FALLS:
        f = np.zeros_like(v)
        f[j] = onset[j] * (ext[j] - ext[j + fall]) * v[j + fall]
        parts.append(np.where(onsets > 0, window_sum(cs(f), lo + 1, hi - reach) / np.maximum(onsets, 1.0), 0.0))
    return np.concatenate(parts, axis=1)


class Corpus:
    """All used tracks in one array; each track preceded by SHORT silent rows (power 0 -> padding) so the
    short windows at a track's start look as they do in the engine. Candidate target rows (every
    ROW_STRIDE-th frame with at least one honest band) carry the long window's running statistics,
    computed per track with cumulative sums."""

    def __init__(self, records, use_neff=False, targets='train', load_eval=False, envelope=False):
        """targets: 'train' (features.targets: 1024-point sqrt-Hann tiles) or 'eval' (extra_targets.py:
        evaluate.py's 2048-point Hann tiles) for training; load_eval: also keep the evaluation-domain
        targets for the proxy metrics (icc_e, honest_e)."""
        powers, icc, ild, honest, stats, rows, track_of, frame_of = [], [], [], [], [], [], [], []
        neffs, icc_e, honest_e = [], [], []
        self.use_neff = use_neff
        self.envelope = envelope
        self.has_eval = load_eval or targets == 'eval'
        edges = F.band_edges()[:-1]
        offset = 0
        pad = np.zeros((SHORT, BANDS), np.float32)
        self.names = [r['name'] for r in records]
        self.packages = [r['name'].split('/')[0] for r in records]
        for i, r in enumerate(records):
            d = np.load(os.path.join(DATA, r['file']))
            n = d['powers'].shape[0]
            h = d['active'] & ~CC.detect(d['icc'], d['active'], edges)[0]
            e = np.load(os.path.join(EXTRA, os.path.basename(r['file']))) if (use_neff or self.has_eval) else None
            if self.has_eval:
                ie = np.nan_to_num(e['icc_e'], nan=1.0)
                he = e['active_e'] & ~CC.detect(ie, e['active_e'], edges)[0]
            ti, tl, th = (d['icc'], d['ild_db'], h) if targets == 'train' else (ie, np.nan_to_num(e['ild_e']), he)
            powers += [pad, d['powers']]
            icc += [np.zeros((SHORT, BANDS), np.float16), ti.astype(np.float16)]
            ild += [np.zeros((SHORT, BANDS), np.float16), tl.astype(np.float16)]
            honest += [np.zeros((SHORT, BANDS), bool), th]
            if self.has_eval:
                icc_e += [np.zeros((SHORT, BANDS), np.float16), ie.astype(np.float16)]
                honest_e += [np.zeros((SHORT, BANDS), bool), he]
            if use_neff:
                neffs += [np.full((SHORT, BANDS), PAD_VALUE, np.float16), e['neff'].astype(np.float16)]
            frames = np.nonzero(th.any(axis=1))[0]
            frames = frames[frames % ROW_STRIDE == 0]
            x = np.log10(d['powers'].astype(np.float64) + SPEC['powerFloor'])
            st = window_stats_np(x, e['neff'].astype(np.float64) if use_neff else None)[frames]
            if envelope:  # trial only: appended after the regular statistics (gain and tilt leave them unchanged)
                st = np.concatenate([st, envelope_stats_np(x)[frames]], axis=1)
            stats.append(st.astype(np.float32))
            rows.append(offset + SHORT + frames)
            track_of.append(np.full(len(frames), i, np.int32))
            frame_of.append(frames.astype(np.int32))
            offset += SHORT + n
        powers.append(np.zeros((K, BANDS), np.float32))
        icc.append(np.zeros((K, BANDS), np.float16))
        ild.append(np.zeros((K, BANDS), np.float16))
        honest.append(np.zeros((K, BANDS), bool))
        if use_neff:
            neffs.append(np.full((K, BANDS), PAD_VALUE, np.float16))
            self.neff = np.concatenate(neffs)
        if self.has_eval:
            icc_e.append(np.zeros((K, BANDS), np.float16))
            honest_e.append(np.zeros((K, BANDS), bool))
            self.icc_e = np.concatenate(icc_e)
            self.honest_e = np.concatenate(honest_e)
        self.powers = np.concatenate(powers)
        self.icc = np.concatenate(icc)
        self.ild = np.concatenate(ild)
        self.honest = np.concatenate(honest)
        self.stats = np.concatenate(stats)
        self.rows = np.concatenate(rows)
        self.track = np.concatenate(track_of)
        self.frame = np.concatenate(frame_of)
        self.offsets = np.arange(-(SHORT - 1 - K), K + 1)
        # each track's whole-track style (style.py on its stereo original): the condition vectors
        styles = track_styles(records)
        self.styles = np.stack([S.style_vector(styles[n]) for n in self.names]).astype(np.float32)

    def conditions(self, idx, rng, shares, pool):
        """The condition of each row of idx: its track's own style, replaced by the default style for a
        share shares[0] of the rows and by the style of another track of the same package (among `pool`,
        the tracks being fitted) for a share shares[1] (the model learns to blend a reference with the
        audio, not to copy it)."""
        tracks = self.track[idx]
        cond = self.styles[tracks].copy()
        u = rng.uniform(size=len(idx))
        cond[u < shares[0]] = DEFAULT_CONDITION
        other = (u >= shares[0]) & (u < shares[0] + shares[1])
        for i in np.nonzero(other)[0]:
            mates = [t for t in pool.get(self.packages[tracks[i]], ()) if t != tracks[i]]
            cond[i] = self.styles[mates[rng.integers(len(mates))]] if mates else DEFAULT_CONDITION
        return torch.from_numpy(cond)

    def package_pool(self, track_ids):
        """{package: [track ids]} of these tracks."""
        pool = {}
        for t in sorted(track_ids):
            pool.setdefault(self.packages[t], []).append(t)
        return pool

    def select(self, track_ids):
        """Indices (into rows) of the candidate rows of these tracks."""
        keep = np.zeros(len(self.names), bool)
        keep[list(track_ids)] = True
        return np.nonzero(keep[self.track])[0]

    def batch(self, idx, offsets_db=None, starts=None):
        """Windows, statistics and targets of candidate rows idx; offsets_db: per row and band gain (dB);
        starts: per row the frame at which the stream began (-1: the track's start, as stored), for
        --stream-start: the rows before it read as padding, as in an engine started mid-track."""
        rows = self.rows[idx]
        p = self.powers[rows[:, None] + self.offsets[None, :]]
        st = self.stats[idx].copy()
        if starts is not None and (starts > 0).any():
            from model import STAT_STRIDE
            assert not (self.use_neff or self.envelope), '--stream-start: the regular statistics only'
            late = np.nonzero(starts > 0)[0]
            frames = self.frame[idx[late]]
            p = p.copy()
            p[late] *= (frames[:, None] + self.offsets[None, :] >= starts[late, None])[:, :, None]
            # the window's strided rows: frames t - C, t - C + STAT_STRIDE, ..., t + K
            back = np.arange(-C, K + 1, STAT_STRIDE)
            ws = self.powers[rows[late, None] + back[None, :]].astype(np.float64)
            xs = np.log10(ws + SPEC['powerFloor'])
            xs[frames[:, None] + back[None, :] < starts[late, None]] = PAD_VALUE
            st[late, :8 * BANDS] = strided_window_stats(xs).astype(np.float32)
        if offsets_db is not None:
            p = p * (10.0 ** (offsets_db / 10.0))[:, None, :].astype(np.float32)
            # the same change in log10 units on the sound rows, applied to the statistics exactly
            a = (offsets_db / 10.0).astype(np.float32)
            b = BANDS
            per_scale = (st.shape[1] - (ENVELOPE_STATS * b if self.envelope else 0)) // 2
            for s in (0, per_scale):  # per scale: share, mean x v, mean x^2 v, mean |change| (, neff)
                share, m1 = st[:, s:s + b], st[:, s + b:s + 2 * b].copy()
                st[:, s + b:s + 2 * b] = m1 + a * share
                st[:, s + 2 * b:s + 3 * b] += 2 * a * m1 + a * a * share
        x = np.log10(p + SPEC['powerFloor']).astype(np.float32)
        if self.use_neff:
            x = np.concatenate([x, self.neff[rows[:, None] + self.offsets[None, :]].astype(np.float32)], axis=2)
        return (torch.from_numpy(x), torch.from_numpy(st), torch.from_numpy(self.icc[rows].astype(np.float32)),
                torch.from_numpy(self.ild[rows].astype(np.float32)), torch.from_numpy(self.honest[rows]))


def run_model(model, x, st, cond=None):
    return model.head_forward(x, st if model.use_stats else None, cond)


def fixed_conditions(n, vector):
    return torch.from_numpy(np.broadcast_to(np.asarray(vector, np.float32), (n, len(vector))).copy())


def feature_stats(corpus, idx):
    rows = np.unique(corpus.rows[idx])
    f = np.log10(corpus.powers[rows].astype(np.float64) + SPEC['powerFloor'])
    if corpus.use_neff:
        f = np.concatenate([f, corpus.neff[rows].astype(np.float64)], axis=1)
    return f.mean(axis=0), f.std(axis=0) + 1e-3


def mean_profile(corpus, idx):
    rows = corpus.rows[idx]
    a = corpus.honest[rows]
    n = np.maximum(a.sum(axis=0), 1)
    icc = (corpus.icc[rows].astype(np.float64) * a).sum(axis=0) / n
    ild = (corpus.ild[rows].astype(np.float64) * a).sum(axis=0) / n
    return icc, ild


def mean_profile_eval(corpus, idx):
    """Mean evaluation-domain ICC per band over the honest evaluation-domain tiles of these rows."""
    rows = corpus.rows[idx]
    a = corpus.honest_e[rows]
    return (corpus.icc_e[rows].astype(np.float64) * a).sum(axis=0) / np.maximum(a.sum(axis=0), 1)


def predict(model, corpus, idx, batch=4096, cond=None):
    """Predictions for rows idx; cond: their conditions (len(idx), 48) or None (the default style)."""
    model.eval()
    out_i, out_l = [], []
    with torch.no_grad():
        for i in range(0, len(idx), batch):
            x, st, _, _, _ = corpus.batch(idx[i:i + batch])
            c = None
            if getattr(model, 'style', False):
                c = (fixed_conditions(len(x), DEFAULT_CONDITION) if cond is None
                     else torch.from_numpy(np.asarray(cond[i:i + batch], np.float32)))
            icc, ild = run_model(model, x, st, c)
            out_i.append(icc.numpy())
            out_l.append(ild.numpy())
    return np.concatenate(out_i), np.concatenate(out_l)


def val_loss(model, corpus, idx):
    """[loss, ICC L1, |ILD| L1] on validation rows; a conditioned model: the mean of its losses with the
    default style and with each track's own style as the condition."""
    rows = corpus.rows[idx]
    a = corpus.honest[rows]
    conds = [None] + ([corpus.styles[corpus.track[idx]]] if getattr(model, 'style', False) else [])
    out = []
    for cond in conds:
        icc, ild = predict(model, corpus, idx, cond=cond)
        ie = np.abs(icc - corpus.icc[rows])[a].mean()
        le = np.abs(ild - corpus.ild[rows])[a].mean()
        out.append([ie + 0.05 * le, ie, le])
    return np.mean(out, axis=0)


def proxy_metrics(corpus, idx, icc_pred, domain='train'):
    """Design section 5's icc_lo, prof_lo, icc_mae on the training targets (ideal realisation), over one
    frame in 8 (non-overlapping tiles) of the given candidate rows; icc_pred: (len(idx), bands)."""
    keep = corpus.frame[idx] % 8 == 0
    idx, icc_pred = idx[keep], icc_pred[keep]
    rows = corpus.rows[idx]
    ref = (corpus.icc if domain == 'train' else corpus.icc_e)[rows].astype(np.float64)
    a = (corpus.honest if domain == 'train' else corpus.honest_e)[rows]
    err = np.abs(icc_pred - ref)
    lo = np.zeros(BANDS, bool)
    lo[:LO_BANDS] = True
    profs = []
    for t in np.unique(corpus.track[idx]):
        sel = corpus.track[idx] == t
        errs = []
        for b in range(LO_BANDS):
            ab = a[sel, b]
            if ab.any():
                errs.append(abs(icc_pred[sel][ab, b].mean() - ref[sel][ab, b].mean()))
        if errs:
            profs.append(np.mean(errs))
    return {'icc_mae': float(err[a].mean()), 'icc_lo': float(err[:, lo][a[:, lo]].mean()),
            'prof_lo': float(np.mean(profs))}


def oracle_pred(corpus, idx, domain='train'):
    """Each track's own mean ICC per band over its honest tiles (static per-track oracle profile)."""
    rows = corpus.rows[idx]
    out = np.zeros((len(idx), BANDS))
    for t in np.unique(corpus.track[idx]):
        sel = corpus.track[idx] == t
        a = (corpus.honest if domain == 'train' else corpus.honest_e)[rows[sel]]
        v = (corpus.icc if domain == 'train' else corpus.icc_e)[rows[sel]].astype(np.float64)
        out[sel] = ((v * a).sum(axis=0) / np.maximum(a.sum(axis=0), 1))[None, :]
    return out


def reference_mates(corpus, track_ids):
    """{track: another track of its package} among track_ids (the next one in name order, cyclically);
    tracks alone in their package have none."""
    mates = {}
    for tracks in corpus.package_pool(track_ids).values():
        ordered = sorted(tracks, key=lambda t: corpus.names[t])
        for i, t in enumerate(ordered):
            if len(ordered) > 1:
                mates[t] = ordered[(i + 1) % len(ordered)]
    return mates


def condition_rows(model, corpus, test, held):
    """Proxy metrics of a conditioned model on held-out rows under issue 9's conditions: the track's own
    style; the style of another track of the same package (tracks with a mate only), and on the same rows
    the default and the baseline of copying that track's static profile (its style's ICC)."""
    tracks = corpus.track[test]
    own = corpus.styles[tracks]
    mates = reference_mates(corpus, held)
    paired = np.array([t in mates for t in tracks])
    tp = test[paired]
    other = corpus.styles[[mates[t] for t in tracks[paired]]]
    default = predict(model, corpus, tp)[0]
    other_icc = other[:, :BANDS].astype(np.float64)
    return {'model, own style': proxy_metrics(corpus, test, predict(model, corpus, test, cond=own)[0]),
            'copy own style (static)': proxy_metrics(corpus, test, own[:, :BANDS].astype(np.float64)),
            'paired: model, default': proxy_metrics(corpus, tp, default),
            'paired: model, other track style': proxy_metrics(corpus, tp, predict(model, corpus, tp, cond=other)[0]),
            'paired: copy other track profile': proxy_metrics(corpus, tp, other_icc),
            # what a fixed blend of the two could give (no training): how much the other track tells
            'paired: 0.6 x model default + 0.4 x other profile': proxy_metrics(corpus, tp, 0.6 * default + 0.4 * other_icc)}


def build_model(args, mean, std, icc_p=None, ild_p=None, stat_mean=None, stat_std=None, style_mean=None,
                style_std=None):
    a = args if isinstance(args, dict) else vars(args)
    t = a.get('context', C) + 1 + K
    if len(mean) != BANDS * (2 if a.get('neff', False) else 1):
        mean, std = np.zeros(BANDS * (2 if a.get('neff', False) else 1)), np.ones(BANDS * (2 if a.get('neff', False) else 1))
    return LongCueModel(mean, std, t, BANDS, a['channels'], a['hidden'], SPEC['ildCapDb'], icc_p, ild_p,
                        a['dropout'], K, SHORT, MID, use_stats=a['arch'] != 'short', stat_mean=stat_mean,
                        stat_std=stat_std, use_conv=a['arch'] != 'stats', neff=a.get('neff', False),
                        style=a.get('style', False), style_mean=style_mean, style_std=style_std,
                        envelope=a.get('envelope', False))


def train_one(args, corpus, fit_idx, val_idx, ckpt, rng, tag='', seed=SEED):
    t_start = time.time()
    icc_p, ild_p = mean_profile(corpus, np.concatenate([fit_idx, val_idx]))
    mean, std = feature_stats(corpus, fit_idx)
    sub = corpus.stats[fit_idx[::10]].astype(np.float64)
    fit_tracks = np.unique(corpus.track[fit_idx])
    fit_styles = corpus.styles[fit_tracks].astype(np.float64)
    pool = corpus.package_pool(fit_tracks)
    shares = (args.default_share, args.other_share)
    torch.manual_seed(seed)
    model = build_model(args, mean, std, icc_p, ild_p, sub.mean(axis=0), sub.std(axis=0) + 1e-3,
                        fit_styles.mean(axis=0), fit_styles.std(axis=0) + 1e-3)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = args.windows_per_epoch // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps_per_epoch * args.epochs,
                                                pct_start=0.1)
    band_weight = torch.ones(BANDS)
    band_weight[LO_BANDS:] = args.hi_weight
    group = args.group
    by_track = {}
    if group > 1:
        tr_of = corpus.track[fit_idx]
        order = np.argsort(tr_of, kind='stable')
        bounds = np.searchsorted(tr_of[order], np.unique(tr_of))
        for t, part in zip(np.unique(tr_of), np.split(fit_idx[order], bounds[1:])):
            by_track[t] = part
    base = None
    if len(val_idx):
        rows = corpus.rows[val_idx]
        a = corpus.honest[rows]
        ie = np.abs(corpus.icc[rows] - icc_p[None, :])[a].mean()
        le = np.abs(corpus.ild[rows] - ild_p[None, :])[a].mean()
        base = ie + 0.05 * le
    row_weights = None
    if args.package_balance > 0:  # row weight (rows of its package)^-power: power 1, every package the same
        pk = np.array(corpus.packages)[corpus.track[fit_idx]]
        names, inverse, counts = np.unique(pk, return_inverse=True, return_counts=True)
        row_weights = counts[inverse].astype(np.float64) ** -args.package_balance
        row_weights /= row_weights.sum()
        package_shares = {n: round(float(row_weights[inverse == i].sum()), 3) for i, n in enumerate(names)}
        log(f'{tag}package shares of the sampled rows: {package_shares}')
    log(f'{tag}model: {parameter_count(model)} parameters; fit {len(fit_idx)} rows, validation {len(val_idx)} '
        f'rows; fixed profile validation loss {base if base is None else round(float(base), 4)}')
    best = (math.inf, -1)
    history = []
    for epoch in range(args.epochs):
        model.train()
        t0 = time.time()
        idx = rng.choice(fit_idx, size=steps_per_epoch * args.batch, replace=len(fit_idx) < steps_per_epoch * args.batch,
                         p=row_weights)
        if group > 1:  # each anchor row brings group - 1 more random rows of its own track
            anchors = idx[::group]
            idx = np.concatenate([np.concatenate([[a], rng.choice(by_track[corpus.track[a]], size=group - 1)])
                                  for a in anchors])
        gain_db = rng.uniform(-GAIN_DB, GAIN_DB, size=(len(idx), 1))
        tilt_db = rng.uniform(-TILT_DB, TILT_DB, size=(len(idx), 1)) * np.linspace(-0.5, 0.5, BANDS)[None, :]
        offs = gain_db + tilt_db
        starts = np.full(len(idx), -1)
        if args.stream_start > 0:  # these rows' streams began 0..C frames before the target
            late = rng.uniform(size=len(idx)) < args.stream_start
            starts[late] = corpus.frame[idx[late]] - rng.integers(0, C + 1, size=late.sum())
        run = np.zeros(3)
        for s in range(steps_per_epoch):
            sl = slice(s * args.batch, (s + 1) * args.batch)
            x, st, icc_t, ild_t, act = corpus.batch(idx[sl], offs[sl], starts[sl])
            cond = corpus.conditions(idx[sl], rng, shares, pool) if args.style else None
            icc, ild = run_model(model, x, st, cond)
            loss, ie, le = masked_loss(icc, ild, icc_t, ild_t, act, args.ild_weight, band_weight, group,
                                       args.mean_weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            run += [loss.item(), ie.item(), le.item()]
        tr = run / steps_per_epoch
        v = val_loss(model, corpus, val_idx) if len(val_idx) else tr
        history.append({'epoch': epoch + 1, 'train': tr.tolist(), 'val': v.tolist(), 'seconds': time.time() - t0})
        mark = ''
        if v[0] < best[0]:
            best = (v[0], epoch + 1)
            torch.save({'state': model.state_dict(), 'args': vars(args), 'epoch': epoch + 1,
                        'meanProfile': {'icc': icc_p.tolist(), 'ildDb': ild_p.tolist()}}, ckpt)
            mark = ' *best'
        log(f'{tag}epoch {epoch + 1}/{args.epochs}: train loss {tr[0]:.4f} | val loss {v[0]:.4f} '
            f'(icc L1 {v[1]:.4f}, ild L1 {v[2]:.3f} dB) | {time.time() - t0:.0f} s{mark}')
    state = torch.load(ckpt)
    model.load_state_dict(state['state'])
    return model, icc_p, ild_p, {'bestEpoch': best[1], 'bestVal': float(best[0]), 'history': history,
                                 'fixedProfileVal': None if base is None else float(base),
                                 'minutes': round((time.time() - t_start) / 60, 2),
                                 'parameters': parameter_count(model)}


def member_path(ckpt, member):
    """Checkpoint of ensemble member `member` (0: ckpt itself)."""
    return ckpt if member == 0 else ckpt[:-3] + f'-{member}.pt'


def write_profile(path, icc_p, ild_p, what):
    with open(path, 'w') as f:
        json.dump({'description': f'mean ICC and |ILD| (dB) per band over honest (active, not codec-coupled) '
                                  f'tiles of {what}',
                   'icc': [round(float(v), 5) for v in icc_p], 'ildDb': [round(float(v), 4) for v in ild_p]},
                  f, indent=1)


def main():
    global SEED
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--folds', action='store_true', help='train and score one model per leave-packages-out fold')
    ap.add_argument('--only-fold', type=int, default=-1, help='with --folds: just this fold')
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--windows-per-epoch', type=int, default=51_200)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--hidden', type=int, default=64)
    ap.add_argument('--channels', type=int, default=64, help='channels of the temporal convolutions')
    ap.add_argument('--dropout', type=float, default=0.3)
    ap.add_argument('--weight-decay', type=float, default=1e-4)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--ild-weight', type=float, default=0.05)
    ap.add_argument('--arch', choices=['long', 'short', 'stats'], default='stats',
                    help='long: running statistics over the whole window + convs; short: convs over the last '
                         f'{SHORT} rows only (the previous model); stats: the statistics and the target and '
                         f'lookahead frames, no convolutions')
    ap.add_argument('--trial', action='store_true', help='write nothing but training/cache/trial-*.pt')
    ap.add_argument('--shrink', type=float, default=1.0, help='the exported model pulls its ICC toward the '
                    'mean profile: p + shrink * (icc - p) (export.py; the fold tables print 0.5 and 0.75)')
    ap.add_argument('--rescore', default='', help='with --folds --trial: train nothing, score these fold '
                    'checkpoints (a path with {k}), e.g. training/cache/folds/fold{k}.pt')
    ap.add_argument('--seeds', type=int, default=1, help='an ensemble: this many models (seeds), outputs averaged')
    ap.add_argument('--neff', action='store_true', help='inputs also hold the effective bins per band')
    ap.add_argument('--envelope', action='store_true', help='trial only (not exportable): the statistics also hold '
                    'the envelope autocorrelation and the fall after onsets per band (envelope_stats_np)')
    ap.add_argument('--targets', choices=['train', 'eval'], default='train',
                    help='train: 1024-point sqrt-Hann tiles; eval: evaluate.py\'s 2048-point Hann tiles')
    ap.add_argument('--eval-proxy', action='store_true', help='also score the folds on evaluation-domain targets')
    ap.add_argument('--hi-weight', type=float, default=1.0, help='ICC loss weight of the bands above 6.2 kHz')
    ap.add_argument('--group', type=int, default=16, help='rows per track in a batch (for --mean-weight)')
    ap.add_argument('--mean-weight', type=float, default=0.5, help='weight of the per-group mean ICC error')
    ap.add_argument('--context', type=int, default=C, help='context frames (default: the spec\'s)')
    ap.add_argument('--no-style', dest='style', action='store_false', help='no style input (the previous model)')
    ap.add_argument('--default-share', type=float, default=0.3, help='share of training rows conditioned on '
                    'the default style (the rest: the track\'s own style, or another track\'s)')
    ap.add_argument('--other-share', type=float, default=0.45, help='share of training rows conditioned on the '
                    'style of another track of the same package')
    ap.add_argument('--package-balance', type=float, default=0.0, help='trial: sample training rows with weight '
                    '(rows of their package)^-POWER; 1: every package weighs the same (0: every row)')
    ap.add_argument('--stream-start', type=float, default=0.0, help='trial: this share of the training rows '
                    'see a stream that began 0-12 s before the target (earlier rows padding, statistics to match)')
    ap.add_argument('--ckpt-dir', default='', help='with --folds --trial: write the fold checkpoints to '
                    'training/cache/CKPT_DIR/fold<k>.pt (for evaluate.py --candidate, proxy_subsets.py)')
    ap.add_argument('--seed', type=int, default=SEED, help='trial: another seed (torch, sampling), to see how '
                    'far a proxy number moves by chance alone')
    args = ap.parse_args()
    SEED = args.seed
    set_context(args.context)
    t_start = time.time()
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)

    manifest = json.load(open(os.path.join(DATA, 'manifest.json')))
    split = json.load(open(os.path.join(DATA, 'split.json')))
    records = [r for r in manifest['tracks'] if 'skipped' not in r]
    corpus = Corpus(records, args.neff, args.targets, args.eval_proxy, args.envelope)
    log(f'{len(records)} tracks, {len(corpus.rows)} candidate target frames, loaded in {time.time() - t_start:.0f} s')
    val_tracks = {i for i, r in enumerate(records) if is_val(r['name'])}
    os.makedirs(CACHE, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)

    if not args.folds:
        rng = np.random.default_rng(SEED)
        fit = corpus.select(set(range(len(records))) - val_tracks)
        val = corpus.select(val_tracks)[::4]
        ckpt = os.path.join(CACHE, f'trial-{os.getpid()}.pt' if args.trial else 'checkpoint.pt')
        infos = []
        for e in range(args.seeds):  # ensemble members: checkpoint.pt, checkpoint-1.pt, ...
            model, icc_p, ild_p, info = train_one(args, corpus, fit, val, member_path(ckpt, e),
                                                  rng if e == 0 else np.random.default_rng(SEED + 1000 * e),
                                                  tag='' if e == 0 else f'[member {e}] ', seed=SEED + 1000 * e)
            infos.append(info)
        info = {**infos[0], 'members': infos[1:]}
        total = time.time() - t_start
        log(f'best epoch {info["bestEpoch"]} (val loss {info["bestVal"]:.4f}; fixed profile '
            f'{info["fixedProfileVal"]:.4f}); training time {total / 60:.1f} min')
        if not args.trial:
            write_profile(os.path.join(RESULTS, 'mean-profile.json'), icc_p, ild_p, 'all the training data')
            with open(os.path.join(RESULTS, 'training-log.json'), 'w') as f:
                json.dump({'args': vars(args), 'seed': SEED, 'tracks': len(records),
                           'trainingMinutes': round(total / 60, 2), **info}, f, indent=1)
        return

    fold_dir = os.path.join(CACHE, 'folds')
    os.makedirs(fold_dir, exist_ok=True)
    table = []
    for k, fold in enumerate(split['folds']):
        if args.only_fold >= 0 and k != args.only_fold:
            continue
        rng = np.random.default_rng(SEED + k)
        held = {i for i, r in enumerate(records) if r['name'].split('/')[0] in fold['packages']}
        train_ids = set(range(len(records))) - held
        fit = corpus.select(train_ids - val_tracks)
        val = corpus.select(train_ids & val_tracks)[::4]
        test = corpus.select(held)
        test = test[corpus.frame[test] % 8 == 0]
        ckpt = (os.path.join(CACHE, args.ckpt_dir, f'fold{k}.pt') if args.trial and args.ckpt_dir
                else os.path.join(CACHE, f'trial-{os.getpid()}-fold{k}.pt') if args.trial
                else os.path.join(fold_dir, f'fold{k}.pt'))
        os.makedirs(os.path.dirname(ckpt), exist_ok=True)
        preds = []
        if args.rescore:  # score saved fold checkpoints (their shrink left out: the table prints shrunk rows)
            from export import load_model
            model, ck = load_model(args.rescore.format(k=k), check_spec=False, shrink=1.0)
            icc_p = np.array(ck['meanProfile']['icc'])
            info = {'minutes': 0.0, 'checkpoint': args.rescore.format(k=k)}
            preds.append(predict(model, corpus, test)[0])
        for e in range(0 if args.rescore else args.seeds):  # member e > 0: its own seeds, checkpoint <ckpt>-<e>
            path = member_path(ckpt, e)
            model, icc_p, ild_p, info = train_one(args, corpus, fit, val, path,
                                                  rng if e == 0 else np.random.default_rng(SEED + k + 1000 * e),
                                                  tag=f'[fold {k}{"" if e == 0 else f" member {e}"}] ',
                                                  seed=SEED + 1000 * e)
            preds.append(predict(model, corpus, test)[0])
        if not args.trial:
            write_profile(os.path.join(fold_dir, f'mean-profile-{k}.json'), icc_p, ild_p,
                          f'the packages outside fold {k}')
        pred = np.mean(preds, axis=0)
        fixed = np.broadcast_to(icc_p, pred.shape)
        row = {'fold': k, 'packages': fold['packages'], 'tracks': len(held),
               'fixed profile': proxy_metrics(corpus, test, fixed),
               'oracle profile': proxy_metrics(corpus, test, oracle_pred(corpus, test)),
               'model': proxy_metrics(corpus, test, pred), 'train': info}
        if args.style and not args.rescore:  # the conditions of issue 9 (the last member's model)
            row.update(condition_rows(model, corpus, test, held))
        for alpha in (0.5, 0.75):  # predictions shrunk toward the fixed profile
            row[f'model shrunk {alpha}'] = proxy_metrics(corpus, test, fixed + alpha * (pred - fixed))
        if corpus.has_eval:  # the same on evaluate.py's tile definition (and its fixed profile)
            fixed_e = np.broadcast_to(mean_profile_eval(corpus, np.concatenate([fit, val])), pred.shape)
            row['eval: fixed profile'] = proxy_metrics(corpus, test, fixed, 'eval')
            row['eval: fixed eval-domain profile'] = proxy_metrics(corpus, test, fixed_e, 'eval')
            row['eval: oracle profile'] = proxy_metrics(corpus, test, oracle_pred(corpus, test, 'eval'), 'eval')
            row['eval: model'] = proxy_metrics(corpus, test, pred, 'eval')
        table.append(row)
        log(f'[fold {k}] held out {", ".join(fold["packages"])} ({len(held)} tracks): ' + '; '.join(
            f'{m} icc_lo {row[m]["icc_lo"]:.4f} prof_lo {row[m]["prof_lo"]:.4f}'
            for m in ('fixed profile', 'oracle profile', 'model')) + f' ({info["minutes"]:.1f} min)')
    log('')
    log('| fold | held-out packages | method | icc_mae | icc_lo | prof_lo |')
    log('|---|---|---|---|---|---|')
    methods = [m for m in table[0] if isinstance(table[0][m], dict) and 'icc_lo' in table[0][m]]
    for row in table:
        for m in methods:
            r = row[m]
            log(f'| {row["fold"]} | {" ".join(row["packages"])} | {m} | {r["icc_mae"]:.4f} | {r["icc_lo"]:.4f} | '
                f'{r["prof_lo"]:.4f} |')
    for m in methods:
        mean = {c: np.mean([row[m][c] for row in table]) for c in ('icc_mae', 'icc_lo', 'prof_lo')}
        log(f'| mean | | {m} | {mean["icc_mae"]:.4f} | {mean["icc_lo"]:.4f} | {mean["prof_lo"]:.4f} |')
    log(f'folds trained in {(time.time() - t_start) / 60:.1f} min')
    if not args.trial:
        with open(os.path.join(RESULTS, 'folds-proxy.json'), 'w') as f:
            json.dump({'args': vars(args), 'folds': table}, f, indent=1)


if __name__ == '__main__':
    main()
