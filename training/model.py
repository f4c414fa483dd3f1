"""The cue model: a small causal network over a fixed window of frames (no recurrent state).

Input  `features` [batch, T, 24]: raw log10 band features (feature-spec.json), rows in time order; T =
       contextFrames + 1 + lookaheadFrames. The per-band normalisation (training-set mean and std) is a
       constant inside the model.
Output `icc` [batch, 24] in [0, 1] and `ild_db` [batch, 24] in [0, ildCapDb], for row contextFrames.

Layers: a per-frame band embedding (shared across rows), then an MLP over the whole flattened window.
Every op exports to plain ONNX (MatMul/Gemm, Relu, Reshape, Sigmoid, Softplus, Clip) that
onnxruntime-web's wasm backend runs.
"""
import torch
from torch import nn


class CueModel(nn.Module):
    def __init__(self, mean, std, window_frames, bands=24, embed=32, hidden=160, ild_cap=20.0,
                 icc_init=None, ild_init=None, dropout=0.1):
        super().__init__()
        self.window_frames = window_frames
        self.bands = bands
        self.ild_cap = float(ild_cap)
        self.register_buffer('mean', torch.as_tensor(mean, dtype=torch.float32).reshape(1, 1, bands))
        self.register_buffer('inv_std', (1.0 / torch.as_tensor(std, dtype=torch.float32)).reshape(1, 1, bands))
        self.embed = nn.Linear(bands, embed)
        self.body = nn.Sequential(
            nn.Linear(window_frames * embed, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
        )
        self.head = nn.Linear(hidden, 2 * bands)
        # Start at the training-set mean profile: the model learns deviations from it.
        _init_head(self.head, bands, icc_init, ild_init)

    def forward(self, features):
        x = (features - self.mean) * self.inv_std
        x = torch.relu(self.embed(x))
        x = x.reshape(-1, self.window_frames * self.embed.out_features)
        z = self.head(self.body(x))
        icc = torch.sigmoid(z[:, : self.bands])
        ild = torch.clamp(nn.functional.softplus(z[:, self.bands:]), max=self.ild_cap)
        return icc, ild


class ConvCueModel(nn.Module):
    """Temporal conv front end (strided, so a long context stays cheap) + MLP head; the target frame's
    and the lookahead frames' normalised features also go straight into the head."""

    def __init__(self, mean, std, window_frames, bands=24, channels=64, hidden=128, ild_cap=20.0,
                 icc_init=None, ild_init=None, dropout=0.1, lookahead=1):
        super().__init__()
        self.window_frames = window_frames
        self.bands = bands
        self.lookahead = lookahead
        self.ild_cap = float(ild_cap)
        self.register_buffer('mean', torch.as_tensor(mean, dtype=torch.float32).reshape(1, 1, bands))
        self.register_buffer('inv_std', (1.0 / torch.as_tensor(std, dtype=torch.float32)).reshape(1, 1, bands))
        layers = [nn.Conv1d(bands, channels, 3, padding=1), nn.ReLU()]
        length = window_frames
        while length > 9:
            layers += [nn.Conv1d(channels, channels, 3, stride=2), nn.ReLU()]
            length = (length - 3) // 2 + 1
        self.convs = nn.Sequential(*layers)
        self.conv_out = channels * length
        self.body = nn.Sequential(
            nn.Linear(self.conv_out + (1 + lookahead) * bands, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
        )
        self.head = nn.Linear(hidden, 2 * bands)
        _init_head(self.head, bands, icc_init, ild_init)

    def forward(self, features):
        x = (features - self.mean) * self.inv_std
        now = x[:, self.window_frames - 1 - self.lookahead:, :].reshape(-1, (1 + self.lookahead) * self.bands)
        h = self.convs(x.transpose(1, 2)).reshape(-1, self.conv_out)
        z = self.head(self.body(torch.cat([h, now], dim=1)))
        icc = torch.sigmoid(z[:, : self.bands])
        ild = torch.clamp(nn.functional.softplus(z[:, self.bands:]), max=self.ild_cap)
        return icc, ild


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


def masked_loss(icc, ild, icc_t, ild_t, active, ild_weight=0.05):
    """L1 on ICC + ild_weight * L1 on |ILD| dB, over active tiles/bands only."""
    m = active.float()
    n = m.sum().clamp(min=1.0)
    icc_err = ((icc - icc_t).abs() * m).sum() / n
    ild_err = ((ild - ild_t).abs() * m).sum() / n
    return icc_err + ild_weight * ild_err, icc_err, ild_err

