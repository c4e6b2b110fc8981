"""HebbFF training epoch in PyTorch (CPU), for `make bench` (issue 19 item 5).

The same work as rnnscope's epoch (src/hebbff/train.rs, HebbTrainer::step):
HebbFF (Tyulmankov, Yang & Abbott, Neuron 2022) with N = 100 inputs and
M = 120 hidden units, run over one training sequence of T items from A = 0:

    h(t) = sigmoid((W1 + A(t-1)) x(t) + b1),   z(t) = w2 . h(t) + b2,
    A(t) = lam A(t-1) + eta h(t) x(t)^T,

mean binary cross-entropy of sigmoid(z) against y, its gradient by autograd
through the A(t) recursion (= BPTT through A, into W1, b1, w2, b2, lam, eta),
global-norm clipping at 10, one Adam step (lr 1e-3, betas 0.9/0.999,
eps 1e-8) and lam clamped to [0, 1]. The step loop is written the way the
HebbFF authors' PyTorch code runs it: one addmv and one outer product per
item. Float64 by default, as rnnscope.

Inputs (written by `cargo run --release --example bench -- DIR hebbff_epoch`):
DIR/hebbff_T<T>_{w1,b,s,x,y,loss}.npy = rnnscope's initial W1, [b1; w2],
[b2, lam, eta], the first K training sequences (items and labels) and
rnnscope's training loss of each of those K epochs. The script trains a model
from those weights on those sequences and reports the largest relative
difference of its K epoch losses from rnnscope's (the check that both do the
same work), then times further epochs on the same K sequences in turn.

Timing: CPU time of the process (time.process_time; with 2 threads this is
both threads' time added up) and wall time, best of 5 batches of `reps`
epochs after one warm-up batch, per epoch.

Usage: hebbff_torch.py DIR [--threads 1] [--dtype float64]
Output: JSON {"hebbff_epoch": {"100x120_T<T>": {"<label>": {...}}}} on stdout.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
args = ap.parse_args()
torch.set_num_threads(args.threads)
DT = getattr(torch, args.dtype)
LABEL = f"pytorch {torch.__version__.split('+')[0]} CPU, {args.threads} thread{'s' if args.threads > 1 else ''}, {args.dtype}"
CLIP, LR = 10.0, 1e-3


class HebbFF(torch.nn.Module):
    def __init__(self, w1, b, s):
        super().__init__()
        p = lambda v: torch.nn.Parameter(torch.tensor(v, dtype=DT))
        self.w1, self.b1, self.w2 = p(w1), p(b[0]), p(b[1])
        self.b2, self.lam, self.eta = p(s[0, 0]), p(s[0, 1]), p(s[0, 2])

    def forward(self, x):
        """Logits z(t) for the items x (T x N), A(0) = 0."""
        A = torch.zeros_like(self.w1)
        z = []
        for xt in x:
            h = torch.sigmoid(torch.addmv(self.b1, self.w1 + A, xt))
            z.append(torch.dot(self.w2, h) + self.b2)
            A = self.lam * A + self.eta * torch.outer(h, xt)
        return torch.stack(z)


def load(d, t):
    f = lambda k: np.load(f"{d}/hebbff_T{t}_{k}.npy")
    net = HebbFF(f("w1"), f("b"), f("s"))
    y = f("y")
    k = y.shape[0]
    x = torch.tensor(f("x").reshape(k, t, -1), dtype=DT)
    return net, x, torch.tensor(y, dtype=DT), f("loss")[0]


def trainer(net):
    opt = torch.optim.Adam(net.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8)
    params = list(net.parameters())

    def epoch(x, y):
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(x), y)
        loss.backward()
        with torch.no_grad():
            # Global-norm clip as rnnscope's clip_global_norm: scale by c/||g|| when ||g|| > c.
            norm = torch.sqrt(sum((p.grad * p.grad).sum() for p in params))
            if norm > CLIP:
                for p in params:
                    p.grad.mul_(CLIP / norm)
        opt.step()
        with torch.no_grad():
            net.lam.clamp_(0.0, 1.0)
        return loss.item()

    return epoch


out = {}
for t, reps in [(100, 20), (2500, 2)]:
    net, xs, ys, ref = load(args.dir, t)
    k = len(ref)
    epoch = trainer(net)
    losses = [epoch(xs[i], ys[i]) for i in range(k)]
    rel = [abs(a - b) / abs(b) for a, b in zip(losses, ref)]
    done = k
    for _ in range(reps):  # warm-up
        epoch(xs[done % k], ys[done % k])
        done += 1
    cpu = wall = float("inf")
    for _ in range(5):
        c, w = time.process_time(), time.perf_counter()
        for _ in range(reps):
            loss = epoch(xs[done % k], ys[done % k])
            done += 1
        cpu = min(cpu, (time.process_time() - c) / reps)
        wall = min(wall, (time.perf_counter() - w) / reps)
    r = {"seconds": cpu, "cpu_seconds": cpu, "wall_seconds": wall, "loss": loss,
         "first_losses": losses, "first_losses_max_rel_diff": max(rel),
         "first_loss_rel_diff": rel[0]}
    print(f"[torch] {t}: {json.dumps(r)}", file=sys.stderr)
    out.setdefault("hebbff_epoch", {})[f"100x120_T{t}"] = {LABEL: r}
json.dump(out, sys.stdout, indent=1)
