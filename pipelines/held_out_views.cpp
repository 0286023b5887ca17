#include "pipelines/held_out_views.h"

#include "core/error.h"

#include <cmath>

namespace tweedie {
namespace {

struct ViewHalf {
  CtGeometry geometry;
  std::vector<std::int64_t> views;
};

// The views of parity `parity` (every second one).
ViewHalf half_of(const CtGeometry& geometry, std::int64_t parity) {
  ViewHalf half{every_kth_view(geometry, 2, parity), {}};
  for (std::int64_t v = parity; v < geometry.views(); v += 2) half.views.push_back(v);
  return half;
}

// The rows of a sinogram (stack) that belong to `views`.
Image views_of(const Image& sinogram, const std::vector<std::int64_t>& views) {
  const Shape& s = sinogram.shape();
  Image part(s.dimension == 3 ? Shape::volume(s.nx, static_cast<std::int64_t>(views.size()), s.nz)
                              : Shape::image(s.nx, static_cast<std::int64_t>(views.size())));
  for (std::int64_t z = 0; z < s.nz; ++z) {
    for (std::size_t k = 0; k < views.size(); ++k) {
      std::copy_n(sinogram.row_data(views[k], z), s.nx, part.row_data(static_cast<std::int64_t>(k), z));
    }
  }
  return part;
}

struct ErrorSum {
  double weighted_squares = 0.0, weights = 0.0, count = 0.0;
  void add(const Image& predicted, const Image& measured, const Image* weights_of_measured) {
    const auto difference = predicted.array() - measured.array();
    if (weights_of_measured) {
      weighted_squares += (weights_of_measured->array().cast<double>() * difference.square().cast<double>()).sum();
      weights += weights_of_measured->array().cast<double>().sum();
    } else {
      weighted_squares += difference.square().cast<double>().sum();
      weights += static_cast<double>(measured.size());
    }
    count += static_cast<double>(measured.size());
  }
  double rms() const { return std::sqrt(weighted_squares / weights); }
};

}  // namespace

HeldOutViewCheck check_held_out_views(const CtGeometry& geometry, const Image& sinogram, const Image* weights,
                                      CtReconstructionOptions options) {
  require_matching_sinogram(geometry, sinogram);
  if (geometry.views() < 4) throw ParameterError("the held-out view check needs at least 4 views");
  options.progress = nullptr;
  options.iteration_progress = nullptr;
  ErrorSum method, fbp;
  for (std::int64_t kept = 0; kept < 2; ++kept) {
    const ViewHalf used = half_of(geometry, kept), left_out = half_of(geometry, 1 - kept);
    const Image used_weights = weights ? views_of(*weights, used.views) : Image();
    const Image used_sinogram = views_of(sinogram, used.views);
    Image result =
        reconstruct_ct(used.geometry, used_sinogram, weights ? &used_weights : nullptr, nullptr, options).volume;
    if (options.units == ImageUnits::hounsfield) hounsfield_to_attenuation(result);
    const Image filtered = fbp_volume(used.geometry, used_sinogram, options.filter, ImageUnits::attenuation);
    const Image measured = views_of(sinogram, left_out.views);
    const Image measured_weights = weights ? views_of(*weights, left_out.views) : Image();
    method.add(project_volume(left_out.geometry, result), measured, weights ? &measured_weights : nullptr);
    fbp.add(project_volume(left_out.geometry, filtered), measured, weights ? &measured_weights : nullptr);
  }
  HeldOutViewCheck check{method.rms(), fbp.rms(), std::nullopt};
  if (weights) check.noise_error = std::sqrt(method.count / method.weights);
  return check;
}

}  // namespace tweedie
