// Filtered back-projection for parallel- and fan-beam CT (Kak & Slaney, "Principles of
// Computerized Tomographic Imaging", 1988, ch. 3): each view is filtered with the band-limited
// ramp (the spatial Ram-Lak kernel, zero-padded to at least twice the detector length and applied
// through FFTW), optionally apodised, then back-projected pixel by pixel with linear interpolation
// on the detector.
//
// - Parallel beam: any angular range; ranges of 180° or more are normalised to one half turn,
//   shorter ones (limited angle) are back-projected as they are.
// - Fan beam, flat detector: cosine pre-weighting on a virtual detector through the isocentre,
//   (D/L)² back-projection weight. Arc (equiangular) detector: D·cos γ pre-weighting and the
//   (γ/sin γ)²-modified kernel, 1/L² weight. Fan beam needs a full 360° scan.
//
// The output is in the units of the line integrals divided by mm (attenuation in mm⁻¹ for
// sinograms of attenuation line integrals). FFTW plans are made once per object (planning is not
// thread-safe; execution is); views are filtered and rows back-projected in parallel, each pixel
// summing its views in a fixed order.
#pragma once

#include "core/image.h"
#include "operators/ct_geometry.h"

#include <string>
#include <vector>

namespace tweedie {

enum class FbpFilter { ram_lak, shepp_logan, cosine, hann };

/// "ram-lak", "shepp-logan", "cosine" or "hann"; throws ParameterError otherwise.
FbpFilter parse_fbp_filter(const std::string& name);

class FilteredBackprojection {
 public:
  FilteredBackprojection(const CtGeometry& geometry, FbpFilter filter = FbpFilter::ram_lak);

  /// Reconstructs a sinogram (detectors × views) or a stack of them (× slices).
  Image reconstruct(const Image& sinogram) const;

 private:
  void filter_views(const float* views, float* filtered) const;
  void backproject(const float* filtered, float* image) const;

  CtGeometry geometry_;
  std::int64_t padded_;                 ///< FFT length
  std::vector<float> frequency_filter_; ///< padded_/2 + 1 real gains, scaled for the inverse FFT
  std::vector<float> pre_weights_;      ///< per detector bin (fan beam), else 1
  double view_weight_;                  ///< dθ of the back-projection sum
  struct Plans;
  std::shared_ptr<const Plans> plans_;
};

}  // namespace tweedie
