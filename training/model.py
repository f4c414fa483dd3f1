"""The cue model: a small causal network over a fixed window of frames (no recurrent state).

Input  `features` [batch, T, 24]: raw log10 band features (feature-spec.json), rows in time order; T =
       contextFrames + 1 + lookaheadFrames. The per-band normalisation (training-set mean and std) is a
       constant inside the model.
Output `icc` [batch, 24] in [0, 1] and `ild_db` [batch, 24] in [0, ildCapDb], for row contextFrames.

LongCueModel: running statistics over the whole window (memory of ~12 s) + strided temporal convolutions
over its last rows + an MLP head. Every op exports to plain ONNX (Slice, Greater, Cast, Mul, Concat,
MatMul, Sub, Abs, Reshape, Conv, Gemm, Relu, Sigmoid, Softplus, Clip) that onnxruntime-web's wasm
backend runs.
"""
import torch
from torch import nn

from features import SPEC


PAD_VALUE = -10.0  # startPaddingValue = log10(powerFloor): rows before a track's start, and silence
# an element counts as sound (not padding or silence) when its raw feature is above this
VALID_ABOVE = SPEC['statistics']['validAbove']
STAT_SCALES = 2  # the whole window and its last mid_frames rows
STAT_KINDS = 4  # per band: share of sound rows, mean of x and of x^2 over sound rows (/ rows), mean |change|
# the statistics read every 4th row of the window (the last row included): 4x fewer elements. Spec-defined
# (feature-spec.json `statistics`): a head-format export gets them computed outside the graph, in TypeScript.
STAT_STRIDE = SPEC['statistics']['stride']


def stat_kinds(neff):
    """Statistics per band and scale: share, mean x, mean x^2, mean |change| (+ mean and mean square of the
    effective bins)."""
    return STAT_KINDS + (2 if neff else 0)


ENVELOPE_LAGS = (1, 4, 16)  # envelope autocorrelation lags (rows)
ONSET_RISE = 0.3  # an onset: more than 3 dB (log10 units) above the row before, and not below the next
FALLS = (8, 20)  # the fall of the log energy this many rows after an onset (93 and 232 ms at 44.1 kHz)
ENVELOPE_STATS = len(ENVELOPE_LAGS) + len(FALLS)


def envelope_stats(features, bands=24):
    """[batch, ENVELOPE_STATS * bands]: per band, over every row of the window (padding and silence left
    out), the envelope autocorrelation at each lag, (mean of x_j x_(j-lag) over valid pairs - m^2) /
    (mean x^2 - m^2) with m the window's mean (0 without a pair), then the mean fall x_j - x_(j+f) after the
    window's onsets j (0 without one); each autocorrelation clamped to [-1, 1]; train.py's envelope_stats_np computes the same with cumulative sums.
    A reverberant production decays slowly after onsets and has a smoother envelope: the measures of
    `profile_ridge.py --envelope` as running statistics."""
    x = features[:, :, :bands]
    v = (x > VALID_ABOVE).float()
    n = v.sum(dim=1).clamp(min=1.0)
    m = (x * v).sum(dim=1) / n
    # centred before the products (float32: the raw moments of x near -5 would cancel); the same value:
    # mean(x_j x_k) - m^2 = mean(c_j c_k) + m (mean c_j + mean c_k) over the pairs, c = x - m
    c = (x - m[:, None, :]) * v
    var = ((c * c).sum(dim=1) / n).clamp(min=1e-6)
    parts = []
    for lag in ENVELOPE_LAGS:
        pair_v = v[:, lag:] * v[:, :-lag]
        pairs = pair_v.sum(dim=1).clamp(min=1.0)
        prod = (c[:, lag:] * c[:, :-lag]).sum(dim=1) / pairs
        ends = ((c[:, lag:] + c[:, :-lag]) * pair_v).sum(dim=1) / pairs
        # clamped: a band with a few sound rows has a near-zero variance and a meaningless ratio
        parts.append(torch.clamp((prod + m * ends) / var, -1.0, 1.0) * (pair_v.sum(dim=1) > 0).float())
    reach = max(FALLS)
    rows = x.shape[1]
    now = x[:, 1:rows - reach]  # onset candidates j = 1 .. rows - reach - 1
    onset = ((now - x[:, :rows - reach - 1] > ONSET_RISE).float() * (now >= x[:, 2:rows - reach + 1]).float()
             * v[:, :rows - reach - 1] * v[:, 1:rows - reach])
    onsets = onset.sum(dim=1)
    for fall in FALLS:
        later = x[:, 1 + fall:rows - reach + fall]
        total = (onset * (now - later) * v[:, 1 + fall:rows - reach + fall]).sum(dim=1)
        parts.append(total / onsets.clamp(min=1.0))
    return torch.cat(parts, dim=1)


def scale_weights(rows, mid_rows):
    """[2, rows] averaging weights of the two scales (all rows; the last mid_rows rows)."""
    w = torch.zeros(STAT_SCALES, rows)
    w[0, :] = 1.0 / rows
    w[1, rows - mid_rows:] = 1.0 / mid_rows
    return w


class LongCueModel(nn.Module):
    """Memory over the whole window (contextFrames, ~12 s): running statistics of the features over the
    whole window and over its last `mid_frames` rows, on every STAT_STRIDE-th row (per band: share of
    non-silent rows, mean of x and of x^2 over them, mean |change between strided rows|, each divided by
    the rows of the scale), computed inside the graph with two MatMuls, go into the head together with strided temporal convolutions over the
    last `short_frames` rows and the normalised target and lookahead frames."""

    def __init__(self, mean, std, window_frames, bands=24, channels=64, hidden=128, ild_cap=20.0,
                 icc_init=None, ild_init=None, dropout=0.1, lookahead=1, short_frames=129, mid_frames=256,
                 use_stats=True, stat_mean=None, stat_std=None, use_conv=True, neff=False, style=False,
                 style_mean=None, style_std=None, envelope=False):
        super().__init__()
        # envelope: raw_stats also holds, per band over every row of the window, the envelope's
        # autocorrelation at ENVELOPE_LAGS and its mean fall FALLS rows after onsets (envelope_stats)
        self.envelope = envelope
        extra_stats = ENVELOPE_STATS * bands if envelope else 0
        # style: a second input [batch, 2*bands] (the condition, design section 9: per band mean ICC, then
        # mean |ILD| dB), normalised inside the graph and fed to the body; the outputs are residuals on the
        # condition itself (logit of its ICC, inverse softplus of its |ILD|), so following a style is the
        # easy thing to learn and the deviations from it are what the audio says.
        self.style = style
        self.neff = neff  # input rows also hold features.effective_bins (bands more columns)
        self.in_columns = bands * (2 if neff else 1)
        self.window_frames = window_frames
        self.short_frames = min(short_frames, window_frames)
        self.mid_frames = min(mid_frames, window_frames)
        self.bands = bands
        self.lookahead = lookahead
        self.use_stats = use_stats
        self.use_conv = use_conv
        self.ild_cap = float(ild_cap)
        cols = self.in_columns
        self.register_buffer('mean', torch.as_tensor(mean, dtype=torch.float32).reshape(1, 1, cols))
        self.register_buffer('inv_std', (1.0 / torch.as_tensor(std, dtype=torch.float32)).reshape(1, 1, cols))
        n_stats = STAT_SCALES * stat_kinds(neff) * bands + extra_stats
        self.stat_features = n_stats if use_stats else 0
        sm = torch.zeros(n_stats) if stat_mean is None else torch.as_tensor(stat_mean, dtype=torch.float32)
        ss = torch.ones(n_stats) if stat_std is None else torch.as_tensor(stat_std, dtype=torch.float32)
        self.register_buffer('stat_mean', sm.reshape(1, n_stats))
        self.register_buffer('stat_inv_std', (1.0 / ss).reshape(1, n_stats))
        # strided rows: window rows first_row, first_row + STAT_STRIDE, ..., window_frames - 1
        self.first_row = (window_frames - 1) % STAT_STRIDE
        rows = (window_frames - 1) // STAT_STRIDE + 1
        mid_rows = self.mid_frames // STAT_STRIDE
        self.register_buffer('w_rows', scale_weights(rows, mid_rows))
        self.register_buffer('w_pairs', scale_weights(rows - 1, mid_rows - 1))
        layers = [nn.Conv1d(bands, channels, 3, padding=1), nn.ReLU()]
        length = self.short_frames
        while length > 9:
            layers += [nn.Conv1d(channels, channels, 3, stride=2), nn.ReLU()]
            length = (length - 3) // 2 + 1
        self.convs = nn.Sequential(*layers) if use_conv else None
        self.conv_out = channels * length if use_conv else 0
        self.style_features = 2 * bands if style else 0
        if style:  # (only then: checkpoints of unconditioned models keep loading)
            stm = torch.zeros(2 * bands) if style_mean is None else torch.as_tensor(style_mean, dtype=torch.float32)
            sts = torch.ones(2 * bands) if style_std is None else torch.as_tensor(style_std, dtype=torch.float32)
            self.register_buffer('style_mean', stm.reshape(1, 2 * bands))
            self.register_buffer('style_inv_std', (1.0 / sts).reshape(1, 2 * bands))
        self.body = nn.Sequential(
            nn.Linear(self.conv_out + (1 + lookahead) * cols + self.stat_features + self.style_features, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
        )
        self.head = nn.Linear(hidden, 2 * bands)
        if style:  # start at the condition itself
            # how much of the condition goes straight to the output, per band and cue (learned: a reference
            # that is another track is only partly this track's answer)
            self.style_skip = nn.Parameter(torch.ones(1, 2 * bands))
            with torch.no_grad():
                self.head.weight.mul_(0.1)
                self.head.bias.zero_()
        else:  # start at the training-set mean profile
            _init_head(self.head, bands, icc_init, ild_init)

    def raw_stats(self, features):
        """[batch, 2*4*bands]: per scale [share of sound rows, mean x*v, mean x^2*v, mean |change|], over
        every STAT_STRIDE-th row (change: between neighbouring strided rows)."""
        rows = features[:, self.first_row::STAT_STRIDE, :]
        features = rows[:, :, :self.bands]
        v = (features > VALID_ABOVE).float()
        xv = features * v
        parts = [v, xv, xv * features]
        if self.neff:  # effective bins over the sound rows (validity from the energies)
            nv = rows[:, :, self.bands:] * v
            parts += [nv, nv * rows[:, :, self.bands:]]
        a = torch.cat(parts, dim=2)  # [batch, rows, 3 or 5 * bands]
        s = torch.matmul(self.w_rows, a)  # [batch, 2, 3 or 5 * bands]
        d = (features[:, 1:, :] - features[:, :-1, :]).abs()
        f = torch.matmul(self.w_pairs, d)  # [batch, 2, bands]
        if self.neff:  # per scale: v, xv, x2v, d, nv, n2v
            s = torch.cat([s[:, :, :3 * self.bands], f, s[:, :, 3 * self.bands:]], dim=2)
        else:
            s = torch.cat([s, f], dim=2)
        s = s.reshape(-1, self.stat_features - (ENVELOPE_STATS * self.bands if self.envelope else 0))
        return torch.cat([s, envelope_stats(features, self.bands)], dim=1) if self.envelope else s

    def forward(self, features, style=None):
        st = self.raw_stats(features) if self.use_stats else None
        return self.head_forward(features[:, self.window_frames - self.short_frames:, :], st, style)

    def head_forward(self, short_raw, raw_stats, style=None):
        """short_raw: the last short_frames rows (raw log10 features; without convolutions the last 1 + lookahead
        rows are enough); raw_stats: raw_stats() of the window;
        style: the condition [batch, 2*bands] (models built with style=True)."""
        x = (short_raw - self.mean) * self.inv_std
        # the last rows (short_raw may hold only those: a head-format export without convolutions)
        now = x[:, -(1 + self.lookahead):, :].reshape(-1, (1 + self.lookahead) * self.in_columns)
        parts = [now]
        if self.use_conv:
            parts.append(self.convs(x[:, :, :self.bands].transpose(1, 2)).reshape(-1, self.conv_out))
        if self.use_stats:
            parts.append((raw_stats - self.stat_mean) * self.stat_inv_std)
        if self.style:
            parts.append((style - self.style_mean) * self.style_inv_std)
        z = self.head(self.body(torch.cat(parts, dim=1)))
        if self.style:
            z = z + self.style_skip * style_logits(style, self.bands, self.ild_cap)
        icc = torch.sigmoid(z[:, : self.bands])
        ild = torch.clamp(nn.functional.softplus(z[:, self.bands:]), max=self.ild_cap)
        return icc, ild


class EnsembleCueModel(nn.Module):
    """The mean of several LongCueModels' outputs (members trained with different seeds on the same data,
    so their normalisation constants agree); the running statistics are computed once. Same input and
    outputs as one member."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)
        first = members[0]
        self.window_frames = first.window_frames
        self.short_frames = first.short_frames
        self.use_stats = first.use_stats
        self.in_columns = first.in_columns
        self.style = first.style

    def forward(self, features, style=None):
        first = self.members[0]
        st = first.raw_stats(features) if first.use_stats else None
        return self.head_forward(features[:, self.window_frames - self.short_frames:, :], st, style)

    def head_forward(self, short_raw, raw_stats, style=None):
        outs = [m.head_forward(short_raw, raw_stats, style) for m in self.members]
        scale = 1.0 / len(outs)
        icc = outs[0][0]
        ild = outs[0][1]
        for o in outs[1:]:
            icc = icc + o[0]
            ild = ild + o[1]
        return icc * scale, ild * scale


class ShrunkCueModel(nn.Module):
    """A model whose ICC is pulled toward the training-mean profile: icc = p + alpha * (icc_model - p).
    Across composers the model's departures from the mean profile are right in direction more often than
    in size (train.py --folds prints the shrunk variants), so alpha < 1 lowers the error; |ILD| is kept."""

    def __init__(self, model, icc_profile, alpha):
        super().__init__()
        self.model = model
        self.window_frames = model.window_frames
        self.short_frames = model.short_frames
        self.use_stats = model.use_stats
        self.style = model.style
        self.alpha = float(alpha)
        self.register_buffer('icc_profile', torch.as_tensor(icc_profile, dtype=torch.float32).reshape(1, -1))

    def _shrink(self, icc, style):
        # a conditioned model is pulled toward its condition's ICC, an unconditioned one toward the mean
        p = style[:, :icc.shape[1]] if self.style else self.icc_profile
        return p + self.alpha * (icc - p)

    def forward(self, features, style=None):
        icc, ild = self.model(features, style)
        return self._shrink(icc, style), ild

    def head_forward(self, short_raw, raw_stats, style=None):
        icc, ild = self.model.head_forward(short_raw, raw_stats, style)
        return self._shrink(icc, style), ild


def style_logits(style, bands, ild_cap):
    """[batch, 2*bands]: the pre-activations that give the style itself (logit of its ICC, inverse
    softplus of its |ILD|), clamped so a style of ICC 0 or 1 or |ILD| 0 stays finite."""
    icc = torch.clamp(style[:, :bands], 1e-3, 1 - 1e-3)
    ild = torch.clamp(style[:, bands:], 1e-2, ild_cap)
    return torch.cat([torch.log(icc / (1 - icc)), torch.log(torch.exp(ild) - 1)], dim=1)


def _init_head(head, bands, icc_init, ild_init):
    with torch.no_grad():
        head.weight.mul_(0.1)
        if icc_init is not None:
            icc = torch.as_tensor(icc_init, dtype=torch.float32).clamp(1e-3, 1 - 1e-3)
            head.bias[:bands] = torch.log(icc / (1 - icc))
        if ild_init is not None:
            ild = torch.as_tensor(ild_init, dtype=torch.float32).clamp(min=1e-3)
            head.bias[bands:] = torch.log(torch.expm1(ild))


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def masked_loss(icc, ild, icc_t, ild_t, active, ild_weight=0.05, band_weight=None, group=1, mean_weight=0.0):
    """L1 on ICC + ild_weight * L1 on |ILD| dB, over active tiles/bands only. band_weight [bands] weighs
    the ICC term per band; with group > 1 the batch holds consecutive groups of `group` rows of one track
    each, and mean_weight adds the L1 between the group's mean predicted and mean target ICC per band
    (the per-track profile error the prof_lo metric measures)."""
    m = active.float()
    n = m.sum().clamp(min=1.0)
    w = m if band_weight is None else m * band_weight[None, :]
    icc_err = ((icc - icc_t).abs() * w).sum() / w.sum().clamp(min=1.0)
    ild_err = ((ild - ild_t).abs() * m).sum() / n
    loss = icc_err + ild_weight * ild_err
    if group > 1 and mean_weight > 0:
        g = m.reshape(-1, group, m.shape[1])
        cnt = g.sum(dim=1)
        pm = (icc.reshape(g.shape) * g).sum(dim=1) / cnt.clamp(min=1.0)
        tm = (icc_t.reshape(g.shape) * g).sum(dim=1) / cnt.clamp(min=1.0)
        has = (cnt > 0).float()
        if band_weight is not None:
            has = has * band_weight[None, :]
        loss = loss + mean_weight * ((pm - tm).abs() * has).sum() / has.sum().clamp(min=1.0)
    return loss, icc_err, ild_err

