// The picture of a CT reconstruction that `tweedie recon --preview` writes: the FBP, the result,
// the reference and their difference side by side, each captioned with its method and quality.
#pragma once

#include "pipelines/ct_reconstruction.h"
#include "pipelines/preview.h"

#include <optional>
#include <string>

namespace tweedie {

/// The middle slice of FBP | result (`method`) | reference | difference (to the reference, else to
/// the FBP), captioned "NAME PSNR dB SSIM" where the reconstruction had a reference, through
/// `window` — by default the soft-tissue window (400, 40) in HU, the FBP's 1st to 99th percentile
/// in attenuation, whose values say nothing of the material. `fbp` is on the result's grid and in
/// its units. Returns the captions joined by " | ".
std::string write_ct_preview(const CtReconstruction& reconstruction, const Image& fbp, const Image* reference,
                             ImageUnits units, const std::string& method, const std::optional<DisplayWindow>& window,
                             const std::string& path);

}  // namespace tweedie
