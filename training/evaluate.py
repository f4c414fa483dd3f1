"""Upmix quality on the held-out tracks (design section 5), for the baselines and the model.

    /usr/bin/python3 training/evaluate.py [--seconds 60] [--tracks N] [--cli-args "..."]

For each held-out track of training/data/split.json (at most --seconds from the start, 44.1 kHz):
M = (L+R)/2 is upmixed by each method and compared with the original L, R on 24 ERB bands (60 Hz -
18 kHz), tiles of 8 STFT frames (2048-point periodic Hann, hop 512, non-overlapping tiles of 4096
samples, ~93 ms), after aligning the output to the input by cross-correlation (of the output's mid
(L+R)/2 with M; lag within +-MAX_LAG samples, the smallest lag among peaks within 2% of the largest).

Methods: dual mono and a 15 ms Haas delay (L = M, R = M delayed 15 ms), made here; a fixed decorrelator
at ICC 0.5 (profile icc = 0.5, ildDb = 0), the fixed per-band profile (training-set mean,
training/results/mean-profile.json) and the model, rendered by the project's CLI
(`node dist/cli.js IN.wav OUT.wav --mode quality [--profile P.json]`; --profile means no model) from
32-bit float WAVs.

Metrics, over active tile-bands (the reference's mean L/R band power per frame, / N^2, above 1e-9 and
no more than 60 dB below the track's mean total power per frame; the same rule as the training masks):
- icc_mae: mean |ICC_out - ICC_ref|;
- prof_err: mean over bands of |mean ICC_out - mean ICC_ref|, the means per track over its active
  tiles, then averaged over tracks (does the width profile fit each track?);
  prof_pooled: the same with the means pooled over all tracks (the data set's average profile);
- ild_mae: mean ||ILD_out| - |ILD_ref|| in dB (both capped at 20 dB);
- mono_dev, mono_p99: mean and 99th percentile of |10 log10(P[(L_out+R_out)/2] / P[M])| in dB per
  tile-band.
Prints one table and writes it to training/results/evaluation.md (and evaluation.json).
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import time

import numpy as np
import soundfile as sf
from scipy.signal import fftconvolve, get_window

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402
from dataset import load_stereo, track_id  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(HERE, 'data')
WORK = os.path.join(HERE, 'cache', 'eval')
RESULTS = os.path.join(HERE, 'results')
CLI = os.path.join(REPO, 'dist', 'cli.js')
SR = 44100
N_EVAL = 2048
HOP_EVAL = 512
TILE = 8
MAX_LAG = 8192
HAAS_SECONDS = 0.015
METRICS = ['icc_mae', 'prof_err', 'prof_pooled', 'ild_mae', 'mono_dev', 'mono_p99']


def log(*args):
    print(*args, flush=True)


def eval_stft(x):
    count = F.frame_count(len(x), N_EVAL, HOP_EVAL)
    idx = np.arange(N_EVAL)[None, :] + HOP_EVAL * np.arange(count)[:, None]
    return np.fft.rfft(x[idx] * get_window('hann', N_EVAL)[None, :], axis=1)


def tile_cues(left, right, mono):
    """Per tile and band: ICC, |ILD|, power of the mid (L+R)/2 and of the mono input, and the tile sums."""
    bm = F.band_matrix(SR, N_EVAL)
    scale = 1.0 / (N_EVAL * N_EVAL)
    sl, sr_, sm = eval_stft(left), eval_stft(right), eval_stft(mono)
    tiles = sl.shape[0] // TILE
    n = tiles * TILE

    def tsum(per_frame):
        return per_frame[:n].reshape(tiles, TILE, -1).sum(axis=1)

    pl = tsum((np.abs(sl) ** 2) @ bm * scale)
    pr = tsum((np.abs(sr_) ** 2) @ bm * scale)
    cross = sl * np.conj(sr_)
    cr = tsum((cross.real @ bm) * scale)
    ci = tsum((cross.imag @ bm) * scale)
    pmid = tsum((np.abs(0.5 * (sl + sr_)) ** 2) @ bm * scale)
    pin = tsum((np.abs(sm) ** 2) @ bm * scale)
    return pl, pr, cr, ci, pmid, pin


def align(out_lr, mono):
    """Shifts the output so it lines up with the input (cross-correlation of its mid with the input)."""
    mid = 0.5 * (out_lr[0] + out_lr[1])
    n = min(len(mid), len(mono))
    seg = slice(0, n)
    xc = fftconvolve(mid[seg], mono[seg][::-1], mode='full')  # xc[n-1+lag] = sum mid[i+lag] mono[i]
    lags = np.arange(-MAX_LAG, MAX_LAG + 1)
    vals = xc[n - 1 + lags]
    best = vals.max()
    cands = lags[vals >= 0.98 * best]
    lag = int(cands[np.argmin(np.abs(cands))])
    out = []
    for ch in out_lr:
        y = np.zeros(len(mono))
        src = ch[max(lag, 0):]
        if lag < 0:
            src = np.concatenate([np.zeros(-lag), ch])
        m = min(len(src), len(y))
        y[:m] = src[:m]
        out.append(y)
    return out, lag


class Reference:
    def __init__(self, left, right):
        self.mono = 0.5 * (left + right)
        pl, pr, cr, ci, _, _ = tile_cues(left, right, self.mono)
        level = np.mean(np.sum(0.5 * (pl + pr) / TILE, axis=1))
        self.icc, self.ild, self.active = F.cues_from_sums(pl, pr, cr, ci, TILE, level)


def metrics_for(ref, out_l, out_r):
    pl, pr, cr, ci, pmid, pin = tile_cues(out_l, out_r, ref.mono)
    icc, ild, _ = F.cues_from_sums(pl, pr, cr, ci, TILE, 1.0)
    a = ref.active
    mono_dev = np.abs(10 * np.log10((pmid + 1e-20) / (pin + 1e-20)))
    per_band = []
    for b in range(a.shape[1]):
        ab = a[:, b]
        per_band.append((icc[ab, b].mean(), ref.icc[ab, b].mean(), ab.sum()) if ab.any() else None)
    return {'icc_abs': np.abs(icc - ref.icc)[a], 'ild_abs': np.abs(ild - ref.ild)[a], 'mono_dev': mono_dev[a],
            'band_means': per_band}


def summarise(results):
    """Pools per-track results of one method into the table's numbers."""
    icc = np.concatenate([r['icc_abs'] for r in results])
    ild = np.concatenate([r['ild_abs'] for r in results])
    mono = np.concatenate([r['mono_dev'] for r in results])
    per_track = []
    bands = len(results[0]['band_means'])
    pooled_out = np.zeros(bands)
    pooled_ref = np.zeros(bands)
    pooled_n = np.zeros(bands)
    for r in results:
        errs = [abs(m[0] - m[1]) for m in r['band_means'] if m is not None]
        per_track.append(np.mean(errs))
        for b, m in enumerate(r['band_means']):
            if m is not None:
                pooled_out[b] += m[0] * m[2]
                pooled_ref[b] += m[1] * m[2]
                pooled_n[b] += m[2]
    ok = pooled_n > 0
    pooled = np.mean(np.abs(pooled_out[ok] / pooled_n[ok] - pooled_ref[ok] / pooled_n[ok]))
    return {'icc_mae': icc.mean(), 'prof_err': float(np.mean(per_track)), 'prof_pooled': float(pooled),
            'ild_mae': ild.mean(), 'mono_dev': mono.mean(), 'mono_p99': float(np.percentile(mono, 99))}


def write_wav(path, data):
    sf.write(path, np.asarray(data, dtype=np.float32), SR, subtype='FLOAT')


def cli_help():
    if not os.path.exists(CLI):
        return None
    try:
        return subprocess.run(['node', CLI, '--help'], capture_output=True, text=True, timeout=60).stdout
    except Exception:
        return None


def run_cli(inp, out, extra, cli_args):
    cmd = ['node', CLI, inp, out, '--mode', 'quality', '--force', '--quiet'] + extra + cli_args
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f'{" ".join(shlex.quote(c) for c in cmd)} failed ({p.returncode}): '
                           f'{(p.stderr or p.stdout).strip()[:400]}')
    y, sr = sf.read(out, dtype='float64', always_2d=True)
    assert sr == SR and y.shape[1] == 2, (sr, y.shape)
    return y[:, 0], y[:, 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seconds', type=float, default=60.0, help='audio per held-out track (from the start)')
    ap.add_argument('--tracks', type=int, default=0, help='at most this many held-out tracks (0 = all)')
    ap.add_argument('--cli-args', default='', help='extra arguments for every CLI run')
    ap.add_argument('--methods', default='', help='comma-separated subset of the methods')
    ap.add_argument('--out', default=os.path.join(RESULTS, 'evaluation.md'))
    args = ap.parse_args()
    t0 = time.time()
    cli_args = shlex.split(args.cli_args)
    split = json.load(open(os.path.join(DATA, 'split.json')))
    manifest = {r['name']: r for r in json.load(open(os.path.join(DATA, 'manifest.json')))['tracks']}
    names = sorted(split['heldOut'])
    if args.tracks:
        names = names[: args.tracks]
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    fixed05 = os.path.join(WORK, 'profile-icc-0.5.json')
    with open(fixed05, 'w') as f:
        json.dump({'icc': [0.5] * F.BANDS, 'ildDb': [0.0] * F.BANDS}, f)
    mean_profile = os.path.join(RESULTS, 'mean-profile.json')

    help_text = cli_help()
    has_profile = help_text is not None and '--profile' in help_text
    methods = [
        ('dual mono', 'python', None),
        ('Haas 15 ms', 'python', None),
        ('fixed decorrelator (ICC 0.5)', 'cli', ['--profile', fixed05]),
        ('fixed profile (training mean)', 'cli', ['--profile', mean_profile]),
        ('model', 'cli', []),
    ]
    if args.methods:
        keep = [m.strip() for m in args.methods.split(',')]
        methods = [m for m in methods if any(k.lower() in m[0].lower() for k in keep)]
    problems = {}
    for name, kind, extra in methods:
        if kind != 'cli':
            continue
        if help_text is None:
            problems[name] = f'CLI {CLI} not built or not runnable (npm run build)'
        elif '--profile' in extra and not has_profile:
            problems[name] = 'CLI has no --profile option yet'
    results = {m[0]: [] for m in methods}
    skipped_tracks = []
    for i, name in enumerate(names):
        lr, reason = load_stereo(manifest[name]['path'], max_seconds=args.seconds)
        left, right = lr
        ref = Reference(left, right)
        if not ref.active.any():
            skipped_tracks.append(name)
            continue
        tdir = os.path.join(WORK, track_id(name))
        os.makedirs(tdir, exist_ok=True)
        inp = os.path.join(tdir, 'in.wav')
        write_wav(inp, ref.mono)
        line = []
        for mname, kind, extra in methods:
            if mname in problems:
                continue
            if mname == 'dual mono':
                out = (ref.mono, ref.mono)
            elif mname.startswith('Haas'):
                d = int(round(HAAS_SECONDS * SR))
                out = (ref.mono, np.concatenate([np.zeros(d), ref.mono[:-d]]))
            else:
                try:
                    slug = ''.join(c if c.isalnum() else '-' for c in mname.lower())
                    out = run_cli(inp, os.path.join(tdir, slug + '.wav'), extra, cli_args)
                except Exception as e:
                    problems[mname] = str(e)
                    continue
            (ol, orr), lag = align(out, ref.mono)
            results[mname].append(metrics_for(ref, ol, orr))
            line.append(f'{mname.split()[0]} lag {lag}')
        log(f'[{i + 1}/{len(names)}] {name} ({len(left) / SR:.0f} s, {int(ref.active.sum())} active '
            f'tile-bands): {", ".join(line)}')

    rows = []
    header = '| method | ' + ' | '.join(METRICS) + ' |'
    rows.append(header)
    rows.append('|' + '---|' * (len(METRICS) + 1))
    table_json = {}
    for mname, _, _ in methods:
        if mname in problems or not results[mname]:
            rows.append(f'| {mname} | ' + ' | '.join(['n/a'] * len(METRICS)) + ' |')
            continue
        s = summarise(results[mname])
        table_json[mname] = s
        rows.append(f'| {mname} | ' + ' | '.join(f'{s[k]:.4f}' if 'icc' in k or 'prof' in k else f'{s[k]:.3f}'
                                                  for k in METRICS) + ' |')
    n_tracks = len(names) - len(skipped_tracks)
    secs = sum(min(manifest[n]['seconds'], args.seconds) for n in names if n not in skipped_tracks)
    notes = [f'{n_tracks} held-out tracks, {secs / 60:.1f} min (at most {args.seconds:.0f} s each), 44.1 kHz; '
             f'2048-point Hann, hop 512, 8-frame tiles, 24 ERB bands 60 Hz-18 kHz; active tile-bands only. '
             f'ICC metrics are 0..1, ILD and mono in dB.']
    if cli_args:
        notes.append(f'extra CLI arguments: {" ".join(cli_args)}')
    for mname, msg in problems.items():
        notes.append(f'{mname}: not run: {msg}')
    text = '\n'.join(rows) + '\n\n' + '\n'.join(notes) + '\n'
    print()
    print(text, end='')
    with open(args.out, 'w') as f:
        f.write('# Upmix quality on the held-out tracks (training/evaluate.py)\n\n' + text)
    with open(os.path.splitext(args.out)[0] + '.json', 'w') as f:
        json.dump({'metrics': table_json, 'notes': notes, 'tracks': [n for n in names if n not in skipped_tracks]},
                  f, indent=1)
    log(f'evaluated in {time.time() - t0:.0f} s')


if __name__ == '__main__':
    main()
