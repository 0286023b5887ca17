#!/usr/bin/python3
"""The DAE engine against PyTorch on CPU, timed in the same run.

Usage: /usr/bin/python3 bench/peers/dae_torch.py [BUILD_DIR (default build)]
Builds exactly the bundled models' architecture in PyTorch 1.13 (Debian python3-torch; oneDNN
inside): pixel unshuffle by 2, a constant noise-level channel, 15 convolutions 3x3 of 64
channels with ReLU between them, pixel shuffle, output = input - predicted noise. Times, at 2
threads and as the median of 5 runs each, (a) inference on a 512x512 image and (b) one training
step (forward, mean-squared loss, backward, Adam) on 64 patches of 40x40, then runs
build/bench/priors_bench (our two convolution backends) and prints ours/theirs speed ratios.
"""
import json
import subprocess
import sys

import torch
from timing import median_ms

DEPTH, WIDTH, UNSHUFFLE = 15, 64, 2


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        folded = UNSHUFFLE * UNSHUFFLE
        layers = [torch.nn.Conv2d(folded + 1, WIDTH, 3, padding=1), torch.nn.ReLU()]
        for _ in range(DEPTH - 2):
            layers += [torch.nn.Conv2d(WIDTH, WIDTH, 3, padding=1), torch.nn.ReLU()]
        layers.append(torch.nn.Conv2d(WIDTH, folded, 3, padding=1))
        self.body = torch.nn.Sequential(*layers)
        self.fold = torch.nn.PixelUnshuffle(UNSHUFFLE)
        self.unfold = torch.nn.PixelShuffle(UNSHUFFLE)

    def forward(self, x, sigma):
        folded = self.fold(x)
        noise_map = sigma.view(-1, 1, 1, 1).expand(-1, 1, folded.shape[2], folded.shape[3])
        return x - self.unfold(self.body(torch.cat([folded, noise_map], dim=1)))


torch.set_num_threads(2)
torch.manual_seed(0)
net = Net()
optimiser = torch.optim.Adam(net.parameters(), lr=1e-4)
image, image_sigma = torch.rand(1, 1, 512, 512), torch.full((1,), 0.1)
patches, patch_sigmas = torch.rand(64, 1, 40, 40), torch.full((64,), 0.1)
clean = torch.rand(64, 1, 40, 40)


def infer():
    with torch.no_grad():
        net(image, image_sigma)


def train_step():
    optimiser.zero_grad()
    loss = torch.nn.functional.mse_loss(net(patches, patch_sigmas), clean)
    loss.backward()
    optimiser.step()


infer()
train_step()
theirs = {"inference": median_ms(infer, repeats=5), "training": median_ms(train_step, repeats=5)}

build = sys.argv[1] if len(sys.argv) > 1 else "build"
result = subprocess.run(
    [f"{build}/bench/priors_bench", "--benchmark_filter=(BM_training_step|BM_inference_512).*threads:2",
     "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
    check=True, capture_output=True, text=True)
ours = {}
for entry in json.loads(result.stdout)["benchmarks"]:
    if entry.get("aggregate_name") == "median":
        ours[entry["run_name"]] = entry["real_time"]

print(f"{'task':<34} {'PyTorch ms':>10} {'ours ms':>9} {'speed-up':>8}")
for task, name in (("inference 512x512", "BM_inference_512"), ("training step 64 x 40x40", "BM_training_step")):
    reference = theirs["inference" if name == "BM_inference_512" else "training"]
    for backend, flag in (("Winograd", 1), ("reference", 0)):
        ms = ours[f"{name}/backend:{flag}/threads:2/real_time"]
        print(f"{task + ' (' + backend + ')':<34} {reference:>10.1f} {ms:>9.1f} {reference / ms:>7.2f}x")
