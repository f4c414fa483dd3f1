"""Detects codec-coupled bands (Vorbis point / intensity stereo) in a stereo track's cue tiles (numpy only).

At moderate bit rates a Vorbis (or similar) encoder codes the channels above a cutoff frequency as one
signal with two scale curves: the two channels of each band there become scaled copies, so the measured
ICC of the band is ~1 in every tile, whatever the original mix was. Such tile-bands measure the encoder,
not the mix: they are not targets (design section 4).

Signature used here (per track, then per tile):
- track-level cutoff: the lowest band c with lower edge >= MIN_CUTOFF_HZ such that the share of active
  tiles with ICC >= HIGH_ICC is at least TRACK_SHARE on average over bands c..top, at least HALF_SHARE in
  band c itself, and exceeds the share in the bands just below c (c-4 .. c-2; c-1 may be partly coupled)
  by at least JUMP. libvorbis couples a band point-wise only where the residue is small, so above the
  cutoff typically 40-90% of the tiles are coupled, the rest are real stereo: from c up, a tile-band is
  coupled when its ICC >= TILE_ICC; in band c-1 (the cutoff may fall inside it) when its ICC >= HIGH_ICC.
- tile-level run (the encoder may switch per block): in any tile, when every active band from some band
  c_t (lower edge >= MIN_TILE_CUTOFF_HZ, at least MIN_RUN bands up to the top) has ICC >= RUN_ICC while the
  band just below has ICC < RUN_ICC - RUN_DROP, bands c_t.. are coupled in that tile.
A band whose ICC is high because the mix is narrow there but varies from tile to tile, or a truly panned
band (several sources at different positions, ICC well below 1), is left alone.
"""
import json
import os

import numpy as np

# The thresholds are part of the style definition too (a reference mix's coupled tile-bands are left out):
# one copy, in src/style/style-spec.json, read here and by src/style/codec-coupling.ts.
_SPEC = json.load(open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'src', 'style',
                                    'style-spec.json')))['codecCoupling']
MIN_CUTOFF_HZ = float(_SPEC['minCutoffHz'])
HIGH_ICC = _SPEC['highIcc']
TILE_ICC = _SPEC['tileIcc']
TRACK_SHARE = _SPEC['trackShare']
HALF_SHARE = _SPEC['halfShare']
JUMP = _SPEC['jump']
MIN_TILE_CUTOFF_HZ = float(_SPEC['minTileCutoffHz'])
MIN_RUN = _SPEC['minRun']
RUN_ICC = _SPEC['runIcc']
RUN_DROP = _SPEC['runDrop']


def track_cutoff(icc, active, band_lo_hz):
    """Index of the track's coupling cutoff band, or None. icc, active: (tiles, bands)."""
    icc = np.asarray(icc, dtype=np.float64)
    active = np.asarray(active, dtype=bool)
    bands = icc.shape[1]
    n = active.sum(axis=0)
    high = ((icc >= HIGH_ICC) & active).sum(axis=0)
    share = np.where(n > 0, high / np.maximum(n, 1), np.nan)
    for c in range(1, bands):
        if band_lo_hz[c] < MIN_CUTOFF_HZ:
            continue
        above = share[c:]
        above = above[np.isfinite(above)]
        if len(above) == 0 or not np.isfinite(share[c]):
            continue
        below = share[max(0, c - 4): max(0, c - 1)]
        below = below[np.isfinite(below)]
        base = below.mean() if len(below) else 0.0
        if above.mean() >= TRACK_SHARE and share[c] >= HALF_SHARE and above.mean() - base >= JUMP:
            return c
    return None


def detect(icc, active, band_lo_hz):
    """Coupled tile-bands (tiles, bands) bool and the track-level cutoff band (or None).

    icc: ICC per tile and band (0..1); active: tile-bands with enough power (only those are judged);
    band_lo_hz: lower edge of each band in Hz.
    """
    icc = np.asarray(icc, dtype=np.float64)
    active = np.asarray(active, dtype=bool)
    band_lo_hz = np.asarray(band_lo_hz, dtype=np.float64)
    tiles, bands = icc.shape
    coupled = np.zeros((tiles, bands), dtype=bool)
    if tiles == 0:
        return coupled, None
    c = track_cutoff(icc, active, band_lo_hz)
    if c is not None:
        coupled[:, c:] = icc[:, c:] >= TILE_ICC
        coupled[:, c - 1] = icc[:, c - 1] >= HIGH_ICC
    # Tile-level runs of ICC ~1 up to the top band, with a clear step below them.
    hi = (icc >= RUN_ICC) | ~active
    # run_from[t, b]: every band b..top is high (or inactive) in tile t
    run_from = np.flip(np.cumprod(np.flip(hi, axis=1), axis=1), axis=1).astype(bool)
    first_ok = int(np.searchsorted(band_lo_hz, MIN_TILE_CUTOFF_HZ))
    for b in range(max(first_ok, 1), bands - MIN_RUN + 1):
        start = run_from[:, b] & active[:, b] & (active[:, b:].sum(axis=1) >= MIN_RUN)
        start &= active[:, b - 1] & (icc[:, b - 1] < RUN_ICC - RUN_DROP)
        if start.any():
            rows = np.nonzero(start)[0]
            coupled[np.ix_(rows, np.arange(b, bands))] |= True
    coupled &= active
    return coupled, c
