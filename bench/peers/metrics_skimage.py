#!/usr/bin/python3
"""Peer timings for core_bench's BM_mse / BM_ssim: scikit-image on the same sizes, one thread.

Run with Debian's python3-skimage: /usr/bin/python3 bench/peers/metrics_skimage.py
Prints the median of 5 runs per size, in milliseconds. Images are float64 (scikit-image's exact
path; float32 input makes it compute SSIM in float32).
"""
import numpy as np
from skimage.metrics import mean_squared_error, structural_similarity
from timing import median_ms

rng = np.random.default_rng(0)
for n in (256, 512, 1024, 2048):
    a = 100 + 20 * rng.standard_normal((n, n))
    b = 100 + 20 * rng.standard_normal((n, n))
    mse = median_ms(lambda: mean_squared_error(a, b))
    ssim = median_ms(lambda: structural_similarity(a, b, data_range=255.0, gaussian_weights=True,
                                                   sigma=1.5, use_sample_covariance=False))
    print(f"{n}x{n}: mse {mse:.3f} ms  ssim {ssim:.3f} ms")
