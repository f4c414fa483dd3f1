"""Writes test/fixtures/style/style-golden.json: seeded synthetic stereo mixes and their style by style.py.

    /usr/bin/python3 training/style_golden.py

Each mix is a list of sinusoids (the fixture holds them, so the TypeScript test synthesises the same
samples): x[n] = sum_k a_k sin(2 pi f_k n / sr + phi_k) over n in [start_k, end_k), summed in float64 in
list order, then rounded to float32 (as a Float32Array holds it). Per band (numpy seed 9): sinusoids
common to both channels at a per-band pan (ILD), and sinusoids in one channel only (lower ICC); one band
is left silent (its neighbours' sinusoids stay far from it), and the bands from 7.5 kHz up are point
stereo (the channels are scaled copies, as a Vorbis encoder codes them) in the first half of the mix and
real stereo in the second, so the codec-coupling detector has something to find and something to keep.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402
import style as S  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), 'test', 'fixtures', 'style', 'style-golden.json')
SILENT_BAND = 12
COUPLED_FROM_HZ = 7500.0


def components(sr, length, rng):
    edges = F.band_edges()
    out = []
    for b in range(F.BANDS):
        lo, hi = edges[b], min(edges[b + 1], 0.45 * sr)
        if b == SILENT_BAND or lo >= hi:
            continue
        # keep away from the silent band: the neighbours' sinusoids sit in their far halves
        span = (0.1, 0.9) if abs(b - SILENT_BAND) != 1 else ((0.1, 0.5) if b < SILENT_BAND else (0.5, 0.9))
        pan_db = rng.uniform(-8, 8)
        side = rng.uniform(0.0, 1.0)  # share of one-channel sinusoids' amplitude
        g_l, g_r = 10 ** (pan_db / 40), 10 ** (-pan_db / 40)
        freq = lambda: float(lo + (span[0] + (span[1] - span[0]) * rng.uniform()) * (hi - lo))  # noqa: E731
        phase = lambda: float(rng.uniform(0, 2 * np.pi))  # noqa: E731
        amp = 0.05 * rng.uniform(0.5, 1.0)
        coupled = lo >= COUPLED_FROM_HZ
        half = length // 2
        for _ in range(3):
            f, p = freq(), phase()
            out.append({'f': f, 'phase': p, 'left': amp * g_l, 'right': amp * g_r, 'start': 0, 'end': length})
        for _ in range(3):  # one-channel sinusoids; in the coupled bands only in the second half
            for ch in ('left', 'right'):
                c = {'f': freq(), 'phase': phase(), 'left': 0.0, 'right': 0.0, 'start': half if coupled else 0,
                     'end': length}
                c[ch] = amp * side
                out.append(c)
    return out


def synthesise(comps, sr, length):
    n = np.arange(length, dtype=np.float64)
    left, right = np.zeros(length), np.zeros(length)
    for c in comps:
        s = slice(c['start'], c['end'])
        x = np.sin(2 * np.pi * c['f'] * n[s] / sr + c['phase'])
        left[s] += c['left'] * x
        right[s] += c['right'] * x
    return left.astype(np.float32).astype(np.float64), right.astype(np.float32).astype(np.float64)


def main():
    rng = np.random.default_rng(9)
    cases = []
    for sr, seconds in ((44100, 3.0), (22050, 2.0)):
        length = int(sr * seconds)
        comps = components(sr, length, rng)
        left, right = synthesise(comps, sr, length)
        icc, ild, honest, coupled = S.honest_tiles(left, right, sr)
        style = S.analyse_style(left, right, sr)
        cases.append({'sampleRate': sr, 'length': length, 'components': comps, 'style': style,
                      'honestTiles': honest.sum(axis=0).tolist(), 'coupledTiles': coupled.sum(axis=0).tolist()})
        print(f'{sr} Hz: honest tiles per band {honest.sum(axis=0).tolist()}, coupled {coupled.sum(axis=0).tolist()}')
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'description': __doc__.split('\n\n')[1].replace('\n', ' '), 'tolerance': 1e-4,
                   'silentBand': SILENT_BAND, 'cases': cases}, f, separators=(',', ':'))
    print(f'{OUT}: {os.path.getsize(OUT)} bytes')


if __name__ == '__main__':
    main()
