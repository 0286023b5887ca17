// The forward models of `tweedie restore` and `tweedie degrade` (blur, decimation, pixel mask),
// built from the same flags so that a degraded image and its restoration always agree.
#pragma once

#include "core/image.h"
#include "operators/linear_operator.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace tweedie::app {

struct RestorationFlags {
  std::string operator_name, kernel, mask;
  double blur_sigma = 1.6, antialias_sigma = -1.0;
  std::int64_t factor = 2;
};

void add_restoration_options(CLI::App& parser, RestorationFlags& flags);

/// The grid of the clean image for a measured image on `measured` (finer by the factor for decimate).
ImageGeometry clean_grid(const RestorationFlags& flags, const ImageGeometry& measured);

/// The forward model from the clean grid; `mask` (nonzero where measured) is needed for "mask".
/// Throws ParameterError for an unknown operator or a missing or mismatched mask.
std::shared_ptr<const LinearOperator> restoration_operator(const RestorationFlags& flags, const ImageGeometry& clean,
                                                           const Image* mask);

}  // namespace tweedie::app
