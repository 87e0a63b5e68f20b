"""NeuralForecast's own seed spread on the zoo's yardstick protocol.

The zoo's yardstick (`bench/yardsticks/nf-zoo.json`) holds one NeuralForecast run per model, at
random_seed 1. Where the lab misses that single figure, the question is whether NF's seed 1 was a
typical draw. This script answers it with NF's own network module: it loads `neuralforecast/models/
<model>.py` (and `common/_modules.py`) from a NeuralForecast git checkout at run time — nothing of
NF is copied into this project — with NF's `BaseModel` replaced by a stub that only keeps the sizes
the modules read, and trains it with a loop that follows NF 3.2's `BaseModel.training_step`:

- AirPassengersPanel (Airline1, Airline2 = Airline1 + 300), cross-validation's training part (the
  first 108 points), `h` 12, `input_size` 24, `max_steps` 100, Adam lr 1e-3, no lr decay;
- training windows as NF builds them (the series padded with h unavailable points, every window
  with at least one available target); univariate models sample `windows_batch_size` windows with
  replacement from all series' windows, multivariate models take `windows_batch_size` of the time
  windows without replacement (all series together);
- NF's window scaler (identity, or robust: lower median and median absolute deviation of the input
  window, with NF's zero-MAD fallback) and the masked MAE on the scaled target;
- torch's own initialisation after `torch.manual_seed(seed)`, then the seed again before training;
- the forecasts of the three cross-validation windows (cutoffs 108, 120, 132), MAE over both series.

It does not replay NF's data loader's random stream, so seed s here is a fresh draw of NF's
distribution, not NF's run at seed s (KAN at seed 1: 27.02 here, 27.09 in the yardstick).

  python3 bench/torchref/nf-seed-spread.py --nf /path/to/neuralforecast --model kan --seeds 1-5

Needs torch (Debian: `apt-get install python3-torch`, 1.13 — a scaled_dot_product_attention
polyfill covers torch < 2) and numpy; run with /usr/bin/python3 when another python shadows it.
"""
import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[2]
H, INPUT_SIZE, STEPS, LR = 12, 24, 100, 1e-3
TEST_SIZE = 36  # h + step_size * (n_windows - 1) = 12 + 12 * 2
# model id -> (NF module file, class name, windows_batch_size, scaler) at NF 3.2's defaults.
MODELS = {
    'kan': ('kan', 'KAN', 1024, 'identity'),
    'tft': ('tft', 'TFT', 1024, 'robust'),
    'timexer': ('timexer', 'TimeXer', 32, 'identity'),
    'itransformer': ('itransformer', 'iTransformer', 32, 'identity'),
    'tsmixer': ('tsmixer', 'TSMixer', 32, 'identity'),
}

STUB_BASE_MODEL = '''
import torch.nn as nn
class BaseModel(nn.Module):
    """Only what the network modules read of NF's BaseModel: sizes, the loss, n_series."""
    def __init__(self, h, input_size, loss, n_series=None, **kwargs):
        super().__init__()
        self.h, self.input_size, self.loss, self.n_series = h, input_size, loss, n_series
        self.hist_exog_size = self.futr_exog_size = self.stat_exog_size = 0
'''
STUB_LOSSES = '''
class MAE:
    outputsize_multiplier = 1
    is_distribution_output = False
    def domain_map(self, y):
        return y
'''


def air_passengers() -> np.ndarray:
    """The 144 values of the lab's own fixture, so both sides train on the same numbers."""
    text = (ROOT / 'packages/engine/test/fixtures/air-passengers.ts').read_text()
    body = text.split('AIR_PASSENGERS: readonly number[] = [', 1)[1].split('];', 1)[0]
    values = [float(v) for v in re.findall(r'^\s*([\d,\s]+)//', body, re.M) for v in v.split(',') if v.strip()]
    assert len(values) == 144, len(values)
    return np.array(values, dtype=np.float32)


def load_module(nf: Path, ref: str, file: str, cls: str):
    """Builds a throw-away `neuralforecast` package (stubs + NF's files at `ref`); returns `cls` and the MAE stub."""
    pkg = Path(tempfile.mkdtemp(prefix='nfref-')) / 'neuralforecast'
    for sub in ('', 'common', 'losses', 'models'):
        (pkg / sub).mkdir(parents=True, exist_ok=True)
        (pkg / sub / '__init__.py').write_text('')
    (pkg / 'common/_base_model.py').write_text(STUB_BASE_MODEL)
    (pkg / 'losses/pytorch.py').write_text(STUB_LOSSES)
    for path in ('neuralforecast/common/_modules.py', f'neuralforecast/models/{file}.py'):
        source = subprocess.run(['git', '-C', str(nf), 'show', f'{ref}:{path}'], check=True,
                                capture_output=True, text=True).stdout
        (pkg.parent / path).write_text(source)
    # TFT imports pandas only for a type annotation of an interpretability helper.
    sys.modules.setdefault('pandas', types.SimpleNamespace(DataFrame=object))
    sys.path.insert(0, str(pkg.parent))
    module = __import__(f'neuralforecast.models.{file}', fromlist=[cls])
    losses = __import__('neuralforecast.losses.pytorch', fromlist=['MAE'])
    return getattr(module, cls), losses.MAE


def polyfill_sdpa():
    """torch < 2 has no F.scaled_dot_product_attention; NF's FullAttention calls it."""
    if hasattr(F, 'scaled_dot_product_attention'):
        return

    def sdpa(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
        scores = q @ k.transpose(-2, -1) * (scale if scale is not None else 1 / math.sqrt(q.shape[-1]))
        if is_causal:
            scores = scores.masked_fill(torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).triu(1), -math.inf)
        if attn_mask is not None:
            scores = scores.masked_fill(~attn_mask, -math.inf) if attn_mask.dtype == torch.bool else scores + attn_mask
        weights = torch.softmax(scores, dim=-1)
        return F.dropout(weights, dropout_p) @ v if dropout_p > 0 else weights @ v

    F.scaled_dot_product_attention = sdpa


def window_stats(x: torch.Tensor, scaler: str):
    """NF's temporal scaler statistics over the input window x [B, L, ...] (all points available)."""
    if scaler == 'identity':
        return torch.zeros_like(x[:, :1]), torch.ones_like(x[:, :1])
    median = x.nanmedian(dim=1, keepdim=True).values  # the lower middle value, as NF's masked_median
    mad = (x - median).abs().nanmedian(dim=1, keepdim=True).values
    std = ((x - x.mean(dim=1, keepdim=True)) ** 2).mean(dim=1, keepdim=True).sqrt()
    mad = mad * (mad > 0) + std * 0.6744897501960817 * (mad == 0)
    mad[mad == 0] = 1.0
    return median, mad + 1e-6


def training_windows(panel: np.ndarray):
    """Inputs [W, L, N], targets [W, h, N] and target availability of NF's padded training windows."""
    train = np.concatenate([panel[: len(panel) - TEST_SIZE], np.zeros((H, panel.shape[1]), np.float32)])
    available = np.arange(len(train)) < len(panel) - TEST_SIZE
    starts = [t for t in range(len(train) - INPUT_SIZE - H + 1) if available[t + INPUT_SIZE: t + INPUT_SIZE + H].any()]
    x = np.stack([train[t: t + INPUT_SIZE] for t in starts])
    y = np.stack([train[t + INPUT_SIZE: t + INPUT_SIZE + H] for t in starts])
    mask = np.stack([np.broadcast_to(available[t + INPUT_SIZE: t + INPUT_SIZE + H, None], y.shape[1:]) for t in starts])
    return torch.tensor(x), torch.tensor(y), torch.tensor(mask.astype(np.float32))


def cv_mae(model_cls, loss_cls, seed: int, windows_batch_size: int, scaler: str, panel: np.ndarray) -> float:
    n_series = panel.shape[1]
    torch.manual_seed(seed)
    multivariate = bool(getattr(model_cls, 'MULTIVARIATE', False))
    sizes = {'h': H, 'input_size': INPUT_SIZE, 'loss': loss_cls(), **({'n_series': n_series} if multivariate else {})}
    model = model_cls(**sizes)
    torch.manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    x, y, mask = training_windows(panel)
    if not multivariate:  # every series' windows are separate samples: [W·N, L, 1]
        x, y, mask = (t.permute(2, 0, 1).reshape(-1, t.shape[1], 1) for t in (x, y, mask))

    def forward(inputs):
        batch = {'insample_y': inputs, 'insample_mask': torch.ones_like(inputs), 'futr_exog': None,
                 'hist_exog': None, 'stat_exog': None}
        return model(batch).reshape(len(inputs), H, inputs.shape[-1])

    model.train()
    for _ in range(STEPS):
        if multivariate and len(x) >= windows_batch_size:
            idx = torch.randperm(len(x))[:windows_batch_size]
        else:
            idx = torch.randint(0, len(x), (windows_batch_size,))
        loc, scale = window_stats(x[idx], scaler)
        y_hat = forward((x[idx] - loc) / scale)
        loss = (torch.abs((y[idx] - loc) / scale - y_hat) * mask[idx]).sum() / mask[idx].sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    errors = []
    with torch.no_grad():
        for cutoff in range(len(panel) - TEST_SIZE, len(panel), H):
            inputs = torch.tensor(panel[cutoff - INPUT_SIZE: cutoff])  # [L, N]
            inputs = inputs.unsqueeze(0) if multivariate else inputs.T.unsqueeze(-1)  # [1, L, N] or [N, L, 1]
            loc, scale = window_stats(inputs, scaler)
            y_hat = forward((inputs - loc) / scale) * scale + loc
            target = panel[cutoff: cutoff + H]
            errors.append(np.abs(y_hat[0].numpy() - target) if multivariate else np.abs(y_hat[..., 0].numpy() - target.T))
    return float(np.mean(errors))


def parse_seeds(text: str):
    if '-' in text:
        first, last = map(int, text.split('-'))
        return list(range(first, last + 1))
    return [int(s) for s in text.split(',')]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--nf', required=True, help='a NeuralForecast git checkout')
    parser.add_argument('--ref', default='v3.2.0')
    parser.add_argument('--model', required=True, choices=sorted(MODELS))
    parser.add_argument('--seeds', default='1-5')
    args = parser.parse_args()
    torch.set_num_threads(1)
    polyfill_sdpa()
    file, cls, windows_batch_size, scaler = MODELS[args.model]
    model_cls, loss_cls = load_module(Path(args.nf), args.ref, file, cls)
    air = air_passengers()
    panel = np.stack([air, air + 300], axis=1)
    by_seed = {}
    for seed in parse_seeds(args.seeds):
        by_seed[seed] = round(cv_mae(model_cls, loss_cls, seed, windows_batch_size, scaler, panel), 3)
        print(f'{args.model} seed {seed}: cv MAE {by_seed[seed]}', file=sys.stderr, flush=True)
    print(json.dumps({'model': args.model, 'nf_ref': args.ref, 'cv_mae_by_seed': by_seed,
                      'median': float(np.median(list(by_seed.values())))}))


if __name__ == '__main__':
    main()
