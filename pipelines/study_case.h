// One case of a study (pipelines/study_spec.h) run through the library: the item's reference,
// its measurement (drawn from the case's item, problem and seed, so every method sees the same
// data), the method, and the quality of the result against the reference. A measured sinogram has
// no reference: its case is the held-out-view check of the method (pipelines/held_out_views.h).
#pragma once

#include "core/metrics.h"
#include "pipelines/held_out_views.h"
#include "pipelines/study_spec.h"
#include "solvers/iteration.h"

#include <optional>

namespace tweedie {

struct CaseResult {
  std::optional<QualityReport> quality;  ///< HU: over the reference's range; gray: over 0–255
  std::optional<QualityReport> window;   ///< HU: in the soft-tissue window (W 400, L 40)
  std::optional<HeldOutViewCheck> held_out;  ///< measured sinograms, instead of the quality
  int iterations = 0;                    ///< 0 for FBP, post-filters and held-out-view checks
  std::optional<double> chosen_sigma;    ///< the prior level SURE chose, in the image's units
  double seconds = 0.0;                  ///< wall time of the method alone
  Image image;                           ///< the result, on the reference's grid (none for measured sinograms)
  Image reference;
  SolverResult run;                      ///< the solver's history (its image is `image`)
};

/// The 2D reference of an item: the picture or the volume's slice, resized by the item's scale.
/// Throws IoError for a file that cannot be read.
Image study_reference(const StudyItem& item);

/// Runs a case. Throws ParameterError or ShapeError when the item does not fit the problem (CT
/// needs square pixels on a square grid), as the library's calls do.
CaseResult run_study_case(const StudySpec& spec, const StudyCase& c);

}  // namespace tweedie
