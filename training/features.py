"""Features and cue targets from the shared feature spec (src/model/feature-spec.json).

The spec is the single source of truth: every constant below is read from it. The same definition is
implemented in TypeScript; test/fixtures/model/features-golden.json (written by export.py from this
module) checks that the two agree.
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SPEC_PATH = os.path.join(REPO, 'src', 'model', 'feature-spec.json')


def load_spec(path=SPEC_PATH):
    with open(path) as f:
        spec = json.load(f)
    assert spec['window'] == 'sqrt-hann-periodic', spec['window']
    assert spec['windowFrames'] == spec['contextFrames'] + 1 + spec['lookaheadFrames']
    assert spec['targetRow'] == spec['contextFrames']
    return spec


SPEC = load_spec()
BANDS = SPEC['bandCount']
FLOOR = SPEC['powerFloor']


def js_round(x):
    """Math.round of JavaScript (halves go up), so Python and TypeScript pick the same frame size."""
    return math.floor(x + 0.5)


def frame_size(sample_rate, spec=SPEC):
    scale = 2.0 ** js_round(math.log2(sample_rate / spec['baseSampleRate']))
    return int(spec['baseFrameSize'] * scale)


def hop_size(sample_rate, spec=SPEC):
    return int(frame_size(sample_rate, spec) * spec['hopFraction'])


def window(n):
    i = np.arange(n, dtype=np.float64)
    return np.sqrt(0.5 - 0.5 * np.cos(2.0 * np.pi * i / n))


def erb_rate(f):
    return 21.4 * np.log10(1.0 + 0.00437 * f)


def erb_rate_to_hz(rate):
    return (10.0 ** (rate / 21.4) - 1.0) / 0.00437


def band_edges(spec=SPEC):
    count = spec['bandCount']
    lo = erb_rate(float(spec['bandLowHz']))
    hi = erb_rate(float(spec['bandHighHz']))
    return np.array([erb_rate_to_hz(lo + (hi - lo) * i / count) for i in range(count + 1)])


def band_of_bin(sample_rate, n, spec=SPEC):
    """Band index of each of the n/2+1 bins (loop as in the TypeScript BandLayout)."""
    edges = band_edges(spec)
    last = spec['bandCount'] - 1
    bin_hz = sample_rate / n
    out = np.zeros(n // 2 + 1, dtype=np.int64)
    for k in range(n // 2 + 1):
        f = k * bin_hz
        b = 0
        while b < last and f >= edges[b + 1]:
            b += 1
        out[k] = b
    return out


def band_matrix(sample_rate, n, spec=SPEC):
    """(bins, bands) 0/1 matrix: power per band = |X|^2 @ matrix."""
    bob = band_of_bin(sample_rate, n, spec)
    m = np.zeros((len(bob), spec['bandCount']))
    m[np.arange(len(bob)), bob] = 1.0
    return m


def frame_count(length, n, h):
    return 0 if length < n else 1 + (length - n) // h


def stft(x, sample_rate, spec=SPEC):
    """Complex spectra (frames, n/2+1) of x with the spec's framing and window (float64, no scaling)."""
    n = frame_size(sample_rate, spec)
    h = hop_size(sample_rate, spec)
    count = frame_count(len(x), n, h)
    if count == 0:
        return np.zeros((0, n // 2 + 1), dtype=np.complex128)
    idx = np.arange(n)[None, :] + h * np.arange(count)[:, None]
    frames = np.asarray(x, dtype=np.float64)[idx] * window(n)[None, :]
    return np.fft.rfft(frames, axis=1)


def band_powers(spectra, sample_rate, spec=SPEC):
    """Normalised band powers P_b / N^2, (frames, bands)."""
    n = frame_size(sample_rate, spec)
    p = spectra.real ** 2 + spectra.imag ** 2
    return (p @ band_matrix(sample_rate, n, spec)) / float(n * n)


NEFF_EPS = 1e-30  # keeps silent bands at one effective bin (log10 1 = 0)


def effective_bins(spectra, sample_rate, spec=SPEC):
    """log10 of the effective number of bins per band, (sum_k p_k)^2 / sum_k p_k^2 with p = |X_k|^2 / N^2
    (1 when one bin holds all the band's power, the band's bin count when all are equal): how many
    independent components a band's measured ICC averages over. (frames, bands), float64."""
    n = frame_size(sample_rate, spec)
    p = (spectra.real ** 2 + spectra.imag ** 2) / float(n * n)
    bm = band_matrix(sample_rate, n, spec)
    s1 = p @ bm
    s2 = (p * p) @ bm
    return np.log10((s1 * s1 + NEFF_EPS) / (s2 + NEFF_EPS))


def log_features(powers, spec=SPEC):
    """The model's input features from normalised band powers."""
    return np.log10(powers + spec['powerFloor'])


def features(mono, sample_rate, spec=SPEC):
    """log10 band features (frames, bands) of a mono signal, float64: exactly what TypeScript computes."""
    return log_features(band_powers(stft(mono, sample_rate, spec), sample_rate, spec), spec)


TILE_BEFORE = 3  # a target tile for frame t covers frames t-3 .. t+4 (8 frames)
TILE_AFTER = 4


def tile_sums(per_frame):
    """Sums over the tile t-3..t+4 for each frame t, (frames, ...); tiles that run off the ends are NaN."""
    count = per_frame.shape[0]
    out = np.full(per_frame.shape, np.nan)
    c = np.concatenate([np.zeros((1,) + per_frame.shape[1:]), np.cumsum(per_frame, axis=0)], axis=0)
    lo = np.arange(count) - TILE_BEFORE
    hi = np.arange(count) + TILE_AFTER + 1
    ok = (lo >= 0) & (hi <= count)
    out[ok] = c[hi[ok]] - c[lo[ok]]
    return out


def cue_sums(spec_l, spec_r, sample_rate, spec=SPEC):
    """Per frame and band: sum|L|^2, sum|R|^2 and sum L conj(R) (complex), normalised by N^2."""
    n = frame_size(sample_rate, spec)
    bm = band_matrix(sample_rate, n, spec)
    scale = 1.0 / float(n * n)
    pl = (spec_l.real ** 2 + spec_l.imag ** 2) @ bm * scale
    pr = (spec_r.real ** 2 + spec_r.imag ** 2) @ bm * scale
    cross = spec_l * np.conj(spec_r)
    cr = (cross.real @ bm) * scale
    ci = (cross.imag @ bm) * scale
    return pl, pr, cr, ci


# Silence masks: a tile/band is active when its mean power per frame (average of L and R, normalised
# by N^2 as the features are) is above an absolute floor (about -90 dB re a full-scale sine's band
# power) and no more than 60 dB below the track's mean total power per frame.
ABS_THRESHOLD = 1e-9
REL_THRESHOLD = 1e-6
ILD_EPS = 1e-12
ILD_CAP = SPEC['ildCapDb']


def cues_from_sums(pl, pr, cr, ci, frames_per_tile=8, track_level=None):
    """ICC, |ILD| dB and activity mask from tile sums (tiles, bands). track_level: mean total power per
    frame of the track (same normalisation); if None it is computed from these sums."""
    icc = np.sqrt(cr ** 2 + ci ** 2) / np.sqrt(np.maximum(pl * pr, 1e-300))
    icc = np.clip(np.nan_to_num(icc, nan=1.0), 0.0, 1.0)
    ild = np.abs(10.0 * np.log10((pl + ILD_EPS) / (pr + ILD_EPS)))
    ild = np.clip(np.nan_to_num(ild, nan=0.0), 0.0, ILD_CAP)
    power = 0.5 * (pl + pr) / frames_per_tile
    if track_level is None:
        track_level = np.nanmean(np.nansum(power, axis=1))
    finite = np.isfinite(power)
    active = finite & (np.nan_to_num(power) > ABS_THRESHOLD) & (np.nan_to_num(power) > REL_THRESHOLD * track_level)
    return icc, ild, active


def targets(left, right, sample_rate, spec=SPEC):
    """Per-frame model inputs and targets of one stereo track.

    Returns (mono band powers (frames, bands), icc, ild_db, active), where targets for frame t come from
    the 8-frame tile t-3..t+4 of the real L and R spectra; tiles running off the ends are inactive.
    """
    sl = stft(left, sample_rate, spec)
    sr_ = stft(right, sample_rate, spec)
    mono_powers = band_powers(0.5 * (sl + sr_), sample_rate, spec)
    pl, pr, cr, ci = cue_sums(sl, sr_, sample_rate, spec)
    frame_level = np.mean(np.sum(0.5 * (pl + pr), axis=1)) if len(pl) else 0.0
    tl, tr, tcr, tci = (tile_sums(a) for a in (pl, pr, cr, ci))
    icc, ild, active = cues_from_sums(tl, tr, tcr, tci, 8, frame_level)
    return mono_powers, icc, ild, active
