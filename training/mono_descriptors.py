"""Per-track descriptors of the mono signal M = (L+R)/2 that need the waveform, not the model's 24 band
energies (issue 7: finer bands, tonality, modulation, comb filtering), for `profile_ridge.py
--descriptors`:

    /usr/bin/python3 training/mono_descriptors.py        # fills training/cache/probe7-desc/<id>.npz

Each track is decoded again from its file (the manifest's `path`, with dataset.load_stereo: soundfile,
at most 150 s, resampled to 44.1 kHz, as the corpus was built), and described per window of 1100
frames of the feature framing (1024-point frames, hop 512: 563,712 samples, 12.8 s, about the model's
11.9 s of memory), back to back from the start: window 0 is the span profile_ridge.py's band statistics
use; `profile_ridge.py --windows` uses them all (up to 11 per track; a last partial window is left
out). A check per window: the 24 band powers of this M equal the corpus's stored `powers` (printed as
the largest relative difference). Groups (each an array in the .npz, switched on by name in profile_ridge.py):

- `fine48`, `fine96`: log10 power on 48 or 96 ERB-spaced bands (60 Hz - 18 kHz, 4096-point Hann, hop
  1024), per band the mean minus its mean over bands (shape), the std over frames and the mean
  |frame-to-frame change| (3 x bands numbers);
- `tonal`: per band of the 24 (4096-point frames: 10.8 Hz bins), the power-weighted mean over frames of
  the spectral flatness (log10 of geometric / arithmetic mean power over the band's bins), the share of
  the band's power in its strongest eighth of bins (at least one), and the steadiness of the band's
  magnitude spectrum (cosine similarity between frames 2 hops = 46 ms apart: steady partials give ~1);
- `mod`: per band of the 24, the modulation depth of the band's amplitude envelope (1024-point sqrt-Hann,
  hop 256, 172 Hz envelope rate; 512-row Hann segments, 3 s) in 0.5-3, 3-10 and 10-25 Hz: log10 of the
  envelope's fluctuation power in that range over its squared mean (tremolo, chorus or detune beating);
- `mod24` (not cached: profile_ridge.py computes it from the stored features): the same from the
  model's own 24 log band energies (hop 512, 86 Hz envelope, 256-row segments), which the graph could
  compute from the window it already gets, without new features in TypeScript;
- `comb`: real cepstrum of M (4096-point Hann, hop 2048), averaged over sound frames, and the
  normalised autocorrelation of M (from the mean power spectrum), each as its maximum in 12
  log-spaced lag ranges from 0.3 to 30 ms (a mono sum of channels with an inter-channel delay has
  notches at a regular spacing: a cepstral / autocorrelation peak at that delay); 24 numbers;
- `misc`: onset density (per second), harmonicity (mean and std over sound frames of the largest
  normalised autocorrelation at 2-20 ms), share of power below 200 Hz, dynamic range (95th - 10th
  percentile of the frame level, dB), waveform crest factor (dB), spectral centroid (log10 Hz, mean
  and std), zero-crossing rate, share of sound frames; 10 numbers.

Frames count as sound when their total power is within 60 dB of the span's mean (the corpus's activity
rule); a track that is silent for the whole span gets zeros.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset as D  # noqa: E402  (first: it sets one BLAS thread per worker process before numpy loads)
import features as F  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
CACHE = os.path.join(HERE, 'cache', 'probe7-desc')
SR = 44100
FRAMES = 1100  # profile_ridge.py's span, in feature frames
SAMPLES = (FRAMES - 1) * 512 + 1024
GROUPS = ('fine48', 'fine96', 'tonal', 'mod', 'comb', 'misc')
FEATURE_GROUPS = ('mod24',)  # from the corpus's stored band powers, computed by profile_ridge.py
TINY = 1e-12
LAG_EDGES_MS = np.geomspace(0.3, 30.0, 13)
MOD_RANGES_HZ = ((0.5, 3.0), (3.0, 10.0), (10.0, 25.0))


def hann_frames(x, n, hop, sqrt=False):
    """(frames, n) Hann-windowed frames of x (periodic Hann, or its square root)."""
    count = F.frame_count(len(x), n, hop)
    idx = np.arange(n)[None, :] + hop * np.arange(count)[:, None]
    w = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)
    return x[idx] * (np.sqrt(w) if sqrt else w)[None, :]


def erb_edges(count):
    lo, hi = F.erb_rate(60.0), F.erb_rate(18000.0)
    return F.erb_rate_to_hz(lo + (hi - lo) * np.arange(count + 1) / count)


def band_index(n, edges):
    """Band of each rfft bin (bins below the first edge in band 0, above the last in the top band)."""
    f = np.arange(n // 2 + 1) * SR / n
    return np.clip(np.searchsorted(edges[1:-1], f, side='right'), 0, len(edges) - 2)


def sound_frames(total_power):
    level = total_power.mean()
    return (total_power > 1e-9) & (total_power > 1e-6 * level)


def shape_stats(logp, sound):
    """Per band mean (minus the mean over bands), std and mean |change| over sound frames."""
    if sound.sum() < 2:
        return np.zeros(3 * logp.shape[1])
    x = logp[sound]
    mean = x.mean(axis=0)
    return np.concatenate([mean - mean.mean(), x.std(axis=0), np.abs(np.diff(x, axis=0)).mean(axis=0)])


def fine_bands(power, sound, count):
    bi = band_index(4096, erb_edges(count))
    bp = np.zeros((power.shape[0], count))
    for b in range(count):
        sel = bi == b
        if sel.any():
            bp[:, b] = power[:, sel].sum(axis=1)
    return shape_stats(np.log10(bp + 1e-10), sound)


def tonality(power, sound):
    bi = band_index(4096, F.band_edges())
    mag = np.sqrt(power)
    flat, peak, steady = (np.zeros(F.BANDS) for _ in range(3))
    if sound.sum() < 3:
        return np.zeros(3 * F.BANDS)
    for b in range(F.BANDS):
        p = power[:, bi == b]
        tot = p.sum(axis=1)
        wgt = tot * sound
        wsum = wgt.sum() + TINY
        k = p.shape[1]
        fl = np.log10((np.exp(np.log(p + TINY).mean(axis=1)) + TINY) / (p.mean(axis=1) + TINY))
        top = max(1, k // 8)
        pk = np.sort(p, axis=1)[:, -top:].sum(axis=1) / (tot + TINY)
        m = mag[:, bi == b]
        dot = (m[2:] * m[:-2]).sum(axis=1)
        cos = dot / (np.sqrt((m[2:] ** 2).sum(axis=1) * (m[:-2] ** 2).sum(axis=1)) + TINY)
        flat[b] = (fl * wgt).sum() / wsum
        peak[b] = (pk * wgt).sum() / wsum
        w2 = np.sqrt(wgt[2:] * wgt[:-2])
        steady[b] = (cos * w2).sum() / (w2.sum() + TINY)
    return np.concatenate([flat, peak, steady])


def modulation(m):
    fr = hann_frames(m, 1024, 256, sqrt=True)
    bp = (np.abs(np.fft.rfft(fr, axis=1)) ** 2) @ F.band_matrix(SR, 1024)
    return envelope_modulation(np.sqrt(bp), SR / 256, 512)  # amplitude envelope per band, 172.3 Hz


def feature_modulation(logp):
    """`mod24`: the `mod` measures from the model's own features (log10 band powers, hop 512: an 86 Hz
    envelope, 256-row segments), i.e. what the graph could compute from the window it already gets."""
    return envelope_modulation(np.sqrt(10.0 ** logp), SR / 512, 256)


def envelope_modulation(env, rate, seg):
    """log10 modulation depth per range of MOD_RANGES_HZ and band: fluctuation power of the envelope in
    that range over its squared mean, averaged over half-overlapping Hann segments of seg rows."""
    hop = seg // 2
    f = np.fft.rfftfreq(seg, 1.0 / rate)
    w = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(seg) / seg)
    sums = np.zeros((len(MOD_RANGES_HZ), F.BANDS))
    count = 0
    for s in range(0, env.shape[0] - seg + 1, hop):
        e = env[s:s + seg]
        mu = e.mean(axis=0)
        spec = np.abs(np.fft.rfft((e - mu) * w[:, None], axis=0)) ** 2 / (w ** 2).sum()
        for i, (lo, hi) in enumerate(MOD_RANGES_HZ):
            sel = (f >= lo) & (f < hi)
            sums[i] += spec[sel].sum(axis=0) / seg / (mu ** 2 + TINY) * (mu > 1e-6)
        count += 1
    return np.log10(sums / max(count, 1) + 1e-6).ravel()


def comb(m):
    fr = hann_frames(m, 4096, 2048)
    spec = np.abs(np.fft.rfft(fr, axis=1)) ** 2
    tot = spec.sum(axis=1)
    snd = (tot > 1e-9 * 4096 ** 2) & (tot > 1e-6 * tot.mean())
    if snd.sum() < 2:
        return np.zeros(2 * (len(LAG_EDGES_MS) - 1))
    ceps = np.fft.irfft(np.log(spec[snd] + 1e-10 * tot[snd, None] / spec.shape[1] + TINY), axis=1).mean(axis=0)
    ac = np.fft.irfft(spec[snd].mean(axis=0))
    ac = ac / (ac[0] + TINY)
    lags = (LAG_EDGES_MS * 1e-3 * SR).astype(int)
    out = []
    for series in (ceps, ac):
        out += [series[lags[i]:max(lags[i + 1], lags[i] + 1)].max() for i in range(len(lags) - 1)]
    return np.array(out)


def misc(m, power, sound):
    hop_s = 1024 / SR
    f = np.fft.rfftfreq(4096, 1.0 / SR)
    logp = np.log10(power + 1e-10)
    flux = np.maximum(np.diff(logp, axis=0), 0.0).mean(axis=1)
    thr = np.median(flux) + 2.0 * flux.std()
    onsets = int(np.sum((flux[1:-1] > thr) & (flux[1:-1] >= flux[:-2]) & (flux[1:-1] >= flux[2:])))
    tot = power.sum(axis=1)
    level_db = 10.0 * np.log10(tot + 1e-12)
    fr = hann_frames(m, 2048, 1024)
    ac = np.fft.irfft(np.abs(np.fft.rfft(fr, n=4096, axis=1)) ** 2, axis=1)
    lo, hi = int(0.002 * SR), int(0.020 * SR)
    harm = ac[:, lo:hi].max(axis=1) / (ac[:, 0] + TINY)
    hsnd = (ac[:, 0] > 1e-9) & (ac[:, 0] > 1e-6 * ac[:, 0].mean())
    s = sound if sound.sum() >= 2 else np.ones_like(sound)
    centroid = np.log10((power @ f) / (tot + TINY) + 1.0)
    rms = np.sqrt(np.mean(m ** 2)) + TINY
    return np.array([
        onsets / (len(flux) * hop_s),
        harm[hsnd].mean() if hsnd.any() else 0.0,
        harm[hsnd].std() if hsnd.any() else 0.0,
        power[s][:, f < 200.0].sum() / (power[s].sum() + TINY),
        np.percentile(level_db[s], 95) - np.percentile(level_db[s], 10),
        20.0 * np.log10(np.abs(m).max() / rms + TINY),
        centroid[s].mean(),
        centroid[s].std(),
        np.mean(np.abs(np.diff(np.signbit(m).astype(np.int8)))),
        sound.mean(),
    ])


def describe(m):
    """All groups of one mono span (float64, 44.1 kHz): {group: 1-D array}."""
    fr = hann_frames(m, 4096, 1024)
    power = np.abs(np.fft.rfft(fr, axis=1)) ** 2 / 4096.0 ** 2
    sound = sound_frames(power.sum(axis=1))
    return {
        'fine48': fine_bands(power, sound, 48),
        'fine96': fine_bands(power, sound, 96),
        'tonal': tonality(power, sound),
        'mod': modulation(m),
        'comb': comb(m),
        'misc': misc(m, power, sound),
    }


def cache_path(record):
    return os.path.join(CACHE, os.path.basename(record['file']))


def build(record):
    lr, reason = D.load_stereo(record['path'])
    if lr is None:
        raise RuntimeError(f'{record["name"]}: {reason}')
    mono = 0.5 * (lr[0] + lr[1])
    stored = np.load(os.path.join(DATA, record['file']))['powers'].astype(np.float64)
    windows = max(1, stored.shape[0] // FRAMES)
    per_window = {g: [] for g in GROUPS}
    check = 0.0
    for w in range(windows):
        m = mono[w * FRAMES * 512:w * FRAMES * 512 + SAMPLES]
        mine = F.band_powers(F.stft(m, SR), SR)
        ref = stored[w * FRAMES:w * FRAMES + mine.shape[0]]
        check = max(check, float(np.max(np.abs(mine - ref) / (ref + 1e-9))))
        for g, v in describe(m).items():
            per_window[g].append(v)
    np.savez(cache_path(record), check=check, **{g: np.array(v) for g, v in per_window.items()})
    return record['name'], check


def load(record, groups, window=0):
    """The chosen groups of one track, concatenated: of one window (0: the first 12.8 s), or of every
    window (window=None: (windows, columns)). The cache must have been built."""
    d = np.load(cache_path(record))
    if window is None:
        count = d[GROUPS[0]].shape[0]
        return np.concatenate([d[g] for g in groups], axis=1) if groups else np.zeros((count, 0))
    return np.concatenate([d[g][window] for g in groups]) if groups else np.zeros(0)


def main():
    import argparse
    from multiprocessing import Pool
    ap = argparse.ArgumentParser()
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--force', action='store_true', help='recompute tracks already cached')
    args = ap.parse_args()
    os.makedirs(CACHE, exist_ok=True)
    manifest = json.load(open(os.path.join(DATA, 'manifest.json')))['tracks']
    todo = [r for r in manifest if 'skipped' not in r and (args.force or not os.path.exists(cache_path(r)))]
    t0 = time.time()
    worst = 0.0
    with Pool(args.jobs) as pool:
        for name, check in pool.imap_unordered(build, todo):
            worst = max(worst, check)
    print(f'descriptors of {len(todo)} tracks in {time.time() - t0:.0f} s; largest relative difference of '
          f'the 24 band powers to the corpus: {worst:.2e}')


if __name__ == '__main__':
    main()
