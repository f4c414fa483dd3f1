"""Derives the named style presets from the training tracks' own styles and writes src/style/presets.json.

    /usr/bin/python3 training/presets.py

Each track's style (style.py on its stereo original; track_styles.py caches them) is summarised by its
width w = mean ICC and its panning p = mean |ILD| over the bands below 6.2 kHz (where the codec does not
decide the answer). A preset is the per-band mean style of a group of tracks chosen by quantiles of w
and p over all the corpus's tracks (deterministic, no clustering seed):
- natural: w between its 40th and 60th percentiles (the typical image);
- vintage-narrow: w above its 85th percentile (the most correlated, centred mixes);
- modern-wide: w below its 25th percentile and p above its median (wide and clearly panned);
- ambient: w below its 25th percentile and p below its median (wide and diffuse, little panning).
Names are one word each (hyphens), so `--style vintage-narrow` needs no quotes.
`default` (the corpus mean profile of the training targets, training/results/mean-profile.json) is kept.
The description of each preset is written from its numbers.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402
from track_styles import track_styles, used_records  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PRESETS = os.path.join(os.path.dirname(HERE), 'src', 'style', 'presets.json')
LO_BANDS = int(np.sum(F.band_edges()[:-1] < 6200.0))

GROUPS = [
    ('natural', 'an ordinary studio mix: moderately wide, instruments a little off-centre',
     lambda w, p, q: (w >= q['w40']) & (w <= q['w60'])),
    ('vintage-narrow', 'a narrow, centred image, close to mono, like an older record',
     lambda w, p, q: w >= q['w85']),
    ('modern-wide', 'a wide image with clearly panned parts, spread from side to side',
     lambda w, p, q: (w <= q['w25']) & (p >= q['p50'])),
    ('ambient', 'a wide, diffuse image with little panning, like a reverberant hall around the listener',
     lambda w, p, q: (w <= q['w25']) & (p < q['p50'])),
]


def derive(styles):
    """[(name, description, style, tracks)] from {track name: style}."""
    names = sorted(styles)
    icc = np.array([styles[n]['icc'] for n in names])
    ild = np.array([styles[n]['ildDb'] for n in names])
    w = icc[:, :LO_BANDS].mean(axis=1)
    p = ild[:, :LO_BANDS].mean(axis=1)
    q = {f'w{k}': np.percentile(w, k) for k in (25, 40, 60, 85)}
    q['p50'] = np.percentile(p, 50)
    out = []
    for name, what, rule in GROUPS:
        sel = rule(w, p, q)
        style = {'icc': [round(float(v), 4) for v in icc[sel].mean(axis=0)],
                 'ildDb': [round(float(v), 3) for v in ild[sel].mean(axis=0)]}
        lo_icc = float(np.mean(style['icc'][:LO_BANDS]))
        lo_ild = float(np.mean(style['ildDb'][:LO_BANDS]))
        description = (f'{what[0].upper()}{what[1:]} (ICC {lo_icc:.2f}, |ILD| {lo_ild:.1f} dB below 6 kHz; '
                       f'{int(sel.sum())} training tracks)')
        out.append((name, description, style, int(sel.sum())))
    return out


def main():
    styles = track_styles(used_records())
    presets = derive(styles)
    data = json.load(open(PRESETS))
    data['presets'] = [{'name': n, 'description': d, **s} for n, d, s, _ in presets]
    with open(PRESETS, 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
    for n, d, s, count in presets:
        print(f'{n}: {d}')
    print(f'{PRESETS}: {len(presets)} presets from {len(styles)} tracks')


if __name__ == '__main__':
    main()
