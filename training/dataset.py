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
import zipfile
from multiprocessing import Pool

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codec_coupling as CC  # noqa: E402
import features as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, 'cache')
DATA = os.path.join(HERE, 'data')
PACKAGES = [  # design section 4: these and no others
    'wesnoth-1.16-music',
    'supertux-data',
    'hedgewars-data',
    'widelands-data',
    'megaglest-data',
    'supertuxkart-data',
    'nexuiz-music',
    'ufoai-music',
    'warzone2100-music',
    'hyperrogue-music',
    'planetblupi-music-ogg',
    'singularity-music',
    'drascula-music',
    'flare-game',
    'freeorion-data',
    'lincity-ng-data',
    'extremetuxracer-data',
    'asc-music',
]
FOLD_COUNT = 5
AUDIO_EXTENSIONS = ('.ogg', '.oga', '.opus', '.flac', '.wav', '.mp3')
SAMPLE_RATE = 44100
MAX_SECONDS = 150.0
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
    if os.path.exists(marker) and open(marker).read().strip() == os.path.basename(deb):
        if not os.path.exists(os.path.join(root, '.pk3-extracted')):
            extract_pk3(root)
            open(os.path.join(root, '.pk3-extracted'), 'w').close()
        return root
    log('unpacking', os.path.basename(deb))
    os.makedirs(root, exist_ok=True)
    subprocess.run(['dpkg-deb', '-x', deb, root], check=True)
    extract_pk3(root)
    open(os.path.join(root, '.pk3-extracted'), 'w').close()
    with open(marker, 'w') as f:
        f.write(os.path.basename(deb))
    return root


def extract_pk3(root):
    """Nexuiz and UFO:AI keep their music in .pk3 (zip) archives: their audio members go to
    <root>/pk3/<archive>/<member path>."""
    for dirpath, _, files in os.walk(root):
        if os.path.relpath(dirpath, root).split(os.sep)[0] == 'pk3':
            continue
        for fn in sorted(files):
            if not fn.lower().endswith('.pk3'):
                continue
            with zipfile.ZipFile(os.path.join(dirpath, fn)) as z:
                for info in z.infolist():
                    if info.filename.lower().endswith(AUDIO_EXTENSIONS) and not info.is_dir():
                        z.extract(info, os.path.join(root, 'pk3', fn))


def is_music(rel, size, package=''):
    """Music files of a package: audio in a folder named `music`; Nexuiz's sound/cdtracks (in its pk3);
    Drascula's CD tracks (audio/); FreeOrion's music, which lies among its sound effects (files of at
    least 1 MB there); SuperTuxKart's track music in data/tracks/<track>/ (at least 1 MB)."""
    parts = [p.lower() for p in rel.split('/')]
    if not rel.lower().endswith(AUDIO_EXTENSIONS):
        return False
    if 'music' in parts[:-1]:
        return True
    if package == 'nexuiz-music':
        return 'cdtracks' in parts[:-1]
    if package == 'drascula-music':
        return 'audio' in parts[:-1]
    if package == 'freeorion-data':
        return 'sound' in parts[:-1] and size >= 1_000_000
    return 'supertuxkart' in parts and 'tracks' in parts and size >= 1_000_000


def find_tracks(roots):
    """(name, path) of every music file, byte-identical duplicates dropped (first in sorted order kept)."""
    found = []
    for package, root in sorted(roots.items()):
        for dirpath, _, files in os.walk(root):
            for fn in files:
                path = os.path.join(dirpath, fn)
                rel = os.path.relpath(path, root)
                if os.path.islink(path) or not is_music(rel, os.path.getsize(path), package):
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
    decoded_duplicates = drop_decoded_duplicates(records)
    used = [r for r in records if 'skipped' not in r]
    for r in used:  # codec-coupled tile-bands (not stored: train.py finds them again with the same detector)
        d = np.load(os.path.join(DATA, r['file']))
        coupled, cutoff = CC.detect(d['icc'], d['active'], F.band_edges()[:-1])
        r['activeTileBands'] = int(d['active'].sum())
        r['coupledTileBands'] = int(coupled.sum())
        r['couplingCutoffHz'] = None if cutoff is None else round(float(F.band_edges()[cutoff]), 1)
    folds = make_folds(used)
    fold_of = {p: k for k, ps in enumerate(folds) for p in ps}
    for r in used:
        r['package'] = package_of(r['name'])
        r['fold'] = fold_of[r['package']]
    per_package = {}
    for p in PACKAGES:
        rs = [r for r in used if package_of(r['name']) == p]
        act = sum(r['activeTileBands'] for r in rs)
        per_package[p] = {'tracks': len(rs), 'minutes': round(sum(r['seconds'] for r in rs) / 60, 1),
                          'fold': fold_of.get(p),
                          'codecCoupledShare': round(sum(r['coupledTileBands'] for r in rs) / max(act, 1), 4),
                          'tracksWithCutoff': sum(r['couplingCutoffHz'] is not None for r in rs),
                          'skipped': sum(1 for r in records if 'skipped' in r and package_of(r['name']) == p)}
    summary = {
        'packages': {p: os.path.basename(d) for p, d in debs.items()},
        'sampleRate': SAMPLE_RATE,
        'maxSecondsPerTrack': MAX_SECONDS,
        'tracks': len(used),
        'minutes': round(sum(r['seconds'] for r in used) / 60, 1),
        'skipped': sum('skipped' in r for r in records),
        'perPackage': per_package,
        'folds': folds,
        'duplicatesDropped': [{'name': a, 'sameAs': b} for a, b in duplicates] + decoded_duplicates,
    }
    with open(manifest_path, 'w') as f:
        json.dump({'summary': summary, 'tracks': records}, f, indent=1)
    with open(os.path.join(DATA, 'split.json'), 'w') as f:
        json.dump({'folds': [{'packages': ps, 'tracks': [r['name'] for r in used if r['fold'] == k]}
                             for k, ps in enumerate(folds)]}, f, indent=1)
    log(f"{summary['tracks']} tracks, {summary['minutes']} min, {summary['skipped']} skipped")
    log('| package | fold | tracks | minutes | skipped | codec-coupled tile-bands | tracks with a cutoff |')
    log('|---|---|---|---|---|---|---|')
    for p, v in per_package.items():
        log(f"| {p} | {v['fold']} | {v['tracks']} | {v['minutes']} | {v['skipped']} | "
            f"{100 * v['codecCoupledShare']:.1f}% | {v['tracksWithCutoff']} |")
    act = sum(r['activeTileBands'] for r in used)
    log(f"all: codec-coupled {100 * sum(r['coupledTileBands'] for r in used) / act:.1f}% of active tile-bands")
    log(f'dataset built in {time.time() - t0:.0f} s')


def package_of(name):
    return name.split('/')[0]


def drop_decoded_duplicates(records, frames=1500, threshold=0.995):
    """Marks as skipped a track whose decoded start matches an earlier one (same tune in two packages or
    two encodings): the z-scored log total mono power of the first `frames` frames correlates above
    `threshold` at lag 0. Returns [{'name', 'sameAs'}]."""
    used = [r for r in records if 'skipped' not in r]
    vecs = []
    for r in used:
        p = np.load(os.path.join(DATA, r['file']))['powers'][:frames].astype(np.float64)
        v = np.log10(p.sum(axis=1) + 1e-10)
        v = np.pad(v, (0, frames - len(v)), constant_values=-10.0)
        v = (v - v.mean()) / (v.std() + 1e-9)
        vecs.append(v / np.sqrt(frames))
    if not vecs:
        return []
    corr = np.stack(vecs) @ np.stack(vecs).T
    dropped = []
    gone = set()
    for i in range(len(used)):
        if i in gone:
            continue
        for j in range(i + 1, len(used)):
            if j not in gone and corr[i, j] > threshold:
                gone.add(j)
                used[j]['skipped'] = f"duplicate of {used[i]['name']} (decoded audio, correlation {corr[i, j]:.4f})"
                dropped.append({'name': used[j]['name'], 'sameAs': used[i]['name']})
    return dropped


def make_folds(used, count=FOLD_COUNT):
    """Leave-packages-out folds: packages (largest first by minutes) to the fold with the fewest minutes
    so far; deterministic. Each fold holds out whole packages; every package is in exactly one fold."""
    minutes = {p: 0.0 for p in PACKAGES}
    for r in used:
        minutes[package_of(r['name'])] += r['seconds'] / 60
    folds = [[] for _ in range(count)]
    load = [0.0] * count
    for p in sorted(PACKAGES, key=lambda p: (-minutes[p], p)):
        k = int(np.argmin(load))
        folds[k].append(p)
        load[k] += minutes[p]
    return folds


if __name__ == '__main__':
    main()
