"""Exports the trained model to ONNX and writes the golden fixtures for the TypeScript tests.

    /usr/bin/python3 training/export.py

- src/model/cue-model.onnx (legacy torch.onnx.export, opset 13, dynamic batch axis), checked with
  onnx.checker and against the size and parameter limits. By default in the head format: inputs `recent`
  [batch, recentFrames, 24] (the window's last rows), `stats` [batch, 192] (the window's running
  statistics, feature-spec.json `statistics`, which the caller computes: src/model/window-statistics.ts)
  and `style`; with --full-window in the full-window format (input `features` [batch, 1025, 24], the
  statistics inside the graph: 14x the inference time per frame), which the upmixer also runs;
- test/fixtures/model/features-golden.json: the features (float64) of a formula-defined signal at
  44.1, 48 and 22.05 kHz;
- test/fixtures/model/onnx-golden.json: 4 input windows from real features of a track (one feature
  segment; see onnx_golden), the PyTorch model's outputs for them and its raw statistics of them;
- test/fixtures/model/full-window-cue-model.onnx: the same model in the full-window format (the tests
  check that models of that format keep working).

    /usr/bin/python3 training/export.py --checkpoint training/cache/folds/fold0.pt \
        --onnx training/cache/folds/fold0.onnx --no-fixtures      # a fold's model, for evaluate.py
"""
import argparse
import json
import os
import sys
import warnings

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import features as F  # noqa: E402
import style as S  # noqa: E402
from dataset import load_stereo  # noqa: E402
from model import EnsembleCueModel, LongCueModel, ShrunkCueModel, parameter_count  # noqa: E402
from train import build_model, member_path  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ONNX_PATH = os.path.join(REPO, 'src', 'model', 'cue-model.onnx')
FIXTURES = os.path.join(REPO, 'test', 'fixtures', 'model')
FULL_WINDOW_FIXTURE = os.path.join(FIXTURES, 'full-window-cue-model.onnx')
SPEC = F.SPEC
T = SPEC['windowFrames']
BANDS = SPEC['bandCount']
MAX_PARAMETERS = 400_000
MAX_BYTES = 2_000_000  # design section 4: at most 2 MB
OPSET = 13

SIGNAL_DESCRIPTION = (
    'x[n] for n = 0..length-1, length = 8*N + N/2 (N = frameSize, so 16 frames): '
    'x[n] = 0.5*sin(2*pi*440*n/sr) + 0.25*sin(2*pi*3000*n/sr + 0.3) '
    '+ 0.1*sin(2*pi*(100 + 4000*n/length)*n/sr) + 1e-3*(((n*7919) % 101) - 50)/50, '
    'all in float64; x is the mono signal M itself. frames[i] = features of frame i (log10 band powers).'
)


def golden_signal(sr, length):
    n = np.arange(length, dtype=np.float64)
    noise = ((np.arange(length, dtype=np.int64) * 7919) % 101 - 50).astype(np.float64) / 50.0
    return (0.5 * np.sin(2 * np.pi * 440 * n / sr) + 0.25 * np.sin(2 * np.pi * 3000 * n / sr + 0.3)
            + 0.1 * np.sin(2 * np.pi * (100 + 4000 * n / length) * n / sr) + 1e-3 * noise)


def features_golden():
    cases = []
    for sr in (44100, 48000, 22050):
        n = F.frame_size(sr)
        h = F.hop_size(sr)
        length = 8 * n + n // 2
        feats = F.features(golden_signal(sr, length), sr)
        cases.append({'sampleRate': sr, 'frameSize': n, 'hop': h, 'length': length,
                      'bandOfBin': F.band_of_bin(sr, n).tolist(),
                      'frames': [[float(v) for v in row] for row in feats]})
    return {'description': SIGNAL_DESCRIPTION, 'tolerance': 1e-4,
            'bandEdgesHz': [float(e) for e in F.band_edges()], 'cases': cases}


def load_model(path=os.path.join(HERE, 'cache', 'checkpoint.pt'), check_spec=True, shrink=None):
    """The model of a checkpoint: an ensemble when it was trained with --seeds > 1, its ICC shrunk toward
    the checkpoint's mean profile when trained with --shrink below 1 (`shrink` overrides that)."""
    ckpt = torch.load(path)
    a = ckpt['args']
    if check_spec and a['context'] != SPEC['contextFrames']:
        raise SystemExit(f"checkpoint has context {a['context']}, the spec {SPEC['contextFrames']}: retrain")
    members = []
    for e in range(a.get('seeds', 1)):  # an ensemble: the members' checkpoints sit beside the first
        m = build_model(a, np.zeros(BANDS), np.ones(BANDS))
        state = (ckpt if e == 0 else torch.load(member_path(path, e)))['state']
        if a.get('style', False) and 'style_skip' not in state:  # trials from before the learned skip: 1
            state['style_skip'] = torch.ones(1, 2 * BANDS)
        m.load_state_dict(state)
        members.append(m)
    model = members[0] if len(members) == 1 else EnsembleCueModel(members)
    alpha = a.get('shrink', 1.0) if shrink is None else shrink
    if alpha != 1.0:
        model = ShrunkCueModel(model, ckpt['meanProfile']['icc'], alpha)
    model.eval()
    return model, ckpt


def first_member(model):
    """The (first) LongCueModel inside an ensemble or a shrunk model: its statistics are the model's."""
    return next(m for m in model.modules() if isinstance(m, LongCueModel))


def recent_frames(model):
    """Rows of the window the head reads: the convolutions' rows, or only the target and lookahead rows."""
    m = first_member(model)
    return m.short_frames if m.use_conv else 1 + m.lookahead


class HeadGraph(torch.nn.Module):
    """The head format: the model without its window statistics, which come in as the input `stats`."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, recent, stats, *style):
        return self.model.head_forward(recent, stats, *style)


def check_head_format(model):
    """The head format needs the statistics the TypeScript side computes: those of feature-spec.json."""
    m = first_member(model)
    stats = SPEC['statistics']
    problems = [what for what, bad in (
        ('the model has no running statistics (arch short)', not m.use_stats),
        ('the statistics hold effective bins (--neff)', m.neff),
        ('the statistics hold envelope measures (--envelope)', m.envelope),
        (f'the window has {m.window_frames} frames, the spec {T}', m.window_frames != T),
        (f'the mid scale has {m.mid_frames} frames, the spec {stats["midFrames"]}', m.mid_frames != stats['midFrames']),
        (f'{m.stat_features} statistics, the spec {stats["length"]}', m.stat_features != stats['length']),
    ) if bad]
    if problems:
        raise SystemExit('cannot export the head format (' + '; '.join(problems) + '): use --full-window')


def export_onnx(model, path=ONNX_PATH, full_window=False):
    """The head format (inputs `recent`, `stats`), or with full_window the full-window format (input
    `features`). A conditioned model (model.style) gets the input `style` [batch, 48] of the spec too."""
    tensors = SPEC['tensors']
    if full_window:
        graph = model
        names = [tensors['input']['name']]
        dummy = (torch.zeros(2, model.window_frames, BANDS),)
    else:
        check_head_format(model)
        graph = HeadGraph(model).eval()  # (the exporter restores the wrapper's mode on everything inside it)
        names = [tensors['recent']['name'], tensors['stats']['name']]
        dummy = (torch.zeros(2, recent_frames(model), BANDS), torch.zeros(2, SPEC['statistics']['length']))
    if getattr(model, 'style', False):
        names.append(SPEC['tensors']['style']['name'])
        dummy += (torch.from_numpy(np.tile(S.style_vector(S.DEFAULT_STYLE).astype(np.float32), (2, 1))),)
    outputs = [o['name'] for o in SPEC['tensors']['outputs']]
    torch.onnx.export(graph, dummy, path, input_names=names, output_names=outputs,
                      dynamic_axes={n: {0: 'batch'} for n in names + outputs},
                      opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    m.doc_string = 'mono-upmix cue model; feature spec version %d' % SPEC['version']
    onnx.save(m, path)
    ops = sorted({node.op_type for node in m.graph.node})
    return os.path.getsize(path), ops


GOLDEN_TRACK = 'lincity-ng-data'  # the fixture's music: the first used track of this package
GOLDEN_STYLES_DESCRIPTION = ('the style input of window i: 0 the default style, 1 the track\'s own style, 2 a '
                             'narrow style (ICC 0.95, |ILD| 1 dB in every band), 3 a wide one (ICC 0.2, |ILD| 6 dB)')


def golden_styles(name):
    """[4, 48] float32 conditions of the golden windows (GOLDEN_STYLES_DESCRIPTION); rounded to 5 decimals."""
    from track_styles import track_styles
    own = track_styles([r for r in json.load(open(os.path.join(HERE, 'data', 'manifest.json')))['tracks']
                        if r['name'] == name])[name]
    flat = lambda icc, ild: {'icc': [icc] * BANDS, 'ildDb': [ild] * BANDS}  # noqa: E731
    rows = [S.style_vector(s) for s in (S.DEFAULT_STYLE, own, flat(0.95, 1.0), flat(0.2, 6.0))]
    return np.round(np.stack(rows), 5).astype(np.float32)


def onnx_golden(model):
    """Windows of real features and PyTorch's outputs for them. To keep the file small with a long
    window, the fixture holds one segment of features (frames 0..S-1 of the track) and the target frames;
    window i is rows targetFrames[i]-contextFrames .. targetFrames[i]+lookaheadFrames of the segment, rows
    before frame 0 filled with startPaddingValue (so the first window also checks the start padding)."""
    manifest = json.load(open(os.path.join(HERE, 'data', 'manifest.json')))['tracks']
    name = sorted(r['name'] for r in manifest if 'skipped' not in r and r['name'].startswith(GOLDEN_TRACK + '/'))[0]
    path = [r['path'] for r in manifest if r['name'] == name][0]
    (left, right), _ = load_stereo(path, max_seconds=30.0)
    feats = F.features(0.5 * (left + right), 44100).astype(np.float32)
    c, k = SPEC['contextFrames'], SPEC['lookaheadFrames']
    centre = [300, c + 60, c + 160, c + 260]  # the first window starts before the track
    seg_len = max(centre) + k + 1
    # Rounded to 4 decimals (keeps the fixture small): the file holds the decimals d, the model sees
    # float32(d), which is also what a Float32Array of the parsed JSON holds.
    segment = np.round(feats[:seg_len].astype(np.float64), 4)
    pad = float(SPEC['startPaddingValue'])
    windows = []
    for t in centre:
        rows = [segment[f] if f >= 0 else np.full(BANDS, pad) for f in range(t - c, t + k + 1)]
        windows.append(np.stack(rows))
    windows = np.stack(windows).astype(np.float32)
    styles = golden_styles(name) if getattr(model, 'style', False) else None
    with torch.no_grad():
        icc, ild = model(torch.from_numpy(windows), None if styles is None else torch.from_numpy(styles))
        raw_stats = first_member(model).raw_stats(torch.from_numpy(windows))
    r = lambda a: [[float(v) for v in row] for row in np.asarray(a)]  # noqa: E731
    return {'description': f'features of frames 0..{seg_len - 1} of {name} (44.1 kHz, log10, rounded to 4 '
                           f'decimals; the model sees their float32 values); window i = rows targetFrames[i]-'
                           f'{c} .. targetFrames[i]+{k}, rows before frame 0 = startPaddingValue; icc, ild_db: '
                           f'the PyTorch outputs; rawStats: the model\'s raw_stats of each window (feature-spec.json '
                           f'statistics), the head format\'s input `stats`',
            'tolerance': 1e-4, 'track': name, 'targetFrames': centre,
            'inputShape': [len(centre), c + 1 + k, BANDS], 'segment': r(segment),
            **({} if styles is None else {'styleDescription': GOLDEN_STYLES_DESCRIPTION, 'style': r(styles)}),
            'icc': r(icc), 'ild_db': r(ild), 'rawStats': r(raw_stats)}


def dump(obj, path):
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))
    return os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--checkpoint', default=os.path.join(HERE, 'cache', 'checkpoint.pt'))
    ap.add_argument('--onnx', default=ONNX_PATH, help='where to write the model')
    ap.add_argument('--no-fixtures', action='store_true', help='only the ONNX file (fold models for evaluate.py)')
    ap.add_argument('--shrink', type=float, default=None, help='override the checkpoint\'s --shrink')
    ap.add_argument('--full-window', action='store_true',
                    help='the full-window format (input `features`, statistics inside the graph) instead of the head format')
    args = ap.parse_args()
    # torch 1.13's exporter warns about prim::Constant shape inference for every model: not a problem.
    warnings.filterwarnings('ignore', message='The shape inference of prim::Constant')
    torch.manual_seed(0)
    model, ckpt = load_model(args.checkpoint, check_spec=not args.no_fixtures, shrink=args.shrink)
    params = parameter_count(model)
    size, ops = export_onnx(model, args.onnx, full_window=args.full_window)
    print(f'model: {params} parameters (limit {MAX_PARAMETERS}), epoch {ckpt["epoch"]}; '
          f'{args.onnx} ({"full-window" if args.full_window else "head"} format): {size} bytes (limit {MAX_BYTES}), opset {OPSET}, ops {", ".join(ops)}')
    assert params <= MAX_PARAMETERS and size <= MAX_BYTES
    if args.no_fixtures:
        return
    os.makedirs(FIXTURES, exist_ok=True)
    fg = dump(features_golden(), os.path.join(FIXTURES, 'features-golden.json'))
    og = dump(onnx_golden(model), os.path.join(FIXTURES, 'onnx-golden.json'))
    fw, _ = export_onnx(model, FULL_WINDOW_FIXTURE, full_window=True)
    print(f'fixtures: features-golden.json {fg} bytes, onnx-golden.json {og} bytes, '
          f'{os.path.basename(FULL_WINDOW_FIXTURE)} {fw} bytes')
    assert fg < 200_000 and og < 400_000


if __name__ == '__main__':
    main()
