"""Unit tests of the codec-coupling detector (numpy only):

    cd training && /usr/bin/python3 -m unittest test_codec_coupling

Synthetic stereo signals, analysed with the training targets' framing (features.targets):
- point stereo: below 6 kHz L and R are partly independent noise (ICC ~0.4); above it R is a scaled copy
  of L (what Vorbis point stereo decodes to): the bands above the cutoff are flagged, those below not;
- truly panned: three noise sources panned to different positions over the whole band (ICC < 1
  everywhere): nothing is flagged;
- decorrelated: independent L and R: nothing is flagged;
- a mono-panned source alone (ICC 1 in every band, no step): not flagged (a narrow mix, not a codec).
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codec_coupling as CC  # noqa: E402
import features as F  # noqa: E402

SR = 44100


def split_bands(x, cutoff_hz):
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1.0 / SR)
    lo = np.fft.irfft(np.where(f < cutoff_hz, spec, 0), len(x))
    return lo, x - lo


def analyse(left, right):
    _, icc, _, active = F.targets(left, right, SR)
    edges = F.band_edges()
    return icc, active, edges[:-1]


class CodecCouplingTest(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(7)
        self.n = SR * 6

    def noise(self):
        return self.rng.standard_normal(self.n) * 0.1

    def test_flags_point_stereo_above_cutoff(self):
        common, a, b, hf = self.noise(), self.noise(), self.noise(), self.noise()
        lo_l, _ = split_bands(common + 0.8 * a, 6000)
        lo_r, _ = split_bands(common + 0.8 * b, 6000)
        _, hi = split_bands(hf, 6000)
        left, right = lo_l + hi, lo_r + 0.6 * hi  # above 6 kHz: scaled copies
        icc, active, lo_hz = analyse(left, right)
        coupled, cutoff = CC.detect(icc, active, lo_hz)
        self.assertIsNotNone(cutoff)
        centre = np.sqrt(F.band_edges()[:-1] * F.band_edges()[1:])
        above = centre > 7000
        below = centre < 5000
        share_above = coupled[:, above].sum() / active[:, above].sum()
        share_below = coupled[:, below].sum() / max(active[:, below].sum(), 1)
        self.assertGreater(share_above, 0.95, 'point-stereo bands above the cutoff must be flagged')
        self.assertEqual(share_below, 0.0, 'bands below the cutoff must not be flagged')

    def test_leaves_truly_panned_alone(self):
        left = np.zeros(self.n)
        right = np.zeros(self.n)
        for pan in (0.15, 0.5, 0.9):  # three sources at different positions (constant-power pan)
            s = self.noise()
            left += np.cos(pan * np.pi / 2) * s
            right += np.sin(pan * np.pi / 2) * s
        icc, active, lo_hz = analyse(left, right)
        self.assertLess(float(np.median(icc[active])), 0.95)
        coupled, cutoff = CC.detect(icc, active, lo_hz)
        self.assertIsNone(cutoff)
        self.assertEqual(int(coupled.sum()), 0)

    def test_leaves_decorrelated_alone(self):
        icc, active, lo_hz = analyse(self.noise(), self.noise())
        coupled, cutoff = CC.detect(icc, active, lo_hz)
        self.assertIsNone(cutoff)
        self.assertEqual(int(coupled.sum()), 0)

    def test_leaves_single_panned_source_alone(self):
        s = self.noise()
        icc, active, lo_hz = analyse(0.9 * s, 0.4 * s)  # ICC 1 everywhere: narrow, but no cutoff step
        coupled, cutoff = CC.detect(icc, active, lo_hz)
        self.assertIsNone(cutoff)
        self.assertEqual(int(coupled.sum()), 0)


if __name__ == '__main__':
    unittest.main()
