#!/usr/bin/python3
"""The DAE engine against PyTorch on CPU, timed in the same run.

Usage: /usr/bin/python3 bench/peers/dae_torch.py [BUILD_DIR (default build)]
Builds exactly the bundled models' architecture in PyTorch 1.13 (Debian python3-torch; oneDNN
inside): pixel unshuffle by 2, a constant noise-level channel, 15 convolutions 3x3 of 64
channels with ReLU between them, pixel shuffle, output = input - predicted noise. Times, at 2
threads and as the median of 5 runs each, (a) inference on a 512x512 image and (b) one training
step (forward, mean-squared loss, backward, Adam) on 64 patches of 40x40 and of 64x64 (the
bundled recipes' size), in float32 and with bfloat16 autocast (oneDNN's AMX kernels where the CPU
has them), then runs build/bench/priors_bench (our convolution backends) and prints ours/theirs
speed ratios: float32 against float32, our amx-bf16 backend against PyTorch's bfloat16.

PyTorch runs in its fastest documented CPU configuration: the network and its inputs in
channels_last memory format (oneDNN's blocked kernels without layout conversions), and OpenBLAS left to detect the CPU (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
removed from the environment before torch loads).
"""
import json
import os
import subprocess
import sys

KEEP_FREED_MEMORY = "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=4294967296"
if any(v in os.environ for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) or "GLIBC_TUNABLES" not in os.environ:
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    clean.setdefault("GLIBC_TUNABLES", KEEP_FREED_MEMORY)
    os.execve(sys.executable, [sys.executable] + sys.argv, clean)

import torch  # noqa: E402 (after the environment is settled)
from timing import median_ms  # noqa: E402

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
        # The convolutions' input in channels_last too: the unshuffle and the concatenation give NCHW.
        body_input = torch.cat([folded, noise_map], dim=1).contiguous(memory_format=torch.channels_last)
        return x - self.unfold(self.body(body_input))


torch.set_num_threads(2)
torch.manual_seed(0)
CHANNELS_LAST = torch.channels_last
net = Net().to(memory_format=CHANNELS_LAST)
optimiser = torch.optim.Adam(net.parameters(), lr=1e-4)
image, image_sigma = torch.rand(1, 1, 512, 512).contiguous(memory_format=CHANNELS_LAST), torch.full((1,), 0.1)


def infer():
    with torch.no_grad():
        net(image, image_sigma)


def training_step(patch, bfloat16):
    patches = torch.rand(64, 1, patch, patch).contiguous(memory_format=CHANNELS_LAST)
    sigmas, clean = torch.full((64,), 0.1), torch.rand(64, 1, patch, patch).contiguous(memory_format=CHANNELS_LAST)

    def step():
        optimiser.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
            loss = torch.nn.functional.mse_loss(net(patches, sigmas).float(), clean)
        loss.backward()
        optimiser.step()
    return step


theirs = {}
for name, function in [("inference", infer)] + [
        (f"training {patch} {'bf16' if bf16 else 'fp32'}", training_step(patch, bf16))
        for patch in (40, 64) for bf16 in (False, True)]:
    function()
    theirs[name] = median_ms(function, repeats=5)

build = sys.argv[1] if len(sys.argv) > 1 else "build"
result = subprocess.run(
    [f"{build}/bench/priors_bench", "--benchmark_filter=(BM_training_step|BM_inference_512).*threads:2",
     "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
    check=True, capture_output=True, text=True)
ours = {}
for entry in json.loads(result.stdout)["benchmarks"]:
    if entry.get("aggregate_name") == "median":
        ours[entry["run_name"]] = entry["real_time"]

BACKENDS = (("Winograd", 1, "fp32"), ("amx-bf16", 2, "bf16"), ("reference", 0, "fp32"))
print(f"{'task':<40} {'PyTorch ms':>10} {'ours ms':>9} {'speed-up':>8}")
for task, name, peer in (("inference 512x512", "BM_inference_512", "inference"),
                         ("training step 64 x 40x40", "BM_training_step/patch40", "training 40"),
                         ("training step 64 x 64x64", "BM_training_step/patch64", "training 64")):
    for backend, flag, precision in BACKENDS:
        run = f"{name}/backend:{flag}/threads:2/real_time"
        if run not in ours or (peer == "inference" and precision == "bf16"):  # amx-bf16: training, AMX CPUs
            continue
        key = peer if peer == "inference" else f"{peer} {precision}"
        reference, ms = theirs[key], ours[run]
        label = f"{task} ({backend}{', vs bf16' if precision == 'bf16' else ''})"
        print(f"{label:<40} {reference:>10.1f} {ms:>9.1f} {reference / ms:>7.2f}x")
