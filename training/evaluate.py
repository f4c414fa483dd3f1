"""Upmix quality across composers (design section 5): leave-packages-out folds, rendered through the CLI.

    npm run build && /usr/bin/python3 training/evaluate.py [--seconds 30] [--per-package 4] [--folds 0,1]

For each fold k of training/data/split.json (its packages were held out when training the fold's model,
train.py --folds), at most --per-package tracks of each held-out package (the first ones in the order of
a SHA-1 of the name), the first --seconds of each (44.1 kHz): M = (L+R)/2 is upmixed by
- the fixed decorrelator: `--profile` with ICC 0.5 and 0 dB in every band;
- the fixed profile: `--profile training/cache/folds/mean-profile-<k>.json` (the training mean of fold k);
- the static per-track oracle profile: `--profile` with the reference's own mean ICC and |ILD| per band
  over its honest tiles (the ceiling of any profile predictor);
- the model of fold k: `--model training/cache/folds/fold<k>.onnx` (exported from fold<k>.pt by
  export.py --no-fixtures when missing), with the default style;
- the same model with a reference mix (issue 9): `--style` with the style (style.py) of another track of
  the same package (the next one in SHA-1 order; its whole file as track_styles.py caches it), and of the
  track's own stereo original (the stereo of the excerpt being upmixed: the oracle profile's numbers);
- that other track's static profile copied: `--profile` with its style (the baseline a reference must beat);
  with any of these three, only tracks whose package has another track are scored (in every row);
each as `node CLI IN.wav OUT.wav --mode quality ...` from a 32-bit float WAV, with the CLI's other
defaults; the output is aligned to the input by cross-correlation (of its mid with M, lag within
+-MAX_LAG samples, the smallest lag among peaks within 2% of the largest) and compared with the original
L, R on 24 ERB bands (60 Hz - 18 kHz), 2048-point periodic Hann, hop 512, non-overlapping 8-frame tiles.

Metrics, over honest tile-bands of the reference: active (mean L/R band power per frame, / N^2, above
1e-9 and no more than 60 dB below the track's mean total power per frame) and not codec-coupled
(codec_coupling.detect on the reference's tiles):
- icc_mae: mean |ICC_out - ICC_ref|; icc_lo: the same over the bands below 6.2 kHz (0..17);
- prof_err: per track, mean over bands of |mean ICC_out - mean ICC_ref| (means over the track's honest
  tiles), averaged over tracks; prof_lo: the same over the bands below 6.2 kHz;
- ild_mae: mean ||ILD_out| - |ILD_ref|| in dB (both capped at 20 dB);
- mono_dev: mean |10 log10(P[(L_out+R_out)/2] / P[M])| in dB per tile-band (mono_p99: its 99th percentile).
Prints a table per fold and the mean over the folds; writes training/results/evaluation.md and .json.
"""
import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import time

import numpy as np
import soundfile as sf
from scipy.signal import fftconvolve

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402
import style as S  # noqa: E402
from dataset import load_stereo, track_id  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(HERE, 'data')
WORK = os.path.join(HERE, 'cache', 'eval')
FOLDS = os.path.join(HERE, 'cache', 'folds')
RESULTS = os.path.join(HERE, 'results')
CLI = os.path.join(REPO, 'dist', 'cli.js')
SR = 44100
N_EVAL = 2048
HOP_EVAL = 512
TILE = 8
MAX_LAG = 8192
LO_BANDS = int(np.sum(F.band_edges()[:-1] < 6200.0))
METRICS = ['icc_mae', 'prof_err', 'icc_lo', 'prof_lo', 'ild_mae', 'mono_dev', 'mono_p99']
METHODS = ['fixed decorrelator (ICC 0.5)', 'fixed profile (training mean)', 'static oracle profile', 'model',
           'model, reference: another track of the package', 'model, reference: its own original',
           'copy the other track\'s profile']
PAIRED = METHODS[4:]  # methods that need another track of the same package (tracks without one are left out)


def log(*args):
    print(*args, flush=True)


def eval_stft(x):
    return S.stft(x, SR)  # design section 5's frames: the style's (style-spec.json)


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
        self.icc, self.ild, active, self.coupled = S.tile_cues(pl, pr, cr, ci)
        self.active_count = int(active.sum())
        self.active = active & ~self.coupled  # honest tile-bands

    def oracle_profile(self, fallback):
        """The reference's own style (style.py), bands without an honest tile from `fallback`."""
        s = S.style_of_tiles(self.icc, self.ild, self.active, fallback)
        return {'icc': [round(v, 5) for v in s['icc']], 'ildDb': [round(v, 4) for v in s['ildDb']]}


def metrics_for(ref, out_l, out_r):
    pl, pr, cr, ci, pmid, pin = tile_cues(out_l, out_r, ref.mono)
    icc, ild, _ = F.cues_from_sums(pl, pr, cr, ci, TILE, 1.0)
    a = ref.active
    mono_dev = np.abs(10 * np.log10((pmid + 1e-20) / (pin + 1e-20)))
    band_means = []
    for b in range(a.shape[1]):
        ab = a[:, b]
        band_means.append((icc[ab, b].mean(), ref.icc[ab, b].mean()) if ab.any() else None)
    lo = np.zeros(a.shape, bool)
    lo[:, :LO_BANDS] = True
    return {'icc_abs': np.abs(icc - ref.icc)[a], 'icc_abs_lo': np.abs(icc - ref.icc)[a & lo],
            'ild_abs': np.abs(ild - ref.ild)[a], 'mono_dev': mono_dev[a], 'band_means': band_means}


def summarise(results):
    """Pools per-track results of one method into the table's numbers."""
    cat = lambda key: np.concatenate([r[key] for r in results])  # noqa: E731
    prof, prof_lo = [], []
    for r in results:
        errs = [abs(m[0] - m[1]) if m is not None else None for m in r['band_means']]
        prof.append(np.mean([e for e in errs if e is not None]))
        lo = [e for e in errs[:LO_BANDS] if e is not None]
        if lo:
            prof_lo.append(np.mean(lo))
    mono = cat('mono_dev')
    return {'icc_mae': float(cat('icc_abs').mean()), 'prof_err': float(np.mean(prof)),
            'icc_lo': float(cat('icc_abs_lo').mean()), 'prof_lo': float(np.mean(prof_lo)),
            'ild_mae': float(cat('ild_abs').mean()), 'mono_dev': float(mono.mean()),
            'mono_p99': float(np.percentile(mono, 99))}


def write_wav(path, data):
    sf.write(path, np.asarray(data, dtype=np.float32), SR, subtype='FLOAT')


def run_cli(cli, inp, out, extra):
    cmd = ['node', cli, inp, out, '--mode', 'quality', '--force', '--quiet'] + extra
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f'{" ".join(shlex.quote(c) for c in cmd)} failed ({p.returncode}): '
                           f'{(p.stderr or p.stdout).strip()[:400]}')
    y, sr = sf.read(out, dtype='float64', always_2d=True)
    assert sr == SR and y.shape[1] == 2, (sr, y.shape)
    return y[:, 0], y[:, 1]


def pick_tracks(manifest, packages, per_package):
    out = []
    for p in packages:
        names = [r['name'] for r in manifest if 'skipped' not in r and r['name'].split('/')[0] == p]
        names.sort(key=lambda n: hashlib.sha1(n.encode()).hexdigest())
        out += names[:per_package] if per_package else names
    return out


def reference_mate(name, manifest):
    """Another track of name's package (the next in SHA-1 order of all its used tracks, cyclically), or None."""
    package = name.split('/')[0]
    names = sorted((r['name'] for r in manifest if 'skipped' not in r and r['name'].split('/')[0] == package),
                   key=lambda n: hashlib.sha1(n.encode()).hexdigest())
    return None if len(names) < 2 else names[(names.index(name) + 1) % len(names)]


def write_style(path, style):
    with open(path, 'w') as f:
        json.dump({'icc': [round(float(v), 5) for v in style['icc']],
                   'ildDb': [round(float(v), 4) for v in style['ildDb']]}, f)
    return path


def fold_model(k, pattern=os.path.join(FOLDS, 'fold{k}.pt'), shrink=None):
    """The ONNX file of fold k's model (checkpoint `pattern` with {k}), exported next to it when missing."""
    ckpt = pattern.format(k=k)
    onnx_path = ckpt[:-3] + '.onnx'
    if not os.path.exists(onnx_path) or os.path.getmtime(onnx_path) < os.path.getmtime(ckpt):
        subprocess.run([sys.executable, os.path.join(HERE, 'export.py'), '--checkpoint', ckpt, '--onnx', onnx_path,
                        '--no-fixtures'] + ([] if shrink is None else ['--shrink', str(shrink)]), check=True)
    return onnx_path


def fmt(s):
    return ' | '.join(f'{s[k]:.4f}' if 'icc' in k or 'prof' in k else f'{s[k]:.3f}' for k in METRICS)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seconds', type=float, default=30.0, help='audio per track (from the start)')
    ap.add_argument('--per-package', type=int, default=3, help='at most this many tracks per held-out package (0 = all)')
    ap.add_argument('--folds', default='', help='comma-separated fold numbers (default: all)')
    ap.add_argument('--cli', default=CLI, help='the built CLI (npm run build)')
    ap.add_argument('--out', default=os.path.join(RESULTS, 'evaluation.md'))
    ap.add_argument('--methods', default='', help='comma-separated: only these methods (names, or numbers '
                    'in table order: 0 fixed decorrelator .. 3 model, 4 model with another track of the package '
                    'as the reference, 5 model with the track\'s own original as the reference, 6 the other '
                    'track\'s static profile copied, 7 candidate)')
    ap.add_argument('--fold-models', default=os.path.join(FOLDS, 'fold{k}.pt'),
                    help='the fold models\' checkpoints (a path with {k}), default training/cache/folds/fold{k}.pt')
    ap.add_argument('--candidate-shrink', type=float, default=None, help='export the candidate with this --shrink')
    ap.add_argument('--candidate', default='', help='also render a candidate model per fold: its checkpoints '
                    '(train.py --folds --trial), a path with {k} for the fold, e.g. training/cache/trial-123-fold{k}.pt')
    args = ap.parse_args()
    ap_methods = [m for m in args.methods.split(',') if m] if args.methods else None
    methods = METHODS + (['candidate'] if args.candidate else [])
    if ap_methods:  # e.g. only the candidate: the other methods render the same as in a previous run
        methods = [m for i, m in enumerate(methods) if str(i) in ap_methods or m in ap_methods]
    t0 = time.time()
    split = json.load(open(os.path.join(DATA, 'split.json')))
    manifest = json.load(open(os.path.join(DATA, 'manifest.json')))['tracks']
    by_name = {r['name']: r for r in manifest}
    paired = any(m in PAIRED for m in methods)
    if paired:  # the references' styles: style.py on the whole (first 150 s of the) stereo original
        from track_styles import track_styles
        styles = track_styles([r for r in manifest if 'skipped' not in r])
    folds = [int(f) for f in args.folds.split(',')] if args.folds else list(range(len(split['folds'])))
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    fixed05 = os.path.join(WORK, 'profile-icc-0.5.json')
    with open(fixed05, 'w') as f:
        json.dump({'icc': [0.5] * F.BANDS, 'ildDb': [0.0] * F.BANDS}, f)
    tables = {}
    lines = []
    for k in folds:
        packages = split['folds'][k]['packages']
        profile_path = os.path.join(FOLDS, f'mean-profile-{k}.json')
        profile = json.load(open(profile_path))
        model_path = fold_model(k, args.fold_models) if any(m in methods for m in METHODS[3:6]) else None
        names = pick_tracks(manifest, packages, args.per_package)
        if paired:  # the same tracks in every row: those with another track in their package
            names = [n for n in names if reference_mate(n, manifest)]
        results = {m: [] for m in methods}
        first = methods[0]
        coupled = [0, 0]
        seconds = 0.0
        for i, name in enumerate(names):
            (left, right), _ = load_stereo(by_name[name]['path'], max_seconds=args.seconds)
            ref = Reference(left, right)
            coupled[0] += int(ref.coupled.sum())
            coupled[1] += ref.active_count
            if not ref.active.any():
                continue
            seconds += len(left) / SR
            tdir = os.path.join(WORK, track_id(name))
            os.makedirs(tdir, exist_ok=True)
            inp = os.path.join(tdir, 'in.wav')
            write_wav(inp, ref.mono)
            oracle = os.path.join(tdir, 'oracle-profile.json')
            with open(oracle, 'w') as f:
                json.dump(ref.oracle_profile(profile), f)
            extras = {METHODS[0]: ['--profile', fixed05], METHODS[1]: ['--profile', profile_path],
                      METHODS[2]: ['--profile', oracle], METHODS[3]: ['--model', model_path]}
            if paired:
                mate = reference_mate(name, manifest)
                other = write_style(os.path.join(tdir, 'other-style.json'), styles[mate])
                # the own original: the stereo of exactly the audio being upmixed (its style is the oracle)
                extras.update({METHODS[4]: ['--model', model_path, '--style', other],
                               METHODS[5]: ['--model', model_path, '--style', oracle],
                               METHODS[6]: ['--profile', other]})
            if args.candidate:
                extras['candidate'] = ['--model', fold_model(k, args.candidate, args.candidate_shrink)]
            for m in methods:
                slug = ''.join(c if c.isalnum() else '-' for c in m.lower())
                out = run_cli(args.cli, inp, os.path.join(tdir, f'fold{k}-{slug}.wav'), extras[m])
                (ol, orr), _ = align(out, ref.mono)
                results[m].append(metrics_for(ref, ol, orr))
            log(f'[fold {k}] [{i + 1}/{len(names)}] {name}: {len(left) / SR:.0f} s, '
                f'{int(ref.active.sum())} honest tile-bands ({int(ref.coupled.sum())} codec-coupled left out)')
        tables[k] = {m: summarise(results[m]) for m in methods}
        tables[k]['_info'] = {'packages': packages, 'tracks': len(results[first]), 'minutes': seconds / 60,
                              'codecCoupledShare': coupled[0] / max(coupled[1], 1)}
        lines.append(f'| {k} | ' + ', '.join(packages) + f' ({len(results[first])} tracks) | | | | | | | | |')
        for m in methods:
            lines.append(f'| {k} | | {m} | {fmt(tables[k][m])} |')
        log('\n'.join(lines[-(len(methods) + 1):]))
    mean = {m: {c: float(np.mean([tables[k][m][c] for k in folds])) for c in METRICS} for m in methods}
    header = ['| fold | held-out packages | method | ' + ' | '.join(METRICS) + ' |', '|' + '---|' * (len(METRICS) + 3)]
    mean_lines = [f'| mean | | {m} | {fmt(mean[m])} |' for m in methods]
    total_tracks = sum(tables[k]['_info']['tracks'] for k in folds)
    total_min = sum(tables[k]['_info']['minutes'] for k in folds)
    notes = [f'{len(folds)} leave-packages-out folds; {total_tracks} held-out tracks, {total_min:.1f} min (at most '
             f'{args.per_package or "all"} tracks per package, the first {args.seconds:.0f} s of each), 44.1 kHz; '
             f'2048-point Hann, hop 512, 8-frame tiles, 24 ERB bands 60 Hz-18 kHz (lo: the 18 bands below 6.2 '
             f'kHz); honest tile-bands only (active, not codec-coupled). Rendered by {os.path.relpath(args.cli, REPO)} '
             f'--mode quality. The mean row is the mean of the per-fold numbers.']
    text = '\n'.join(header + lines + mean_lines) + '\n\n' + '\n'.join(notes) + '\n'
    print()
    print(text, end='')
    with open(args.out, 'w') as f:
        f.write('# Upmix quality across composers: leave-packages-out folds (training/evaluate.py)\n\n' + text)
    with open(os.path.splitext(args.out)[0] + '.json', 'w') as f:
        json.dump({'folds': {str(k): v for k, v in tables.items()}, 'mean': mean, 'notes': notes}, f, indent=1)
    log(f'evaluated in {time.time() - t0:.0f} s')


if __name__ == '__main__':
    main()
