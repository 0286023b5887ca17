// The figures a study row carries and which way is better: PSNR and SSIM against a reference, or,
// for a measured sinogram without a reference, the RMS error of the views left out
// (pipelines/held_out_views.h). Tables, the report and comparisons read rows through these.
#pragma once

#include "pipelines/study_results.h"

#include <optional>

namespace tweedie {

struct StudyMetric {
  const char* name;                        ///< as a column is headed
  std::optional<double> StudyRow::*value;  ///< the row's field
  int decimals;                            ///< as tables print it
  bool higher_is_better;

  /// The row's value (0 where it has none: rows of one problem all have the same metrics).
  double of(const StudyRow& row) const { return (row.*value).value_or(0.0); }
  /// Whether `a` is better than `b`.
  bool better(double a, double b) const { return higher_is_better ? a > b : a < b; }
};

inline constexpr StudyMetric kPsnrMetric{"PSNR (dB)", &StudyRow::psnr, 2, true};
inline constexpr StudyMetric kSsimMetric{"SSIM", &StudyRow::ssim, 3, true};
inline constexpr StudyMetric kHeldOutMetric{"held-out RMS", &StudyRow::held_out_rms, 4, false};

/// The metric that ranks methods on a row's problem: PSNR, or the held-out RMS of a measured sinogram.
inline const StudyMetric& ranking_metric(const StudyRow& row) {
  return row.held_out_rms ? kHeldOutMetric : kPsnrMetric;
}

}  // namespace tweedie
