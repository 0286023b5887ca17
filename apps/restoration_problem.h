// The forward-model options of `tweedie restore` and `tweedie degrade` (blur, decimation, pixel
// mask), read into one RestorationProblem (pipelines/restoration.h) so that a degraded image and
// its restoration always agree.
#pragma once

#include "pipelines/restoration.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace tweedie::app {

struct RestorationFlags {
  std::string operator_name, kernel, mask;
  double blur_sigma = 1.6;
  std::optional<double> antialias_sigma;
  std::int64_t factor = 2;
};

void add_restoration_options(CLI::App& parser, RestorationFlags& flags);

/// The problem the flags describe; the mask file is read when `read_mask` (restore, or degrade
/// with a given mask).
RestorationProblem restoration_problem(const RestorationFlags& flags, bool read_mask);

}  // namespace tweedie::app
