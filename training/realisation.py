"""Realisation: does the engine deliver the ICC it is asked for, on real music? (design section 5)

    npm run build
    /usr/bin/python3 training/realisation.py [TRACK ...] [--seconds 40] [--save R.json] [--compare R0.json]
                                             [--cli dist/cli.js] [--src-root .]

For each real stereo track (44.1 kHz; the first --seconds), its static oracle profile (the mean ICC and
mean |ILD| per band over the track's active tiles) is written as a --profile JSON (src/cli/profile-file.ts)
and the mono downmix M = (L+R)/2 is rendered by the project's CLI:
`node dist/cli.js M.wav OUT.wav --mode quality --profile P.json`. The output is aligned to M by
cross-correlation (it should be lag 0: the CLI compensates its latency) and measured with the analysis of
design section 5: 24 ERB-spaced bands 60 Hz - 18 kHz (src/dsp/bands.ts), 2048-point periodic Hann, hop
512, non-overlapping tiles of 8 frames, active tile-bands only (the reference's mean L/R band power per
frame, / N^2, above 1e-9 and no more than 60 dB below the track's mean total power per frame: the rule of
training/evaluate.py).

Per band it prints: the mean ICC asked (the profiles, averaged over tracks), the mean ICC delivered (the
output's mean tile ICC per track over the same tiles, averaged over tracks), `err`: the mean over tracks of
|mean delivered - asked| (the goal: at most 0.03 in every band from 170 Hz to 6 kHz, bands 2-17), and
`bound`: the share of active tile-bands where D, the engine's decorrelated signal, has coherence
|sum D M*| / sqrt(sum|D|^2 sum|M|^2) >= 0.9 with M in that tile and band. There D is nearly a phase-shifted
copy of M (a band held by one steady partial): no time-invariant decorrelator can lower the ICC there, so
those tiles bound the error; `lim`: the share at or above 0.943, where the engine's gain limit on the
orthogonalised D (+9.5 dB) is reached. `err_free` is `err` over the tiles below 0.9 only. D is computed by the engine's
own code from src/ (the onset gain, then the Decorrelator, before the per-band orthogonaliser), run
through tsx; build dist/ from the same tree.

The engine realises the cues in closed loop in quality mode (src/dsp/icc-feedback.ts): it measures its
output's tile ICC per band as this script does and scales each band's asked decorrelation until the mean
tile ICC equals the cue. Tiles that D cannot decorrelate (`bound`) stay above the cue, so the loop meets
the mean by decorrelating the other tiles of that band a little more than asked: compare `err_free` (the
other tiles alone) with `err`. `--cli-args --bass-mono 0` leaves bands 0-1 to the cues as well (by default
the CLI keeps everything below 120 Hz in the centre, so those bands measure the control, not the engine).

Tracks: real stereo music at 44.1 kHz. Without arguments it uses ten tracks fetched into /tmp/rmusic:
    mkdir -p /tmp/rmusic && cd /tmp/rmusic && apt-get download drascula-music lincity-ng-data &&
    for f in *.deb; do dpkg-deb -x $f x; done
Above ~6 kHz Vorbis couples the channels, so the references there measure the codec, not the mix.
--save writes the per-band numbers as JSON; --compare prints them beside an earlier --save (before/after).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate as E  # noqa: E402
import features as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CLI = os.path.join(REPO, 'dist', 'cli.js')
SR = 44100
N = E.N_EVAL
TILE = E.TILE
BANDS = 24
GOAL_LOW_HZ, GOAL_HIGH_HZ = 170.0, 6000.0
GOAL = 0.03
BOUND_COHERENCE = 0.9
# The engine brings D - alpha M up to M's level with at most MAX_DECORRELATED_GAIN = 3 (src/dsp/
# band-orthogonalizer.ts): beyond this coherence of D with M (D as loud as M) it cannot reach the target.
ENGINE_LIMIT_COHERENCE = float(np.sqrt(1 - 1 / 9))
ABS_THRESHOLD = 1e-9
REL_THRESHOLD = 1e-6
ILD_CAP = 20.0
MUSIC = '/tmp/rmusic/x/usr/share'
DEFAULT_TRACKS = [f'{MUSIC}/games/lincity-ng/music/default/{name}.ogg' for name in (
    '01 - pronobozo - lincity', '02 - Robert van Herk - City Blues',
    '03 - Robert van Herk - Architectural Contemplations')] + [
    f'{MUSIC}/scummvm/drascula/audio/track{i}.ogg' for i in (2, 5, 9, 11, 14, 23, 26)]

# D as the engine makes it: the onset gain keeps attacks out, then the decorrelator (src/dsp/engine.ts).
D_HELPER = r"""
import { readFileSync, writeFileSync } from 'node:fs';
const [repo, input, output, rate] = process.argv.slice(2);
const { Decorrelator } = await import(repo + '/src/dsp/decorrelator.js');
const { OnsetDetector } = await import(repo + '/src/dsp/onset-detector.js');
const bytes = readFileSync(input);
const m = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
const sampleRate = Number(rate);
const onsets = new OnsetDetector(sampleRate);
const decorrelator = new Decorrelator(sampleRate);
const d = new Float64Array(m.length);
const block = 128;
const mono = new Float64Array(block), gains = new Float64Array(block), out = new Float64Array(block);
for (let at = 0; at + block <= m.length; at += block) {
  for (let i = 0; i < block; i++) mono[i] = m[at + i];
  onsets.process(mono, gains, block);
  for (let i = 0; i < block; i++) out[i] = gains[i] * mono[i];
  decorrelator.process(out, out, block);
  d.set(out, at);
}
writeFileSync(output, Buffer.from(d.buffer));
"""


EDGES = F.band_edges()
CENTRES = np.sqrt(EDGES[:-1] * EDGES[1:])
GOAL_BANDS = [b for b in range(BANDS) if GOAL_LOW_HZ <= CENTRES[b] <= GOAL_HIGH_HZ]
BM = F.band_matrix(SR, N)
# Section 5's framing and the alignment of the output to M are evaluate.py's, shared.
stft = E.eval_stft


def tile_sums(a, b):
    """Per tile and band: sum |A|^2, sum |B|^2 and the complex sum A B* (bins and 8 frames), / N^2."""
    tiles = a.shape[0] // TILE
    n = tiles * TILE
    scale = 1.0 / (N * N)

    def tsum(per_frame):
        return per_frame[:n].reshape(tiles, TILE, -1).sum(axis=1) * scale

    cross = a * np.conj(b)
    return tsum(np.abs(a) ** 2 @ BM), tsum(np.abs(b) ** 2 @ BM), tsum(cross.real @ BM) + 1j * tsum(cross.imag @ BM)


def coherence(pa, pb, cross):
    return np.clip(np.nan_to_num(np.abs(cross) / np.sqrt(np.maximum(pa * pb, 1e-300)), nan=1.0), 0.0, 1.0)


def align(left, right, mono):
    """Shifts the output so that its mid lines up with M (evaluate.py's alignment)."""
    (out_l, out_r), lag = E.align((left, right), mono)
    return out_l, out_r, lag


def decorrelated(mono, work, root):
    """The engine's D for M (onset gain, then the Decorrelator), from root/src/ through tsx."""
    src, dst, helper = (os.path.join(work, name) for name in ('m.f64', 'd.f64', 'd-helper.mts'))
    mono.astype(np.float64).tofile(src)
    with open(helper, 'w') as f:
        f.write(D_HELPER)
    subprocess.run(['node', '--import', 'tsx', helper, root, src, dst, str(SR)], cwd=REPO, check=True)
    return np.fromfile(dst, dtype=np.float64)


def measure_track(path, seconds, work, cli, root, cli_args):
    data, rate = sf.read(path, frames=int(seconds * SR), dtype='float64', always_2d=True)
    if rate != SR or data.shape[1] != 2:
        raise SystemExit(f'{path}: need 44.1 kHz stereo, got {rate} Hz, {data.shape[1]} channels')
    left, right = data[:, 0], data[:, 1]
    mono = 0.5 * (left + right)
    sl, sr_, sm = stft(left), stft(right), stft(mono)
    pl, pr, cross = tile_sums(sl, sr_)
    icc_ref = coherence(pl, pr, cross)
    ild_ref = np.clip(np.abs(10 * np.log10((pl + 1e-12) / (pr + 1e-12))), 0, ILD_CAP)
    power = 0.5 * (pl + pr) / TILE
    level = np.mean(np.sum(power, axis=1))
    active = (power > ABS_THRESHOLD) & (power > REL_THRESHOLD * level)
    asked = np.array([icc_ref[active[:, b], b].mean() if active[:, b].any() else 1.0 for b in range(BANDS)])
    ild = np.array([ild_ref[active[:, b], b].mean() if active[:, b].any() else 0.0 for b in range(BANDS)])
    profile = os.path.join(work, 'profile.json')
    with open(profile, 'w') as f:
        json.dump({'icc': [float(v) for v in asked], 'ildDb': [float(v) for v in ild]}, f)
    inp, out = os.path.join(work, 'in.wav'), os.path.join(work, 'out.wav')
    sf.write(inp, mono.astype(np.float32), SR, subtype='FLOAT')
    subprocess.run(['node', cli, inp, out, '--mode', 'quality', '--profile', profile, '--force', '--quiet', *cli_args],
                   cwd=REPO, check=True)
    rendered, _ = sf.read(out, dtype='float64', always_2d=True)
    out_l, out_r, lag = align(rendered[:, 0], rendered[:, 1], mono.astype(np.float32).astype(np.float64))
    mono_error = float(np.max(np.abs(0.5 * (out_l + out_r) - mono.astype(np.float32))))
    ol, or_ = stft(out_l), stft(out_r)
    icc_out = coherence(*tile_sums(ol, or_))
    d = decorrelated(mono, work, root)
    sd = stft(d)
    pm, pd, cdm = tile_sums(sm, sd)
    coh_dm = coherence(pm, pd, cdm)
    tiles = min(len(icc_out), len(icc_ref))
    return {'name': os.path.basename(path), 'asked': asked, 'icc_out': icc_out[:tiles], 'coh_dm': coh_dm[:tiles],
            'active': active[:tiles], 'lag': lag, 'mono_error': mono_error}


def per_band(tracks):
    rows = []
    for b in range(BANDS):
        asked, delivered, err, err_free, bound, limited, count = [], [], [], [], 0, 0, 0
        for t in tracks:
            a = t['active'][:, b]
            if not a.any():
                continue
            out = t['icc_out'][a, b]
            steady = t['coh_dm'][a, b] >= BOUND_COHERENCE
            asked.append(t['asked'][b])
            delivered.append(out.mean())
            err.append(abs(out.mean() - t['asked'][b]))
            if (~steady).any():
                err_free.append(abs(out[~steady].mean() - t['asked'][b]))
            bound += int(steady.sum())
            limited += int((t['coh_dm'][a, b] >= ENGINE_LIMIT_COHERENCE).sum())
            count += int(a.sum())
        rows.append({'band': b, 'centre': float(CENTRES[b]), 'asked': float(np.mean(asked)),
                     'delivered': float(np.mean(delivered)), 'err': float(np.mean(err)),
                     'err_free': float(np.mean(err_free)) if err_free else float('nan'),
                     'bound': bound / max(count, 1), 'limited': limited / max(count, 1), 'tiles': count})
    return rows


def print_table(rows, before=None):
    head = f'{"band":>4} {"centre Hz":>9} {"asked":>6} {"deliv":>6} {"err":>6} {"bound":>6} {"lim":>6} {"err_free":>8}'
    if before:
        head += f' | {"deliv0":>6} {"err0":>6} {"bound0":>6}'
    print(head)
    for r in rows:
        mark = '*' if r['band'] in GOAL_BANDS else ' '
        line = (f'{r["band"]:>3}{mark} {r["centre"]:>9.0f} {r["asked"]:>6.3f} {r["delivered"]:>6.3f} {r["err"]:>6.3f} '
                f'{r["bound"]:>6.1%} {r.get("limited", float("nan")):>6.1%} {r["err_free"]:>8.3f}')
        if before:
            o = before[r['band']]
            line += f' | {o["delivered"]:>6.3f} {o["err"]:>6.3f} {o["bound"]:>6.1%}'
        print(line)
    goal = [rows[b] for b in GOAL_BANDS]
    worst = max(goal, key=lambda r: r['err'])
    tiles = sum(r['tiles'] for r in goal)
    bound = sum(r['bound'] * r['tiles'] for r in goal) / tiles
    limited = sum(r.get('limited', float('nan')) * r['tiles'] for r in goal) / tiles
    print(f'* goal bands {GOAL_BANDS[0]}-{GOAL_BANDS[-1]} ({GOAL_LOW_HZ:.0f} Hz - {GOAL_HIGH_HZ / 1000:.0f} kHz): '
          f'mean err {np.mean([r["err"] for r in goal]):.3f}, worst {worst["err"]:.3f} (band {worst["band"]}), '
          f'{sum(r["err"] <= GOAL for r in goal)}/{len(goal)} bands within {GOAL}; '
          f'tile-bands with coherence(D, M) >= {BOUND_COHERENCE}: {bound:.1%}, >= {ENGINE_LIMIT_COHERENCE:.3f}: {limited:.1%}')
    if before:
        goal0 = [before[b] for b in GOAL_BANDS]
        print(f'  before: mean err {np.mean([r["err"] for r in goal0]):.3f}, worst {max(r["err"] for r in goal0):.3f}, '
              f'{sum(r["err"] <= GOAL for r in goal0)}/{len(goal0)} bands within {GOAL}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('tracks', nargs='*', default=DEFAULT_TRACKS)
    parser.add_argument('--seconds', type=float, default=40.0)
    parser.add_argument('--save', help='write the per-band numbers (JSON)')
    parser.add_argument('--compare', help='print beside the per-band numbers of an earlier --save')
    parser.add_argument('--cli', default=CLI, help='the CLI to render with (default dist/cli.js)')
    parser.add_argument('--src-root', default=REPO, help='the tree whose src/dsp makes D (default this one)')
    parser.add_argument('--cli-args', nargs=argparse.REMAINDER, default=[], help='more arguments for the CLI')
    args = parser.parse_args()
    if not os.path.exists(args.cli):
        raise SystemExit(f'{args.cli} is missing: run `npm run build` first')
    tracks = []
    with tempfile.TemporaryDirectory(prefix='realisation-') as work:
        for path in args.tracks:
            t = measure_track(path, args.seconds, work, args.cli, args.src_root, args.cli_args)
            goal = GOAL_BANDS
            errs = [abs(t['icc_out'][t['active'][:, b], b].mean() - t['asked'][b]) for b in goal if t['active'][:, b].any()]
            print(f'{t["name"]}: lag {t["lag"]}, max |(L+R)/2 - M| {t["mono_error"]:.1e}, '
                  f'mean err over goal bands {np.mean(errs):.3f}', flush=True)
            tracks.append(t)
    rows = per_band(tracks)
    before = None
    if args.compare:
        with open(args.compare) as f:
            before = json.load(f)['bands']
    print(f'\n{len(tracks)} tracks, {args.seconds:.0f} s each; ICC asked = the static oracle profile; '
          f'err = mean over tracks of |mean delivered - asked|; bound = share of tile-bands with coherence(D, M) '
          f'>= {BOUND_COHERENCE}; err_free = err over the other tiles')
    print_table(rows, before)
    if args.save:
        with open(args.save, 'w') as f:
            json.dump({'tracks': [t['name'] for t in tracks], 'seconds': args.seconds, 'bands': rows}, f, indent=1)


if __name__ == '__main__':
    main()
