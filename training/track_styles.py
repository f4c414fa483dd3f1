"""Each corpus track's whole-track style (style.py on its stereo original, the first 150 s as dataset.py
reads it), cached in training/cache/track-styles.json (name -> {icc, ildDb, honestTiles}); the
conditions of train.py, the presets of presets.py and the references of evaluate.py come from it.

    /usr/bin/python3 training/track_styles.py       # computes the missing ones (2 processes)
"""
import json
import os
import sys
import time
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import style as S  # noqa: E402
from dataset import SAMPLE_RATE, load_stereo  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, 'data')
CACHE_FILE = os.path.join(HERE, 'cache', 'track-styles.json')
VERSION = S.STYLE_SPEC['version']


def style_of(record):
    (left, right), _ = load_stereo(record['path'])
    icc, ild, honest, _ = S.honest_tiles(left, right, SAMPLE_RATE)
    s = S.style_of_tiles(icc, ild, honest)
    return record['name'], {**s, 'honestTiles': honest.sum(axis=0).tolist()}


def track_styles(records, processes=2):
    """{name: style} of these manifest records, computing (and caching) the ones not cached yet."""
    cache = {}
    if os.path.exists(CACHE_FILE):
        stored = json.load(open(CACHE_FILE))
        if stored.get('version') == VERSION:
            cache = stored['styles']
    missing = [r for r in records if r['name'] not in cache]
    if missing:
        t0 = time.time()
        with Pool(processes) as pool:
            for i, (name, s) in enumerate(pool.imap_unordered(style_of, missing)):
                cache[name] = s
                if (i + 1) % 50 == 0:
                    print(f'styles: {i + 1}/{len(missing)} ({time.time() - t0:.0f} s)', flush=True)
        os.makedirs(os.path.dirname(CACHE_FILE), exist_ok=True)
        with open(CACHE_FILE, 'w') as f:
            json.dump({'version': VERSION, 'styles': cache}, f)
        print(f'styles of {len(missing)} tracks in {time.time() - t0:.0f} s', flush=True)
    return {r['name']: cache[r['name']] for r in records}


def used_records():
    return [r for r in json.load(open(os.path.join(DATA, 'manifest.json')))['tracks'] if 'skipped' not in r]


if __name__ == '__main__':
    track_styles(used_records())
