#!/usr/bin/python3
"""Our CT operators against scikit-image's radon / iradon, timed in the same run.

Usage: /usr/bin/python3 bench/peers/radon_skimage.py [BUILD_DIR (default build)]
Runs build/bench/operators_bench (2 threads) and scikit-image 0.19.3 (Debian python3-skimage,
one thread) on the same image sizes and view counts, median of 3 runs each, and prints
milliseconds and our speed-up: forward + adjoint projection against radon (scikit-image has no
separate adjoint; its radon is the forward projection), and FBP against iradon.
Both solve the same problem: the whole square image projected onto sqrt(2)·n detector bins
(scikit-image's circle=False; circle=True would assume the image zero outside its inscribed
circle and cut the detector to n bins), and FBP back onto n × n pixels.
"""
import json
import subprocess
import sys

import numpy as np
from skimage.data import shepp_logan_phantom
from skimage.transform import iradon, radon, resize
from timing import median_ms

build = sys.argv[1] if len(sys.argv) > 1 else "build"
result = subprocess.run(
    [f"{build}/bench/operators_bench", "--benchmark_filter=threads:2", "--benchmark_repetitions=3",
     "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
    check=True, capture_output=True, text=True)
ours = {}
for entry in json.loads(result.stdout)["benchmarks"]:
    if entry.get("aggregate_name") == "median":
        ours[entry["run_name"]] = entry["real_time"]  # milliseconds



print(f"{'size':>5} {'views':>5} | {'ours fwd+adj':>12} {'radon':>9} {'speed-up':>8} | "
      f"{'ours FBP':>9} {'iradon':>9} {'speed-up':>8}")
for n in (256, 512):
    image = resize(shepp_logan_phantom(), (n, n))
    for views in (360, 720):
        theta = np.arange(views) * 180.0 / views
        sinogram = radon(image, theta=theta, circle=False)
        radon_ms = median_ms(lambda: radon(image, theta=theta, circle=False), repeats=3)
        iradon_ms = median_ms(lambda: iradon(sinogram, theta=theta, filter_name="ramp", circle=False), repeats=3)
        key = f"n:{n}/views:{views}/threads:2/real_time"
        projection = ours[f"BM_joseph_forward/{key}"] + ours[f"BM_joseph_adjoint/{key}"]
        fbp = ours[f"BM_fbp/{key}"]
        print(f"{n:>5} {views:>5} | {projection:>12.1f} {radon_ms:>9.1f} {radon_ms / projection:>7.1f}x | "
              f"{fbp:>9.1f} {iradon_ms:>9.1f} {iradon_ms / fbp:>7.1f}x")
