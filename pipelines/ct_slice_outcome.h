// What reconstructing one slice of a CT stack gives (pipelines/ct_reconstruction.h), and its
// packing into bytes for another process (pipelines/slice_distribution.h): exact, floats as stored.
#pragma once

#include "core/image.h"
#include "pipelines/prior_level_choice.h"
#include "solvers/iteration.h"

#include <optional>
#include <string>

namespace tweedie {

struct CtSliceOutcome {
  Image start, volume;                       ///< 2D, attenuation (mm⁻¹)
  std::optional<Image> spread;               ///< samplers
  SolverResult run;                          ///< history and termination (no image)
  std::optional<PriorLevelChoice> prior_level;
  std::optional<double> estimated_photons;   ///< when the weights were estimated from the slice's noise
};

std::string pack(const CtSliceOutcome& outcome);
/// The outcome packed by `pack`, its images on `grid`. Throws IoError for bytes that are not one.
CtSliceOutcome unpack_slice_outcome(const std::string& bytes, const ImageGeometry& grid);

}  // namespace tweedie
