#!/usr/bin/env python3
"""A plain PyTorch Mixture Density Network: the peer that jobs/bench.sh trains side by side with ours.

It trains what `jobs/train.sh` trains, on the same CSV rows: the features and labels are standardised on the
training rows, the network is dense layers to K mixture weights (softmax), K means and K sigmas (floor + softplus),
the loss is the mean negative log-likelihood by log-sum-exp, the optimiser Adam with an exponential learning-rate
decay per epoch. Nothing is tuned for speed beyond what a user would write: one process, float32, shuffled
minibatches, torch.set_num_threads.

    python3 bench/pytorch_mdn.py --data DIR_OR_CSV --out stats.json [--mixtures 5 --hidden 32,32 ...]

Writes a JSON object with the settings, per-epoch samples/s (training loop only) and test NLL (nats per point, in
the label's own units, comparable to spark-mdn's), and the seconds from start to model saved.
"""
import argparse
import glob
import json
import math
import os
import sys
import time

START = time.time()

import numpy as np  # noqa: E402
import torch  # noqa: E402


def read_csv(path, features, labels):
    files = sorted(glob.glob(os.path.join(path, "*.csv"))) if os.path.isdir(path) else [path]
    if not files:
        sys.exit(f"no CSV files in {path}")
    with open(files[0]) as f:
        header = f.readline().strip().split(",")
    missing = [c for c in features + labels if c not in header]
    if missing:
        sys.exit(f"columns {missing} not in {files[0]} (has {header})")
    cols = [header.index(c) for c in features + labels]
    data = np.concatenate([np.loadtxt(f, delimiter=",", skiprows=1, usecols=cols, ndmin=2) for f in files])
    return data[:, :len(features)], data[:, len(features):]


class Mdn(torch.nn.Module):
    def __init__(self, inputs, hidden, activation, mixtures, sigma_floor):
        super().__init__()
        layers, width = [], inputs
        act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[activation]
        for h in hidden:
            layers += [torch.nn.Linear(width, h), act()]
            width = h
        self.body = torch.nn.Sequential(*layers)
        self.head = torch.nn.Linear(width, 3 * mixtures)
        self.k = mixtures
        self.floor = sigma_floor

    def nll(self, x, y):
        """Mean -log p(y | x) over the rows, for one label column."""
        out = self.head(self.body(x))
        log_alpha = torch.log_softmax(out[:, :self.k], dim=1)
        mu = out[:, self.k:2 * self.k]
        sigma = self.floor + torch.nn.functional.softplus(out[:, 2 * self.k:])
        z = (y - mu) / sigma
        log_n = -0.5 * z * z - torch.log(sigma) - 0.5 * math.log(2 * math.pi)
        return -torch.logsumexp(log_alpha + log_n, dim=1).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--features", default="x")
    p.add_argument("--labels", default="y")
    p.add_argument("--out", required=True, help="JSON file of the run's statistics")
    p.add_argument("--model-out", help="where to save the trained state_dict (default: beside --out)")
    p.add_argument("--mixtures", type=int, default=20)
    p.add_argument("--hidden", default="64,64,64")
    p.add_argument("--activation", default="relu")
    p.add_argument("--learning-rate", type=float, default=0.01)
    p.add_argument("--learning-rate-decay", type=float, default=0.9)
    p.add_argument("--batch-size", type=int, default=512)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--test-fraction", type=float, default=0.1)
    p.add_argument("--sigma-floor", type=float, default=0.001)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y = read_csv(a.data, a.features.split(","), [a.labels])
    rng = np.random.default_rng(a.seed)
    order = rng.permutation(len(x))
    n_test = int(round(len(x) * a.test_fraction))
    test, train = order[:n_test], order[n_test:]
    x_mean, x_std = x[train].mean(0), x[train].std(0)
    y_mean, y_std = y[train].mean(0), y[train].std(0)
    xs = torch.tensor((x - x_mean) / x_std, dtype=torch.float32)
    ys = torch.tensor((y - y_mean) / y_std, dtype=torch.float32)
    x_train, y_train = xs[train], ys[train]
    x_test, y_test = xs[test], ys[test]
    log_jacobian = float(np.log(y_std).sum())  # NLL in the label's own units = standardised NLL + log σ_y

    hidden = [int(h) for h in a.hidden.split(",") if h]
    model = Mdn(x.shape[1], hidden, a.activation, a.mixtures, a.sigma_floor)
    optimiser = torch.optim.Adam(model.parameters(), lr=a.learning_rate)
    decay = torch.optim.lr_scheduler.ExponentialLR(optimiser, gamma=a.learning_rate_decay)
    ready = time.time() - START

    epochs = []
    n = len(x_train)
    for epoch in range(1, a.epochs + 1):
        model.train()
        began = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, a.batch_size):
            idx = perm[i:i + a.batch_size]
            optimiser.zero_grad(set_to_none=True)
            loss = model.nll(x_train[idx], y_train[idx])
            loss.backward()
            optimiser.step()
        seconds = time.perf_counter() - began
        decay.step()
        model.eval()
        with torch.no_grad():
            test_nll = float(model.nll(x_test, y_test)) + log_jacobian
        epochs.append({"epoch": epoch, "seconds": seconds, "samplesPerSecond": n / seconds, "testNll": test_nll})
        print(f"epoch {epoch}/{a.epochs}: test NLL {test_nll:.4f}, {n / seconds:.0f} samples/s, {seconds:.1f} s",
              flush=True)

    model_out = a.model_out or os.path.splitext(a.out)[0] + ".pt"
    torch.save({"state": model.state_dict(), "x_mean": x_mean, "x_std": x_std, "y_mean": y_mean, "y_std": y_std},
               model_out)
    result = {
        "torch": torch.__version__, "threads": a.threads, "trainRows": n, "testRows": n_test,
        "mixtures": a.mixtures, "hidden": hidden, "activation": a.activation, "batchSize": a.batch_size,
        "learningRate": a.learning_rate, "learningRateDecay": a.learning_rate_decay,
        "secondsBeforeFirstEpoch": ready, "epochs": epochs, "wallSeconds": time.time() - START,
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
