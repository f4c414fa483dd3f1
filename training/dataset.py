"""Builds the training data set from Debian packages of free games (design section 4), in one command:

    /usr/bin/python3 training/dataset.py

1. `apt-get download` the packages into training/cache/debs (skipped when the .deb is there);
2. `dpkg-deb -x` each into training/cache/unpacked/<package>;
3. finds the music tracks (audio files in a `music` folder; SuperTuxKart also keeps track music in
   data/tracks/<track>/, taken when the file is at least 1 MB), drops byte-identical duplicates
   (SuperTux and SuperTuxKart share some tracks);
4. decodes each with soundfile (at most MAX_SECONDS from the start), keeps stereo tracks of at least
   MIN_SECONDS, resamples to 44.1 kHz, drops near-mono tracks (L/R correlation > MONO_CORRELATION);
5. writes per track training/data/tracks/<id>.npz: mono band powers (frames, 24) and the targets
   icc, ild_db, active (frames, 24) of features.targets(); and training/data/manifest.json and
   training/data/split.json (held-out tracks chosen by a seeded hash of the track name, versions of one
   tune kept together: see split_key).
"""
import os

# One BLAS/FFT thread per worker process: the pool gives the parallelism (oversubscribing 2 cores with
# BLAS threads spent most of the time in the kernel).
for _v in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_v, '1')

import argparse  # noqa: E402
import glob
import hashlib
import json
import math
import subprocess
import sys
import time
from multiprocessing import Pool

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, 'cache')
DATA = os.path.join(HERE, 'data')
PACKAGES = [
    'wesnoth-1.16-music',
    'supertux-data',
    'hedgewars-data',
    'widelands-data',
    'megaglest-data',
    'supertuxkart-data',
]
AUDIO_EXTENSIONS = ('.ogg', '.oga', '.opus', '.flac', '.wav', '.mp3')
SAMPLE_RATE = 44100
MAX_SECONDS = 240.0
MIN_SECONDS = 20.0
MONO_CORRELATION = 0.995
HELD_OUT_FRACTION = 0.15
SPLIT_SEED = 'mono-upmix-split-v1'


def log(*args):
    print(*args, flush=True)


def download(packages):
    debs = os.path.join(CACHE, 'debs')
    os.makedirs(debs, exist_ok=True)
    missing = [p for p in packages if not glob.glob(os.path.join(debs, p + '_*.deb'))]
    if missing:
        log('downloading', ' '.join(missing))
        subprocess.run(['apt-get', 'download'] + missing, cwd=debs, check=True)
    return {p: sorted(glob.glob(os.path.join(debs, p + '_*.deb')))[-1] for p in packages}


def unpack(package, deb):
    root = os.path.join(CACHE, 'unpacked', package)
    marker = os.path.join(root, '.unpacked-from')
    if os.path.exists(marker) and open(marker).read() == os.path.basename(deb):
        return root
    log('unpacking', os.path.basename(deb))
    os.makedirs(root, exist_ok=True)
    subprocess.run(['dpkg-deb', '-x', deb, root], check=True)
    with open(marker, 'w') as f:
        f.write(os.path.basename(deb))
    return root


def is_music(rel, size):
    parts = [p.lower() for p in rel.split('/')]
    if not rel.lower().endswith(AUDIO_EXTENSIONS):
        return False
    if 'music' in parts[:-1]:
        return True
    return 'supertuxkart' in parts and 'tracks' in parts and size >= 1_000_000


def find_tracks(roots):
    """(name, path) of every music file, byte-identical duplicates dropped (first in sorted order kept)."""
    found = []
    for package, root in sorted(roots.items()):
        for dirpath, _, files in os.walk(root):
            for fn in files:
                path = os.path.join(dirpath, fn)
                rel = os.path.relpath(path, root)
                if os.path.islink(path) or not is_music(rel, os.path.getsize(path)):
                    continue
                found.append((package + '/' + rel, path))
    found.sort()
    seen = {}
    tracks = []
    duplicates = []
    for name, path in found:
        digest = hashlib.sha1(open(path, 'rb').read()).hexdigest()
        if digest in seen:
            duplicates.append((name, seen[digest]))
            continue
        seen[digest] = name
        tracks.append((name, path))
    return tracks, duplicates


# Versions of one tune (SuperTuxKart's "_fast" last-lap versions, Wesnoth's "-old" ones, remixes, map
# variants) must fall on the same side of the split, as must same-named files of different games: the
# split key is the file's stem without these suffixes and without the package.
VERSION_SUFFIXES = ('_fast', '-old', '_old', '_f', '_map', '_remix', '_remake', '-2', '_2', '_sd', '_1')


def split_key(name):
    stem = os.path.splitext(os.path.basename(name))[0].lower()
    changed = True
    while changed:
        changed = False
        for suffix in VERSION_SUFFIXES:
            if stem.endswith(suffix) and len(stem) > len(suffix):
                stem = stem[: -len(suffix)]
                changed = True
    return stem


def is_held_out(name):
    h = hashlib.sha256((SPLIT_SEED + ':' + split_key(name)).encode()).hexdigest()
    return int(h[:8], 16) / 2 ** 32 < HELD_OUT_FRACTION


def track_id(name):
    return hashlib.sha1(name.encode()).hexdigest()[:12]


def load_stereo(path, max_seconds=MAX_SECONDS):
    """(L, R) float64 at 44.1 kHz, at most max_seconds; None with a reason when not usable."""
    info = sf.info(path)
    if info.channels != 2:
        return None, f'{info.channels} channel(s)'
    if info.duration < MIN_SECONDS:
        return None, f'shorter than {MIN_SECONDS:.0f} s ({info.duration:.1f} s)'
    frames = int(min(info.frames, max_seconds * info.samplerate)) if max_seconds else -1
    x, sr = sf.read(path, frames=frames, dtype='float64', always_2d=True)
    if sr != SAMPLE_RATE:
        g = math.gcd(SAMPLE_RATE, sr)
        x = resample_poly(x, SAMPLE_RATE // g, sr // g, axis=0)
    return (x[:, 0].copy(), x[:, 1].copy()), None


def correlation(left, right):
    den = math.sqrt(float(np.dot(left, left)) * float(np.dot(right, right)))
    return float(np.dot(left, right)) / den if den > 0 else 1.0


def process(job):
    rec = build_track(job)
    with open(job[2][:-4] + '.json', 'w') as f:
        json.dump(rec, f)
    return rec


def build_track(job):
    name, path, out = job
    t0 = time.time()
    try:
        lr, reason = load_stereo(path)
    except Exception as e:  # a file libsndfile cannot read is skipped, with the reason
        return {'name': name, 'path': path, 'skipped': f'decode error: {e}'}
    if lr is None:
        return {'name': name, 'path': path, 'skipped': reason}
    left, right = lr
    corr = correlation(left, right)
    rec = {'name': name, 'path': path, 'seconds': round(len(left) / SAMPLE_RATE, 2), 'lrCorrelation': round(corr, 5)}
    if corr > MONO_CORRELATION:
        rec['skipped'] = f'near mono (L/R correlation {corr:.4f} > {MONO_CORRELATION})'
        return rec
    powers, icc, ild, active = F.targets(left, right, SAMPLE_RATE)
    np.savez_compressed(out, powers=powers.astype(np.float32), icc=icc.astype(np.float32),
                        ild_db=ild.astype(np.float32), active=active)
    rec['frames'] = int(powers.shape[0])
    rec['activeShare'] = round(float(active.mean()), 4)
    rec['file'] = os.path.relpath(out, DATA)
    rec['buildSeconds'] = round(time.time() - t0, 1)
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--rebuild', action='store_true', help='recompute tracks that are already built')
    args = ap.parse_args()
    t0 = time.time()
    debs = download(PACKAGES)
    roots = {p: unpack(p, d) for p, d in debs.items()}
    tracks, duplicates = find_tracks(roots)
    log(f'{len(tracks)} music files ({len(duplicates)} byte-identical duplicates dropped)')
    os.makedirs(os.path.join(DATA, 'tracks'), exist_ok=True)
    jobs = []
    cached = []
    for name, path in tracks:
        out = os.path.join(DATA, 'tracks', track_id(name) + '.npz')
        jobs.append((name, path, out))
    manifest_path = os.path.join(DATA, 'manifest.json')
    todo = []
    for job in jobs:
        sidecar = job[2][:-4] + '.json'
        prev = json.load(open(sidecar)) if os.path.exists(sidecar) and not args.rebuild else None
        if prev and prev.get('name') == job[0] and ('skipped' in prev or os.path.exists(job[2])):
            cached.append(prev)
        else:
            todo.append(job)
    log(f'{len(cached)} tracks already built, {len(todo)} to build')
    records = list(cached)
    with Pool(args.jobs) as pool:
        for i, rec in enumerate(pool.imap_unordered(process, todo)):
            records.append(rec)
            status = rec.get('skipped') or f"{rec['seconds']:.0f} s, {rec['frames']} frames, corr {rec['lrCorrelation']:.3f}"
            log(f'[{i + 1}/{len(todo)}] {rec["name"]}: {status}')
    records.sort(key=lambda r: r['name'])
    for r in records:
        if 'skipped' not in r:
            r['split'] = 'heldout' if is_held_out(r['name']) else 'train'
    used = [r for r in records if 'skipped' not in r]
    train = [r for r in used if r['split'] == 'train']
    held = [r for r in used if r['split'] == 'heldout']
    summary = {
        'packages': {p: os.path.basename(d) for p, d in debs.items()},
        'sampleRate': SAMPLE_RATE,
        'maxSecondsPerTrack': MAX_SECONDS,
        'trainTracks': len(train),
        'heldOutTracks': len(held),
        'trainMinutes': round(sum(r['seconds'] for r in train) / 60, 1),
        'heldOutMinutes': round(sum(r['seconds'] for r in held) / 60, 1),
        'skipped': sum('skipped' in r for r in records),
        'duplicatesDropped': [{'name': a, 'sameAs': b} for a, b in duplicates],
    }
    with open(manifest_path, 'w') as f:
        json.dump({'summary': summary, 'tracks': records}, f, indent=1)
    with open(os.path.join(DATA, 'split.json'), 'w') as f:
        json.dump({'seed': SPLIT_SEED, 'heldOutFraction': HELD_OUT_FRACTION,
                   'heldOut': [r['name'] for r in held], 'train': [r['name'] for r in train]}, f, indent=1)
    log(json.dumps({k: v for k, v in summary.items() if k != 'duplicatesDropped'}))
    log(f'dataset built in {time.time() - t0:.0f} s')


if __name__ == '__main__':
    main()
