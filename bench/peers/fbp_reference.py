#!/usr/bin/python3
"""Reference PSNR of scikit-image's FBP for tests/operators/test_fbp.cpp.

Run with Debian's python3-skimage (0.19.3): /usr/bin/python3 bench/peers/fbp_reference.py
Builds the same modified Shepp-Logan phantom as operators/phantom.cpp (512x512, 0.5 mm pixels,
radius 0.95 * 128 mm, 4x4 supersampled), its exact parallel-beam sinogram over 720 views in
scikit-image's conventions (found by matching skimage.transform.radon of the rasterised phantom),
reconstructs it with iradon (ramp filter, linear interpolation) and prints the PSNR (data range 1).
"""
import numpy as np
from skimage.transform import radon, iradon

N, PIXEL = 512, 0.5
RADIUS = 0.5 * N * PIXEL * 0.95
TABLE = [(1.0, .69, .92, 0, 0, 0), (-.8, .6624, .874, 0, -.0184, 0), (-.2, .11, .31, .22, 0, -18),
         (-.2, .16, .41, -.22, 0, 18), (.1, .21, .25, 0, .35, 0), (.1, .046, .046, 0, .1, 0),
         (.1, .046, .046, 0, -.1, 0), (.1, .046, .023, -.08, -.605, 0), (.1, .023, .023, 0, -.606, 0),
         (.1, .023, .046, .06, -.605, 0)]
ELLIPSES = [(v, a * RADIUS, b * RADIUS, x * RADIUS, -y * RADIUS, -phi) for v, a, b, x, y, phi in TABLE]


def rasterize(supersampling=4):
    offsets = (np.arange(supersampling) + 0.5) / supersampling - 0.5
    centres = (np.arange(N) - (N - 1) / 2) * PIXEL
    image = np.zeros((N, N))
    for oy in offsets:
        for ox in offsets:
            y, x = np.meshgrid(centres + oy * PIXEL, centres + ox * PIXEL, indexing="ij")
            for v, a, b, x0, y0, phi in ELLIPSES:
                c, s = np.cos(np.radians(phi)), np.sin(np.radians(phi))
                u = (c * (x - x0) + s * (y - y0)) / a
                w = (-s * (x - x0) + c * (y - y0)) / b
                image += v * (u * u + w * w <= 1)
    return image / supersampling ** 2


def analytic(theta_deg, detector_mm, sign):
    """Line integrals along rays u(theta) = sign * detector coordinate, direction d(theta)."""
    t = np.radians(theta_deg)[None, :]
    u = detector_mm[:, None]
    px, py = sign * u * np.cos(t), sign * u * np.sin(t)
    dx, dy = -np.sin(t), np.cos(t)
    total = np.zeros((len(detector_mm), len(theta_deg)))
    for v, a, b, x0, y0, phi in ELLIPSES:
        c, s = np.cos(np.radians(phi)), np.sin(np.radians(phi))
        pu, pv = (c * (px - x0) + s * (py - y0)) / a, (-s * (px - x0) + c * (py - y0)) / b
        du, dv = (c * dx + s * dy) / a, (-s * dx + c * dy) / b
        qa, qb, qc = du * du + dv * dv, 2 * (pu * du + pv * dv), pu * pu + pv * pv - 1
        disc = qb * qb - 4 * qa * qc
        total += v * np.where(disc > 0, np.sqrt(np.maximum(disc, 0)) / qa, 0)
    return total


phantom = rasterize()
theta = np.arange(720) * 180 / 720
# Find scikit-image's detector orientation, angle direction and centre by matching its radon.
measured = radon(phantom, theta=theta[::40], circle=True) * PIXEL
best = None
for angle_sign in (1, -1):
    for sign in (1, -1):
        for centre in (N / 2, (N - 1) / 2):
            detector = (np.arange(N) - centre) * PIXEL
            error = np.linalg.norm(analytic(angle_sign * theta[::40] + 0, detector, sign) - measured)
            for rotate in (90, -90):
                error_r = np.linalg.norm(analytic(angle_sign * theta[::40] + rotate, detector, sign) - measured)
                candidates = [(error, angle_sign, sign, centre, 0), (error_r, angle_sign, sign, centre, rotate)]
                for candidate in candidates:
                    if best is None or candidate[0] < best[0]:
                        best = candidate
error, angle_sign, sign, centre, rotate = best
print(f"convention: angle sign {angle_sign}, detector sign {sign}, centre {centre}, rotation {rotate}, "
      f"relative mismatch {error / np.linalg.norm(measured):.4f}")
detector = (np.arange(N) - centre) * PIXEL
sinogram = analytic(angle_sign * theta + rotate, detector, sign) / PIXEL  # pixel units for iradon
reconstruction = iradon(sinogram, theta=theta, filter_name="ramp", interpolation="linear", circle=True)
mse = np.mean((reconstruction - phantom) ** 2)
print(f"scikit-image iradon PSNR: {10 * np.log10(1.0 / mse):.2f} dB")
