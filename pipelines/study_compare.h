// Two runs of studies side by side (`tweedie study compare A B`): for each problem and method both
// ran, the paired difference B − A of PSNR and SSIM (of the held-out RMS, for measured sinograms)
// over the cases they share, and whether it exceeds its 95 % bootstrap interval (a change the data
// support, not noise of the sample).
#pragma once

#include "pipelines/study_results.h"
#include "pipelines/study_statistics.h"

#include <string>
#include <vector>

namespace tweedie {

struct MethodComparison {
  std::string problem, method;  ///< method: its label
  bool measured = false;        ///< measured sinograms: `ranking` is of the held-out RMS (lower is better), no SSIM
  PairedDifference ranking;     ///< B − A of PSNR, or of the held-out RMS
  PairedDifference ssim;        ///< B − A
};

/// One comparison per (problem, method) that both results hold, in A's order; cases are paired
/// by item, problem, method and seed.
std::vector<MethodComparison> compare_studies(const std::vector<StudyRow>& a, const std::vector<StudyRow>& b);

/// A plain-text table of the comparisons, one line each.
std::string comparison_table(const std::vector<MethodComparison>& comparisons);

}  // namespace tweedie
