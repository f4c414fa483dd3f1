"""A mix's style (design section 9): per band the mean ICC and mean |ILD| dB over its honest tiles.

The definition is src/style/style-spec.json (its `description`), the same in src/style/analyse-style.ts
(test/style/style-golden.test.ts checks the two agree within 1e-4): design section 5's tiles (2048-point
periodic Hann at 44.1 kHz, hop a quarter frame, non-overlapping 8-frame tiles, the 24 ERB bands), the
activity rule of evaluate.py, codec-coupled tile-bands left out (codec_coupling.detect), a band with no
honest tile taking the default style's value.

    /usr/bin/python3 training/style.py FILE...     # prints each file's style as JSON
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codec_coupling as CC  # noqa: E402
import features as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
STYLE_SPEC = json.load(open(os.path.join(REPO, 'src', 'style', 'style-spec.json')))
DEFAULT_STYLE = json.load(open(os.path.join(REPO, 'src', 'style', 'presets.json')))['default']
TILE = STYLE_SPEC['tileFrames']
ILD_CAP = F.SPEC['ildCapDb']


class StyleError(ValueError):
    """A mix that has no style (too short or silent); the message says which."""


# Samples beyond this magnitude (+60 dBFS), NaN and Inf count as silence: src/dsp/input-conditioning.ts.
MAX_SAMPLE_MAGNITUDE = 1000.0


def frame_size(sample_rate):
    scale = 2.0 ** F.js_round(math.log2(sample_rate / STYLE_SPEC['baseSampleRate']))
    return int(STYLE_SPEC['baseFrameSize'] * scale)


def hop_size(sample_rate):
    return int(frame_size(sample_rate) * STYLE_SPEC['hopFraction'])


def stft(x, sample_rate):
    """Complex spectra (frames, n/2+1) of x: periodic Hann frames of frame_size, hop_size apart."""
    n, h = frame_size(sample_rate), hop_size(sample_rate)
    count = F.frame_count(len(x), n, h)
    if count == 0:
        return np.zeros((0, n // 2 + 1), dtype=np.complex128)
    idx = np.arange(n)[None, :] + h * np.arange(count)[:, None]
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid='ignore'):  # NaN, Inf and |x| > 1000 count as 0 (the spec; the engine's bad input)
        x = np.where(np.abs(x) <= MAX_SAMPLE_MAGNITUDE, x, 0.0)
    return np.fft.rfft(x[idx] * window[None, :], axis=1)


def tile_sum(per_frame):
    """Sums over non-overlapping tiles of TILE frames, (tiles, ...)."""
    tiles = per_frame.shape[0] // TILE
    return per_frame[:tiles * TILE].reshape((tiles, TILE) + per_frame.shape[1:]).sum(axis=1)


def tile_sums(spec_l, spec_r, sample_rate):
    """Per tile and band: sum|L|^2, sum|R|^2, Re and Im of sum L conj(R), each / N^2."""
    n = frame_size(sample_rate)
    bm = F.band_matrix(sample_rate, n)
    scale = 1.0 / float(n * n)
    cross = spec_l * np.conj(spec_r)
    return (tile_sum((np.abs(spec_l) ** 2) @ bm * scale), tile_sum((np.abs(spec_r) ** 2) @ bm * scale),
            tile_sum((cross.real @ bm) * scale), tile_sum((cross.imag @ bm) * scale))


def tile_cues(pl, pr, cr, ci):
    """ICC, |ILD| dB, active and codec-coupled (tiles, bands) from tile sums (the spec's rules)."""
    icc = np.clip(np.nan_to_num(np.sqrt(cr ** 2 + ci ** 2) / np.sqrt(np.maximum(pl * pr, 1e-300)), nan=1.0), 0.0, 1.0)
    eps = STYLE_SPEC['ildEps']
    ild = np.clip(np.nan_to_num(np.abs(10.0 * np.log10((pl + eps) / (pr + eps))), nan=0.0), 0.0, ILD_CAP)
    power = 0.5 * (pl + pr) / TILE
    level = float(np.mean(np.sum(power, axis=1))) if len(power) else 0.0
    active = (power > STYLE_SPEC['absThreshold']) & (power > STYLE_SPEC['relThreshold'] * level)
    coupled, _ = CC.detect(icc, active, F.band_edges()[:-1])
    return icc, ild, active, coupled


def honest_tiles(left, right, sample_rate):
    """(icc, ild, honest, coupled) per tile and band of a stereo mix (honest = active, not coupled)."""
    pl, pr, cr, ci = tile_sums(stft(left, sample_rate), stft(right, sample_rate), sample_rate)
    icc, ild, active, coupled = tile_cues(pl, pr, cr, ci)
    return icc, ild, active & ~coupled, coupled


def style_of_tiles(icc, ild, honest, fallback=None):
    """Per band mean ICC and |ILD| over honest tiles; bands without one take `fallback`'s (the default)."""
    fallback = fallback or DEFAULT_STYLE
    n = honest.sum(axis=0)
    with np.errstate(invalid='ignore', divide='ignore'):
        mi = (icc * honest).sum(axis=0) / n
        ml = (ild * honest).sum(axis=0) / n
    return {'icc': [float(v) for v in np.where(n > 0, mi, fallback['icc'])],
            'ildDb': [float(v) for v in np.where(n > 0, ml, fallback['ildDb'])]}


def analyse_style(left, right, sample_rate, fallback=None):
    """The style {'icc': [24], 'ildDb': [24]} of a stereo mix; StyleError when too short or silent."""
    left = np.asarray(left, dtype=np.float64)
    right = np.asarray(right, dtype=np.float64)
    if len(left) != len(right):
        raise StyleError(f'the channels differ in length ({len(left)} and {len(right)} samples)')
    need = max(math.ceil(STYLE_SPEC['minSeconds'] * sample_rate), frame_size(sample_rate) + (TILE - 1) * hop_size(sample_rate))
    if len(left) < need:
        raise StyleError(f'the mix is too short for a style: {len(left) / sample_rate:.2f} s, at least '
                         f'{need / sample_rate:.2f} s needed')
    icc, ild, honest, _ = honest_tiles(left, right, sample_rate)
    if not honest.any():
        raise StyleError('the mix is silent: no band of it has any sound to measure a style from')
    return style_of_tiles(icc, ild, honest, fallback)


def style_vector(style):
    """The model's condition vector: the 24 ICCs, then the 24 |ILD|s in dB (src/style/style.ts)."""
    return np.concatenate([np.asarray(style['icc'], dtype=np.float64), np.asarray(style['ildDb'], dtype=np.float64)])


def main():
    import soundfile as sf
    for path in sys.argv[1:]:
        x, sr = sf.read(path, dtype='float64', always_2d=True)
        if x.shape[1] != 2:
            raise SystemExit(f'{path}: {x.shape[1]} channel(s), a style needs a stereo mix')
        s = analyse_style(x[:, 0], x[:, 1], sr)
        print(json.dumps({'icc': [round(v, 5) for v in s['icc']], 'ildDb': [round(v, 4) for v in s['ildDb']]}))


if __name__ == '__main__':
    main()
