#!/usr/bin/python3
"""Reference MSE / PSNR / SSIM values for tests/core/test_metrics.cpp, from scikit-image.

Run with Debian's python3-skimage (0.19.3): /usr/bin/python3 tests/core/metrics_reference.py
The arrays are the analytic patterns that test_metrics.cpp builds (float32, x fastest). They go to
scikit-image as float64 (the same values), because scikit-image 0.19 computes SSIM in float32 when
given float32, which is good to about 1e-7 only; Tweedie computes in double.
"""
import numpy as np
from skimage.metrics import mean_squared_error, peak_signal_noise_ratio, structural_similarity


def pattern(nx, ny, nz):
    z, y, x = np.meshgrid(np.arange(nz), np.arange(ny), np.arange(nx), indexing="ij")
    x, y, z = x.astype(np.float64), y.astype(np.float64), z.astype(np.float64)
    reference = 100 + 80 * np.sin(0.21 * x + 0.4 * z) * np.cos(0.13 * y) + 0.5 * x
    test = reference + 15 * np.sin(0.37 * x * x + 1.91 * y + 0.7 * z)
    return reference.astype(np.float32), test.astype(np.float32)


def report(nx, ny, nz, data_range):
    reference, test = (image.astype(np.float64) for image in pattern(nx, ny, nz))
    mse = mean_squared_error(reference, test)
    psnr = peak_signal_noise_ratio(reference, test, data_range=data_range)
    ssim = np.mean([
        structural_similarity(reference[k], test[k], data_range=data_range, gaussian_weights=True,
                              sigma=1.5, use_sample_covariance=False)
        for k in range(nz)])
    print(f"{nx}x{ny}x{nz} range {data_range}: mse {mse:.17g} psnr {psnr:.17g} ssim {ssim:.17g}")


report(64, 48, 1, 255.0)
report(40, 33, 3, 200.0)
