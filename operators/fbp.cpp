#include "operators/fbp.h"

#include "core/error.h"
#include "operators/fast_atan.h"
#include "operators/fft_plans.h"
#include "operators/simd.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include <cmath>
#include <numbers>

namespace tweedie {
namespace {

constexpr double kPi = std::numbers::pi;

std::int64_t next_power_of_two(std::int64_t n) {
  std::int64_t p = 1;
  while (p < n) p *= 2;
  return p;
}

// Apodisation of the ramp at normalised frequency f ∈ [0, 0.5] cycles per sample (the same
// windows as scikit-image's iradon).
double window(FbpFilter filter, double f) {
  const double omega = kPi * f;
  switch (filter) {
    case FbpFilter::ram_lak: return 1.0;
    case FbpFilter::shepp_logan: return f == 0.0 ? 1.0 : std::sin(omega) / omega;
    case FbpFilter::cosine: return std::cos(omega);
    case FbpFilter::hann: return 0.5 * (1.0 + std::cos(2.0 * omega));
  }
  return 1.0;
}

// The band-limited ramp at sample offset n for sample spacing tau (Kak & Slaney eq. 3.61); for the
// arc detector, tau is an angle and the ramp is multiplied by (nτ / sin nτ)² (eq. 3.130 without
// the fan-beam factor ½, which the caller applies).
double ramp_kernel(std::int64_t n, double tau, bool arc) {
  if (n == 0) return 1.0 / (4.0 * tau * tau);
  if (n % 2 == 0) return 0.0;
  const double x = static_cast<double>(n) * tau;
  const double denominator = arc ? std::sin(x) : x;
  return -1.0 / (kPi * kPi * denominator * denominator);
}

}  // namespace

struct FilteredBackprojection::Plans {
  fftwf_plan forward = nullptr;
  fftwf_plan inverse = nullptr;
  ~Plans() {
    std::lock_guard lock(detail::fftw_planner_mutex());
    fftwf_destroy_plan(forward);
    fftwf_destroy_plan(inverse);
  }
};

FbpFilter parse_fbp_filter(const std::string& name) {
  if (name == "ram-lak") return FbpFilter::ram_lak;
  if (name == "shepp-logan") return FbpFilter::shepp_logan;
  if (name == "cosine") return FbpFilter::cosine;
  if (name == "hann") return FbpFilter::hann;
  throw ParameterError("unknown FBP filter '" + name + "' (choose ram-lak, shepp-logan, cosine, hann)");
}

FilteredBackprojection::FilteredBackprojection(const CtGeometry& geometry, FbpFilter filter)
    : geometry_(geometry) {
  geometry_.validate();
  const CtGeometry& g = geometry_;
  const std::int64_t bins = g.detectors;
  const bool fan = g.beam == BeamShape::fan;
  const bool arc = fan && g.detector_shape == DetectorShape::arc;
  const double arc_rad = g.arc_deg() * kPi / 180.0;
  if (fan && g.arc_deg() < 360.0 - 1e-6) {
    throw ParameterError("fan-beam FBP needs a full 360° scan, this geometry covers " +
                         std::to_string(g.arc_deg()) + "°");
  }
  view_weight_ = fan ? 2.0 * kPi / static_cast<double>(g.views())
                     : std::min(arc_rad, kPi) / static_cast<double>(g.views());
  if (g.views() == 1) view_weight_ = kPi;

  // Sample spacing of the filtered coordinate: mm on the (virtual, for a flat fan) detector
  // through the isocentre, or radians of fan angle for the arc detector.
  double tau = g.detector_spacing_mm;
  if (fan) {
    tau *= arc ? 1.0 / g.source_to_detector_mm : g.source_to_isocentre_mm / g.source_to_detector_mm;
  }
  padded_ = next_power_of_two(std::max<std::int64_t>(64, 2 * bins));
  const std::int64_t half = padded_ / 2 + 1;
  float* signal = fftwf_alloc_real(static_cast<std::size_t>(padded_));
  fftwf_complex* spectrum = fftwf_alloc_complex(static_cast<std::size_t>(half));
  auto plans = std::make_shared<Plans>();
  {
    std::lock_guard lock(detail::fftw_planner_mutex());
    plans->forward = fftwf_plan_dft_r2c_1d(static_cast<int>(padded_), signal, spectrum, FFTW_ESTIMATE);
    plans->inverse = fftwf_plan_dft_c2r_1d(static_cast<int>(padded_), spectrum, signal, FFTW_ESTIMATE);
  }
  // The kernel laid out circularly, transformed once; fan beam halves it (its back-projection
  // covers every ray twice in a full turn). It is real and even, so its spectrum is
  // real; the 1/padded_ of the unnormalised inverse FFT and the τ of the discrete convolution
  // are folded into the gains.
  for (std::int64_t k = 0; k < padded_; ++k) {
    const std::int64_t n = k <= padded_ / 2 ? k : k - padded_;
    signal[k] = static_cast<float>((fan ? 0.5 : 1.0) * ramp_kernel(n, tau, arc));
  }
  fftwf_execute(plans->forward);
  frequency_filter_.resize(static_cast<std::size_t>(half));
  for (std::int64_t k = 0; k < half; ++k) {
    const double f = static_cast<double>(k) / static_cast<double>(padded_);
    frequency_filter_[static_cast<std::size_t>(k)] =
        static_cast<float>(spectrum[k][0] * window(filter, f) * tau / static_cast<double>(padded_));
  }
  fftwf_free(signal);
  fftwf_free(spectrum);
  plans_ = std::move(plans);

  pre_weights_.assign(static_cast<std::size_t>(bins), 1.0f);
  if (fan) {
    const double d = g.source_to_isocentre_mm;
    for (std::int64_t m = 0; m < bins; ++m) {
      const double u = (static_cast<double>(m) - 0.5 * static_cast<double>(bins - 1)) *
                           g.detector_spacing_mm + g.detector_offset_mm;
      double w;
      if (arc) {
        w = d * std::cos(u / g.source_to_detector_mm);
      } else {
        const double s = u * d / g.source_to_detector_mm;  // on the virtual detector
        w = d / std::sqrt(d * d + s * s);
      }
      pre_weights_[static_cast<std::size_t>(m)] = static_cast<float>(w);
    }
  }
}

void FilteredBackprojection::filter_views(const float* views, float* filtered) const {
  const std::int64_t bins = geometry_.detectors, count = geometry_.views();
  const std::int64_t half = padded_ / 2 + 1;
  struct Buffers {
    float* signal;
    fftwf_complex* spectrum;
  };
  tbb::enumerable_thread_specific<Buffers> buffers([&] {
    return Buffers{fftwf_alloc_real(static_cast<std::size_t>(padded_)),
                   fftwf_alloc_complex(static_cast<std::size_t>(half))};
  });
  tbb::parallel_for(std::int64_t{0}, count, [&](std::int64_t v) {
    Buffers& b = buffers.local();
    const float* in = views + v * bins;
    for (std::int64_t m = 0; m < bins; ++m) b.signal[m] = in[m] * pre_weights_[static_cast<std::size_t>(m)];
    std::fill(b.signal + bins, b.signal + padded_, 0.0f);
    fftwf_execute_dft_r2c(plans_->forward, b.signal, b.spectrum);
    for (std::int64_t k = 0; k < half; ++k) {
      b.spectrum[k][0] *= frequency_filter_[static_cast<std::size_t>(k)];
      b.spectrum[k][1] *= frequency_filter_[static_cast<std::size_t>(k)];
    }
    fftwf_execute_dft_c2r(plans_->inverse, b.spectrum, b.signal);
    std::copy(b.signal, b.signal + bins, filtered + v * bins);
  });
  for (Buffers& b : buffers) {
    fftwf_free(b.signal);
    fftwf_free(b.spectrum);
  }
}

namespace {

// Bins of guard zeros before and after a filtered view: interpolation then needs no branches.
constexpr std::int64_t kGuard = 2;
#if defined(TWEEDIE_SIMD)
constexpr std::int64_t kGuardAfter = kGuard + simd::kWindowOverrun;
#else
constexpr std::int64_t kGuardAfter = kGuard;
#endif

// sum[i] += weight(i) · (view interpolated at bin(i)) for the pixels of one image row, where
// `at(i)` returns {bin, weight}. Bins are clamped into the guards, so rays that miss the detector
// read zeros. The bins and weights are computed in a loop the compiler vectorises; bins are
// monotone along a row, which lets a vector of pixels interpolate from one window of the view.
template <class BinAndWeight>
inline void accumulate_view(const float* guarded_view, std::int64_t bins, std::int64_t nx, float* sum,
                            float* bin_scratch, float* weight_scratch, BinAndWeight&& at) {
  const float lowest = -static_cast<float>(kGuard), highest = static_cast<float>(bins);
  for (std::int64_t i = 0; i < nx; ++i) {
    const auto [bin, weight] = at(static_cast<float>(i));
    bin_scratch[i] = std::min(std::max(bin, lowest), highest);
    weight_scratch[i] = weight;
  }
  std::int64_t i = 0;
#if defined(TWEEDIE_SIMD)
  constexpr int lanes = simd::kLanes;
  for (; i + lanes <= nx; i += lanes) {
    const simd::Floats bin = simd::load(bin_scratch + i);
    const simd::Floats floor_bin = simd::floor(bin);
    const simd::Ints m = simd::truncate(floor_bin);
    const float ends[2] = {std::floor(bin_scratch[i]), std::floor(bin_scratch[i + lanes - 1])};
    const auto first = static_cast<std::int32_t>(std::min(ends[0], ends[1]));
    const auto last = static_cast<std::int32_t>(std::max(ends[0], ends[1]));
    const simd::Floats value = simd::interpolate(guarded_view, m, bin - floor_bin, first, last);
    simd::store(sum + i, simd::fmadd(simd::load(weight_scratch + i), value, simd::load(sum + i)));
  }
#endif
  for (; i < nx; ++i) {
    const float floor_bin = std::floor(bin_scratch[i]);
    const auto m = static_cast<std::int32_t>(floor_bin);
    const float f = bin_scratch[i] - floor_bin;
    const float left = guarded_view[m], right = guarded_view[m + 1];
    sum[i] += weight_scratch[i] * (left + f * (right - left));
  }
}

struct BinWeight {
  float bin, weight;
};

}  // namespace

void FilteredBackprojection::backproject(const float* filtered, float* image) const {
  const CtGeometry& g = geometry_;
  const std::int64_t nx = g.image_nx, ny = g.image_ny, bins = g.detectors, views = g.views();
  const bool fan = g.beam == BeamShape::fan;
  const bool arc = fan && g.detector_shape == DetectorShape::arc;
  const std::int64_t stride = kGuard + bins + kGuardAfter;
  std::vector<float> guarded(static_cast<std::size_t>(views * stride), 0.0f);
  for (std::int64_t v = 0; v < views; ++v) {
    std::copy_n(filtered + v * bins, bins, guarded.data() + v * stride + kGuard);
  }
  // Along a row, x = x0 + i·Δ; everything below is a function of i for a fixed row and view.
  const ImageGeometry grid = g.image_geometry();
  const double pixel = g.pixel_spacing_mm, du = g.detector_spacing_mm;
  const double centre_bin = 0.5 * static_cast<double>(bins - 1) - g.detector_offset_mm / du;
  const auto d = static_cast<float>(g.source_to_isocentre_mm);
  const auto d_sd = static_cast<float>(g.source_to_detector_mm);
  std::vector<double> cosines(static_cast<std::size_t>(views)), sines(cosines.size());
  for (std::size_t v = 0; v < cosines.size(); ++v) {
    cosines[v] = std::cos(g.angles_deg[v] * kPi / 180.0);
    sines[v] = std::sin(g.angles_deg[v] * kPi / 180.0);
  }
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, ny, 4), [&](const auto& rows) {
    std::vector<float> sum(static_cast<std::size_t>(nx)), bin(sum.size()), weight(sum.size());
    for (std::int64_t j = rows.begin(); j < rows.end(); ++j) {
      std::fill(sum.begin(), sum.end(), 0.0f);
      const double y = grid.origin[1] + static_cast<double>(j) * pixel;
      for (std::int64_t v = 0; v < views; ++v) {
        const double c = cosines[static_cast<std::size_t>(v)], s = sines[static_cast<std::size_t>(v)];
        // r·u = u0 + i·u1 (detector axis); L = l0 + i·l1 (distance from the source along d).
        const auto u0 = static_cast<float>(grid.origin[0] * c + y * s), u1 = static_cast<float>(pixel * c);
        const auto l0 = static_cast<float>(g.source_to_isocentre_mm - grid.origin[0] * s + y * c);
        const auto l1 = static_cast<float>(-pixel * s);
        const float* view = guarded.data() + v * stride + kGuard;
        const auto per_mm = static_cast<float>(1.0 / du);
        const auto centre = static_cast<float>(centre_bin);
        if (!fan) {
          accumulate_view(view, bins, nx, sum.data(), bin.data(), weight.data(), [=](float i) {
            return BinWeight{(u0 + i * u1) * per_mm + centre, 1.0f};
          });
        } else if (!arc) {
          accumulate_view(view, bins, nx, sum.data(), bin.data(), weight.data(), [=](float i) {
            const float along = u0 + i * u1, inverse_l = 1.0f / (l0 + i * l1);
            return BinWeight{d_sd * along * inverse_l * per_mm + centre, d * d * inverse_l * inverse_l};
          });
        } else {
          accumulate_view(view, bins, nx, sum.data(), bin.data(), weight.data(), [=](float i) {
            const float along = u0 + i * u1, l = l0 + i * l1;  // l > 0: the source lies outside the image
            return BinWeight{d_sd * fast_atan(along / l) * per_mm + centre, 1.0f / (along * along + l * l)};
          });
        }
      }
      for (std::int64_t i = 0; i < nx; ++i) {
        image[j * nx + i] = static_cast<float>(sum[static_cast<std::size_t>(i)] * view_weight_);
      }
    }
  });
}

Image FilteredBackprojection::reconstruct(const Image& sinogram) const {
  require_matching_sinogram(geometry_, sinogram);
  const std::int64_t slices = sinogram.shape().nz;
  ImageGeometry out = geometry_.image_geometry();
  if (sinogram.shape().dimension == 3) out.shape = Shape::volume(out.shape.nx, out.shape.ny, slices);
  Image image(out);
  Image filtered(Shape::image(geometry_.detectors, geometry_.views()));
  const std::int64_t sinogram_size = geometry_.detectors * geometry_.views();
  for (std::int64_t z = 0; z < slices; ++z) {
    filter_views(sinogram.data() + z * sinogram_size, filtered.data());
    backproject(filtered.data(), image.data() + z * out.shape.slice_voxel_count());
  }
  return image;
}

}  // namespace tweedie
