#include "core/metrics.h"

#include "core/error.h"
#include "core/parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace tweedie {
namespace {

constexpr int kSsimRadius = 5;  // 11×11 window, as scikit-image's truncate 3.5 at σ 1.5
constexpr double kSsimSigma = 1.5;
constexpr double kSsimK1 = 0.01;
constexpr double kSsimK2 = 0.03;
constexpr std::int64_t kChunk = 1 << 15;  // voxels per deterministic partial sum

void require_comparable(const Image& reference, const Image& test) {
  if (reference.empty()) throw ShapeError("the reference image is empty");
  require_same_shape(reference.shape(), test.shape(), "the test image");
  require_finite(reference, "the reference image");
  require_finite(test, "the test image");
}

void require_positive_range(double data_range) {
  if (!(data_range > 0.0) || !std::isfinite(data_range)) {
    throw ParameterError("data range must be a positive number, got " + std::to_string(data_range));
  }
}

double psnr_from_mse(double error, double data_range) {
  if (error == 0.0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(data_range * data_range / error);
}

std::array<double, 2 * kSsimRadius + 1> ssim_window() {
  std::array<double, 2 * kSsimRadius + 1> weights{};
  double total = 0.0;
  for (int k = -kSsimRadius; k <= kSsimRadius; ++k) {
    weights[k + kSsimRadius] = std::exp(-0.5 * k * k / (kSsimSigma * kSsimSigma));
    total += weights[k + kSsimRadius];
  }
  for (double& w : weights) w /= total;
  return weights;
}

// The five Gaussian-weighted local moments SSIM needs, at one output pixel.
struct LocalMoments {
  double mean_x = 0, mean_y = 0, mean_xx = 0, mean_yy = 0, mean_xy = 0;
};

// Sum over the SSIM map of one output row `row` (valid positions only) of slice z.
double ssim_row_sum(const Image& x, const Image& y, std::int64_t z, std::int64_t row,
                    double c1, double c2) {
  static const auto window = ssim_window();
  const std::int64_t nx = x.shape().nx;
  // Vertical pass: moments of each column, weighted over rows row-5 .. row+5.
  std::vector<LocalMoments> column(static_cast<std::size_t>(nx));
  for (int k = -kSsimRadius; k <= kSsimRadius; ++k) {
    const double w = window[k + kSsimRadius];
    const float* xr = x.row_data(row + k, z);
    const float* yr = y.row_data(row + k, z);
    for (std::int64_t i = 0; i < nx; ++i) {
      const double a = xr[i], b = yr[i];
      LocalMoments& m = column[static_cast<std::size_t>(i)];
      m.mean_x += w * a;
      m.mean_y += w * b;
      m.mean_xx += w * a * a;
      m.mean_yy += w * b * b;
      m.mean_xy += w * a * b;
    }
  }
  // Horizontal pass and the SSIM formula at each valid column.
  double sum = 0.0;
  for (std::int64_t i = kSsimRadius; i < nx - kSsimRadius; ++i) {
    LocalMoments m;
    for (int k = -kSsimRadius; k <= kSsimRadius; ++k) {
      const double w = window[k + kSsimRadius];
      const LocalMoments& c = column[static_cast<std::size_t>(i + k)];
      m.mean_x += w * c.mean_x;
      m.mean_y += w * c.mean_y;
      m.mean_xx += w * c.mean_xx;
      m.mean_yy += w * c.mean_yy;
      m.mean_xy += w * c.mean_xy;
    }
    const double var_x = m.mean_xx - m.mean_x * m.mean_x;
    const double var_y = m.mean_yy - m.mean_y * m.mean_y;
    const double cov_xy = m.mean_xy - m.mean_x * m.mean_y;
    sum += (2 * m.mean_x * m.mean_y + c1) * (2 * cov_xy + c2) /
           ((m.mean_x * m.mean_x + m.mean_y * m.mean_y + c1) * (var_x + var_y + c2));
  }
  return sum;
}

// The metrics themselves, on inputs already checked by the public functions.
double unchecked_mse(const Image& reference, const Image& test) {
  const auto a = reference.array();
  const auto b = test.array();
  const double sum = deterministic_sum(reference.size(), kChunk, [&](auto begin, auto end) {
    return (a.segment(begin, end - begin).template cast<double>() -
            b.segment(begin, end - begin).template cast<double>())
        .square()
        .sum();
  });
  return sum / static_cast<double>(reference.size());
}

double unchecked_ssim(const Image& reference, const Image& test, double data_range) {
  const Shape& s = reference.shape();
  const std::int64_t window = 2 * kSsimRadius + 1;
  if (s.nx < window || s.ny < window) {
    throw ShapeError("SSIM needs slices of at least 11×11 pixels, got " + s.to_string());
  }
  const double c1 = std::pow(kSsimK1 * data_range, 2);
  const double c2 = std::pow(kSsimK2 * data_range, 2);
  const std::int64_t rows = s.ny - 2 * kSsimRadius;  // valid output rows per slice
  const double sum = deterministic_sum(rows * s.nz, 1, [&](auto begin, auto) {
    return ssim_row_sum(reference, test, begin / rows, kSsimRadius + begin % rows, c1, c2);
  });
  return sum / static_cast<double>(rows * (s.nx - 2 * kSsimRadius) * s.nz);
}

}  // namespace

double mse(const Image& reference, const Image& test) {
  require_comparable(reference, test);
  return unchecked_mse(reference, test);
}

double psnr(const Image& reference, const Image& test, double data_range) {
  require_positive_range(data_range);
  return psnr_from_mse(mse(reference, test), data_range);
}

double ssim(const Image& reference, const Image& test, double data_range) {
  require_comparable(reference, test);
  require_positive_range(data_range);
  return unchecked_ssim(reference, test, data_range);
}

QualityReport compare(const Image& reference, const Image& test, double data_range) {
  require_comparable(reference, test);
  require_positive_range(data_range);
  QualityReport report;
  report.data_range = data_range;
  report.mse = unchecked_mse(reference, test);
  report.psnr = psnr_from_mse(report.mse, data_range);
  report.ssim = unchecked_ssim(reference, test, data_range);
  return report;
}

double value_range(const Image& image) {
  if (image.empty()) throw ShapeError("cannot take the value range of an empty image");
  return static_cast<double>(image.array().maxCoeff()) - image.array().minCoeff();
}

QualityReport compare_in_window(const Image& reference, const Image& test, const DisplayWindow& window) {
  const auto clipped = [&](const Image& image) {
    Image out = image.clone();
    out.array() = out.array().max(static_cast<float>(window.low())).min(static_cast<float>(window.high()));
    return out;
  };
  return compare(clipped(reference), clipped(test), window.width);
}

}  // namespace tweedie
