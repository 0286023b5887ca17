#include "priors/bm3d.h"

#include "core/error.h"
#include "priors/block_matching.h"

#include <Eigen/Core>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <numbers>
#include <span>
#include <vector>

namespace tweedie {
namespace {

constexpr int kPatch = kMatchPatch;
constexpr int kArea = kPatch * kPatch;
using PatchMatrix = Eigen::Matrix<float, kPatch, kPatch, Eigen::RowMajor>;

// Orthonormal DCT-II: row u holds basis function u, so the 2D transform of P is C·P·Cᵀ.
const PatchMatrix& dct_matrix() {
  static const PatchMatrix c = [] {
    PatchMatrix m;
    for (int u = 0; u < kPatch; ++u) {
      const double norm = std::sqrt((u == 0 ? 1.0 : 2.0) / kPatch);
      for (int x = 0; x < kPatch; ++x) {
        m(u, x) = static_cast<float>(norm * std::cos(std::numbers::pi * (2 * x + 1) * u / (2.0 * kPatch)));
      }
    }
    return m;
  }();
  return c;
}

// The 2D DCT of every patch of a slice, by top-left corner; computed once and gathered into
// groups, since each patch belongs to many of them.
class PatchSpectra {
 public:
  explicit PatchSpectra(const SliceView& slice)
      : width_(slice.nx - kPatch + 1),
        coefficients_(static_cast<std::size_t>(width_) * (slice.ny - kPatch + 1) * kArea) {
    const PatchMatrix& c = dct_matrix();
    tbb::parallel_for(0, slice.ny - kPatch + 1, [&](int y) {
      for (int x = 0; x < width_; ++x) {
        const Eigen::Map<const PatchMatrix, 0, Eigen::OuterStride<>> patch(
            slice.data + x + static_cast<std::int64_t>(slice.nx) * y, Eigen::OuterStride<>(slice.nx));
        Eigen::Map<PatchMatrix>(coefficients_.data() + offset(x, y)) = c * patch * c.transpose();
      }
    });
  }
  const float* at(int x, int y) const { return coefficients_.data() + offset(x, y); }

 private:
  std::size_t offset(int x, int y) const { return (static_cast<std::size_t>(y) * width_ + x) * kArea; }

  int width_;
  std::vector<float> coefficients_;
};

// Orthonormal Walsh–Hadamard transform across a group of `count` (a power of two) spectra of
// kArea values each, in place. It is its own inverse.
void hadamard_across(float* group, int count) {
  for (int half = 1; half < count; half *= 2) {
    for (int start = 0; start < count; start += 2 * half) {
      for (int i = start; i < start + half; ++i) {
        float* a = group + static_cast<std::ptrdiff_t>(i) * kArea;
        float* b = a + static_cast<std::ptrdiff_t>(half) * kArea;
        for (int j = 0; j < kArea; ++j) {
          const float sum = a[j] + b[j], difference = a[j] - b[j];
          a[j] = sum, b[j] = difference;
        }
      }
    }
  }
  const float norm = 1.0f / std::sqrt(static_cast<float>(count));
  for (int j = 0; j < count * kArea; ++j) group[j] *= norm;
}

// Separable Kaiser window over a patch: it lowers the weight of patch borders in the aggregation,
// where the block-wise estimates disagree most.
PatchMatrix kaiser_window(double beta) {
  Eigen::Matrix<float, kPatch, 1> w;
  for (int n = 0; n < kPatch; ++n) {
    const double t = 2.0 * n / (kPatch - 1) - 1.0;
    w(n) = static_cast<float>(std::cyl_bessel_i(0.0, beta * std::sqrt(1.0 - t * t)) / std::cyl_bessel_i(0.0, beta));
  }
  return w * w.transpose();
}

// Fills `group` (matches.size() × kArea) with the filtered 2D spectra of the group's patches and
// returns the group's aggregation weight.
using GroupFilter = std::function<float(std::span<const PatchMatch> matches, float* group)>;

struct GroupEstimate {
  std::vector<PatchMatch> matches;
  std::vector<float> patches;  // matches.size() × kArea pixels
  float weight = 0.0f;
};

// One slice: a group per reference patch, matched on `guide`, filtered by `filter`, and the
// estimates averaged where they overlap. References are processed in bands of rows, estimated in
// parallel and aggregated in a fixed order, so the result does not depend on the thread count.
void collaborate(const SliceView& guide, const BlockMatchingOptions& matching, const Bm3dOptions& options,
                 const GroupFilter& filter, float* out) {
  const PatchMatrix& c = dct_matrix();
  const PatchMatrix window = kaiser_window(options.kaiser_beta);
  const std::vector<int> xs = reference_corners(guide.nx, options.step);
  const std::vector<int> ys = reference_corners(guide.ny, options.step);
  const auto pixels = static_cast<std::size_t>(guide.nx) * guide.ny;
  std::vector<float> numerator(pixels, 0.0f), denominator(pixels, 0.0f);
  constexpr std::size_t kBandRows = 8;
  std::vector<GroupEstimate> band(kBandRows * xs.size());
  for (std::size_t first_row = 0; first_row < ys.size(); first_row += kBandRows) {
    const std::size_t rows = std::min(kBandRows, ys.size() - first_row);
    tbb::parallel_for(std::size_t{0}, rows * xs.size(), [&](std::size_t r) {
      GroupEstimate& e = band[r];
      e.matches = match_patches(guide, xs[r % xs.size()], ys[first_row + r / xs.size()], matching);
      e.patches.resize(e.matches.size() * kArea);
      e.weight = filter(e.matches, e.patches.data());
      for (std::size_t m = 0; m < e.matches.size(); ++m) {
        Eigen::Map<PatchMatrix> patch(e.patches.data() + m * kArea);
        patch = c.transpose() * patch * c;
      }
    });
    for (std::size_t r = 0; r < rows * xs.size(); ++r) {
      const GroupEstimate& e = band[r];
      for (std::size_t m = 0; m < e.matches.size(); ++m) {
        const float* patch = e.patches.data() + m * kArea;
        for (int dy = 0; dy < kPatch; ++dy) {
          const std::size_t row = e.matches[m].x + static_cast<std::size_t>(guide.nx) * (e.matches[m].y + dy);
          for (int dx = 0; dx < kPatch; ++dx) {
            const float w = e.weight * window(dy, dx);
            numerator[row + dx] += w * patch[dy * kPatch + dx];
            denominator[row + dx] += w;
          }
        }
      }
    }
  }
  // Every pixel lies in a reference patch (reference_corners covers the borders).
  for (std::size_t i = 0; i < pixels; ++i) out[i] = numerator[i] / denominator[i];
}

void gather(const PatchSpectra& spectra, std::span<const PatchMatch> matches, float* group) {
  for (std::size_t m = 0; m < matches.size(); ++m) {
    std::memcpy(group + m * kArea, spectra.at(matches[m].x, matches[m].y), kArea * sizeof(float));
  }
}

void basic_slice(const SliceView& noisy, double sigma, const Bm3dOptions& options, float* out) {
  const PatchSpectra spectra(noisy);
  const auto threshold = static_cast<float>(options.hard_threshold * sigma);
  const BlockMatchingOptions matching{options.search_radius, options.hard_group,
                                      options.hard_match_per_variance * sigma * sigma};
  collaborate(noisy, matching, options, [&](std::span<const PatchMatch> matches, float* group) {
    const int count = static_cast<int>(matches.size());
    gather(spectra, matches, group);
    hadamard_across(group, count);
    int kept = 0;
    for (int j = 0; j < count * kArea; ++j) {
      if (std::abs(group[j]) < threshold) group[j] = 0.0f;
      else ++kept;
    }
    hadamard_across(group, count);
    // Weight ∝ 1/(σ² · coefficients kept): the inverse of the group estimate's noise variance.
    return 1.0f / static_cast<float>(std::max(kept, 1));
  }, out);
}

void wiener_slice(const SliceView& noisy, const SliceView& pilot, double sigma, const Bm3dOptions& options,
                  float* out) {
  const PatchSpectra noisy_spectra(noisy), pilot_spectra(pilot);
  const auto variance = static_cast<float>(sigma * sigma);
  const BlockMatchingOptions matching{options.search_radius, options.wiener_group,
                                      options.wiener_match_per_variance * sigma * sigma};
  collaborate(pilot, matching, options, [&](std::span<const PatchMatch> matches, float* group) {
    const int count = static_cast<int>(matches.size());
    std::vector<float> guide(static_cast<std::size_t>(count) * kArea);
    gather(noisy_spectra, matches, group);
    gather(pilot_spectra, matches, guide.data());
    hadamard_across(group, count);
    hadamard_across(guide.data(), count);
    float gain_energy = 0.0f;
    for (int j = 0; j < count * kArea; ++j) {
      const float power = guide[j] * guide[j];
      const float gain = power / (power + variance);
      group[j] *= gain;
      gain_energy += gain * gain;
    }
    hadamard_across(group, count);
    // Weight ∝ 1/(σ² Σ gain²), the inverse of the filtered group's noise variance.
    return 1.0f / std::max(gain_energy, 1e-6f);
  }, out);
}

void require_bm3d_input(const Image& x, double sigma) {
  require_noise_level(sigma);
  require_finite(x, "the image to denoise");
  if (x.shape().nx < kPatch || x.shape().ny < kPatch) {
    throw ShapeError("BM3D needs slices of at least 8×8 pixels, got " + x.shape().to_string());
  }
}

SliceView slice_view(const Image& image, std::int64_t z) {
  return {image.row_data(0, z), static_cast<int>(image.shape().nx), static_cast<int>(image.shape().ny)};
}

}  // namespace

Image bm3d_basic_estimate(const Image& noisy, double sigma, const Bm3dOptions& options) {
  require_bm3d_input(noisy, sigma);
  if (sigma == 0) return noisy.clone();
  Image out = noisy.zeros_like();
  for (std::int64_t z = 0; z < noisy.shape().nz; ++z) basic_slice(slice_view(noisy, z), sigma, options, out.row_data(0, z));
  return out;
}

Image collaborative_wiener(const Image& noisy, const Image& pilot, double sigma, const Bm3dOptions& options) {
  require_bm3d_input(noisy, sigma);
  require_same_shape(noisy.shape(), pilot.shape(), "the Wiener pilot");
  if (sigma == 0) return noisy.clone();
  Image out = noisy.zeros_like();
  for (std::int64_t z = 0; z < noisy.shape().nz; ++z) {
    wiener_slice(slice_view(noisy, z), slice_view(pilot, z), sigma, options, out.row_data(0, z));
  }
  return out;
}

Bm3dDenoiser::Bm3dDenoiser(const Bm3dOptions& options) : options_(options) {}

Image Bm3dDenoiser::denoise(const Image& x, double sigma) {
  return collaborative_wiener(x, bm3d_basic_estimate(x, sigma, options_), sigma, options_);
}

CollaborativeWienerDenoiser::CollaborativeWienerDenoiser(std::unique_ptr<Denoiser> pilot, const Bm3dOptions& options)
    : pilot_(std::move(pilot)), options_(options) {
  if (!pilot_) throw ParameterError("the collaborative Wiener step needs a pilot denoiser");
}

Image CollaborativeWienerDenoiser::denoise(const Image& x, double sigma) {
  return collaborative_wiener(x, pilot_->denoise(x, sigma), sigma, options_);
}

}  // namespace tweedie
