"""Unit test of train.py --stream-start (needs torch only for importing train.py; no corpus):

    cd training && /usr/bin/python3 -m unittest test_stream_start

A synthetic track (seeded log-normal band powers with silent stretches) is laid out as train.Corpus lays
out its tracks. For rows whose stream is taken to have begun at frame `start`, Corpus.batch must give the
running statistics the engine would have: those of the same track cut at `start` (train.window_stats_np,
which is checked against the model's own graph elsewhere), and padding in the short rows before it. A
start at or before the window's first row must leave the stored statistics unchanged.
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as T  # noqa: E402


def synthetic_corpus(n_frames=3000, seed=7):
    """A one-track Corpus (no __init__: no files) with the attributes batch() reads."""
    rng = np.random.default_rng(seed)
    powers = (10.0 ** rng.normal(-5.0, 1.0, size=(n_frames, T.BANDS))).astype(np.float32)
    powers[1200:1500, :6] = 0.0  # silent stretches (below validAbove after the log)
    powers[2500:2600] = 0.0
    x = np.log10(powers.astype(np.float64) + T.SPEC['powerFloor'])
    c = object.__new__(T.Corpus)
    c.use_neff, c.envelope = False, False
    c.powers = np.concatenate([np.zeros((T.SHORT, T.BANDS), np.float32), powers,
                               np.zeros((T.K, T.BANDS), np.float32)])
    c.frame = np.arange(0, n_frames, 2).astype(np.int32)
    c.rows = T.SHORT + c.frame
    c.stats = T.window_stats_np(x)[c.frame].astype(np.float32)
    c.offsets = np.arange(-(T.SHORT - 1 - T.K), T.K + 1)
    c.icc = np.zeros((len(c.powers), T.BANDS), np.float16)
    c.ild = np.zeros((len(c.powers), T.BANDS), np.float16)
    c.honest = np.ones((len(c.powers), T.BANDS), bool)
    return c, x


class StreamStartTest(unittest.TestCase):
    def test_statistics_of_a_stream_begun_mid_track(self):
        c, x = synthetic_corpus()
        rng = np.random.default_rng(1)
        idx = np.nonzero(c.frame > T.C + 200)[0][::37]
        back = rng.integers(0, T.C + 1, size=len(idx))
        starts = c.frame[idx] - back
        xb, st, *_ = c.batch(idx, None, starts)
        for i, (f, s) in enumerate(zip(c.frame[idx], starts)):
            want = T.window_stats_np(x[s:])[f - s]
            np.testing.assert_allclose(st[i].numpy(), want, atol=2e-5)
            # short rows before the start are padding, the target and lookahead rows are not
            before = f + c.offsets < s
            self.assertTrue(np.all(xb[i].numpy()[before] <= -9.99))
            np.testing.assert_allclose(xb[i].numpy()[~before], np.log10(
                c.powers[c.rows[idx[i]] + c.offsets[~before]] + T.SPEC['powerFloor']), atol=1e-6)

    def test_start_before_the_window_changes_nothing(self):
        c, _ = synthetic_corpus()
        idx = np.nonzero(c.frame > T.C + 50)[0][::11]
        starts = c.frame[idx] - T.C - 5
        x0, st0, *_ = c.batch(idx)
        x1, st1, *_ = c.batch(idx, None, starts)
        np.testing.assert_allclose(st1.numpy(), st0.numpy(), atol=1e-6)
        np.testing.assert_array_equal(x1.numpy(), x0.numpy())


if __name__ == '__main__':
    unittest.main()
