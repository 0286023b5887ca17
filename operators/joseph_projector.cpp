#include "operators/joseph_projector.h"

#include "core/error.h"

#include <tbb/blocked_range2d.h>
#include <tbb/parallel_for.h>

#include "operators/fast_atan.h"
#include "operators/ramp_filter.h"
#include "operators/simd.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <type_traits>
#include <utility>

namespace tweedie {
namespace {

using Ray = JosephProjector::Ray;

// The geometry's rays in pixel-index coordinates.
std::vector<Ray> make_rays(const CtGeometry& g) {
  const double centre_i = 0.5 * static_cast<double>(g.image_nx - 1);
  const double centre_j = 0.5 * static_cast<double>(g.image_ny - 1);
  std::vector<Ray> rays;
  for (const CtRay& ray : ct_rays(g)) {
    rays.push_back({ray.x / g.pixel_spacing_mm + centre_i, ray.y / g.pixel_spacing_mm + centre_j,
                    ray.dx, ray.dy});
  }
  return rays;
}

// Visits the (pixel index, weight) pairs of one ray through an nx×ny grid, restricted to rows
// row_lo..row_hi; weight × pixel summed over the visits is the line integral in pixel units.
template <class Visit>
inline void trace(const Ray& ray, std::int64_t nx, std::int64_t row_lo,
                  std::int64_t row_hi, Visit&& visit) {
  if (std::abs(ray.dj) >= std::abs(ray.di)) {
    // Steps along rows; linear interpolation between two columns.
    const double slope = ray.di / ray.dj;
    const double length = 1.0 / std::abs(ray.dj);
    double first = static_cast<double>(row_lo), last = static_cast<double>(row_hi);
    if (slope != 0.0) {  // rows where the column lies in (−1, nx)
      const double a = ray.j + (-1.0 - ray.i) / slope, b = ray.j + (static_cast<double>(nx) - ray.i) / slope;
      first = std::max(first, std::floor(std::min(a, b)));
      last = std::min(last, std::ceil(std::max(a, b)));
    } else if (ray.i <= -1.0 || ray.i >= static_cast<double>(nx)) {
      return;
    }
    if (!(first <= last)) return;  // also keeps huge bounds away from the integer conversion
    for (auto j = static_cast<std::int64_t>(first); j <= static_cast<std::int64_t>(last); ++j) {
      const double i = ray.i + (static_cast<double>(j) - ray.j) * slope;
      const double floor_i = std::floor(i);
      const auto i0 = static_cast<std::int64_t>(floor_i);
      const double f = i - floor_i;
      if (i0 >= 0 && i0 < nx) visit(j * nx + i0, (1.0 - f) * length);
      if (i0 + 1 >= 0 && i0 + 1 < nx) visit(j * nx + i0 + 1, f * length);
    }
  } else {
    // Steps along columns; linear interpolation between two rows, of which only those in the
    // band count.
    const double slope = ray.dj / ray.di;
    const double length = 1.0 / std::abs(ray.di);
    double first = 0.0, last = static_cast<double>(nx - 1);
    const double lo = static_cast<double>(row_lo) - 1.0, hi = static_cast<double>(row_hi) + 1.0;
    if (slope != 0.0) {  // columns where the row lies in (row_lo − 1, row_hi + 1)
      const double a = ray.i + (lo - ray.j) / slope, b = ray.i + (hi - ray.j) / slope;
      first = std::max(first, std::floor(std::min(a, b)));
      last = std::min(last, std::ceil(std::max(a, b)));
    } else if (ray.j <= lo || ray.j >= hi) {
      return;
    }
    if (!(first <= last)) return;
    for (auto i = static_cast<std::int64_t>(first); i <= static_cast<std::int64_t>(last); ++i) {
      const double j = ray.j + (static_cast<double>(i) - ray.i) * slope;
      const double floor_j = std::floor(j);
      const auto j0 = static_cast<std::int64_t>(floor_j);
      const double f = j - floor_j;
      if (j0 >= row_lo && j0 <= row_hi) visit(j0 * nx + i, (1.0 - f) * length);
      if (j0 + 1 >= row_lo && j0 + 1 <= row_hi) visit((j0 + 1) * nx + i, f * length);
    }
  }
}

constexpr std::int64_t kRowsPerBand = 16;

}  // namespace

JosephProjector::JosephProjector(const CtGeometry& geometry, std::int64_t slices)
    : geometry_(geometry), slices_(slices) {
  geometry_.validate();
  if (slices < 0) throw ParameterError("slice count cannot be negative");
  rays_ = make_rays(geometry_);
  const std::int64_t bins = geometry_.detectors;
  row_steppers_.resize(static_cast<std::size_t>(geometry_.views()));
  column_steppers_.resize(row_steppers_.size());
  for (std::size_t k = 0; k < rays_.size(); ++k) {
    const Ray& ray = rays_[k];
    const auto view = k / static_cast<std::size_t>(bins);
    const auto bin = static_cast<std::int32_t>(k % static_cast<std::size_t>(bins));
    if (std::abs(ray.dj) >= std::abs(ray.di)) {
      const double slope = ray.di / ray.dj;
      lines_.push_back({static_cast<float>(ray.i - ray.j * slope), static_cast<float>(slope),
                        static_cast<float>(1.0 / std::abs(ray.dj)), true});
      row_steppers_[view].push_back(bin);
    } else {
      const double slope = ray.dj / ray.di;
      lines_.push_back({static_cast<float>(ray.j - ray.i * slope), static_cast<float>(slope),
                        static_cast<float>(1.0 / std::abs(ray.di)), false});
      column_steppers_[view].push_back(bin);
    }
  }
}

ImageGeometry JosephProjector::domain() const {
  ImageGeometry g = geometry_.image_geometry();
  if (slices_ > 0) g.shape = Shape::volume(g.shape.nx, g.shape.ny, slices_);
  return g;
}

std::shared_ptr<const LinearOperator> JosephProjector::normal_preconditioner(double damping) const {
  return ramp_filter(domain(), damping);
}

ImageGeometry JosephProjector::range() const {
  const Shape s = geometry_.sinogram_shape();
  return {.shape = slices_ > 0 ? Shape::volume(s.nx, s.ny, slices_) : s};
}

#if defined(TWEEDIE_SIMD)
namespace {

using simd::Floats;
using simd::Ints;
using simd::kLanes;

constexpr std::int64_t kGuard = 2;  // zero pixels around the image: samples need no bounds checks
constexpr std::int64_t kSlicesPerGroup = 8;  // slices a projection or back-projection task takes together

// Calls body(std::true_type) for a group of several slices, body(std::false_type) for one: the
// projection and each back-projection pass are compiled twice, the one-slice copy keeping its sums
// and weights in registers.
template <class Body>
void for_group_size(std::int64_t group, Body&& body) {
  if (group > 1) body(std::true_type{});
  else body(std::false_type{});
}

// An image slice with kGuard zero pixels on every side, stored twice: row-major for the lines
// that step along rows (their two interpolation neighbours sit side by side in a row) and
// transposed for the lines that step along columns.
struct GuardedSlice {
  float* by_rows;
  float* by_columns;
};

// The steps t at which a line position = offset + slope·t can fall inside (−1, limit), i.e.
// touch a pixel; outside them every sample reads zeros.
std::pair<std::int64_t, std::int64_t> steps_touching(float offset, float slope, float limit, std::int64_t steps) {
  if (std::abs(slope) < 1e-12f) return offset > -1.0f && offset < limit ? std::pair{std::int64_t{0}, steps} : std::pair{steps, steps};
  const float a = (-1.0f - offset) / slope, b = (limit - offset) / slope;
  const auto begin = static_cast<std::int64_t>(std::max(0.0f, std::floor(std::min(a, b)) - 1.0f));
  const auto end = static_cast<std::int64_t>(std::min(static_cast<float>(steps), std::ceil(std::max(a, b)) + 2.0f));
  return {std::min(begin, steps), std::max(std::min(begin, steps), end)};
}

// Sums of the interpolated samples along kLanes lines over steps [t_begin, t_end), in `count`
// slices at once (sums[z] for slices[z]; the positions computed once for all). Each slice holds
// rows of `width` floats (kGuard zeros on each side, and kGuard zero rows before the first);
// step t reads row t + kGuard. The lines are sorted so that their positions are monotone across
// the lanes at every step.
template <class Count>  // std::int64_t, or a constant 1 for the one-slice copy
void sum_along_lines(const float* const* slices, Count count, std::int64_t width, std::int64_t t_begin,
                     std::int64_t t_end, float limit, Floats offset, Floats slope, Floats* sums) {
  const Floats lowest = simd::splat(-static_cast<float>(kGuard)), highest = simd::splat(limit);
  for (std::int64_t z = 0; z < count; ++z) sums[z] = simd::splat(0.0f);
  for (std::int64_t t = t_begin; t < t_end; ++t) {
    const Floats position =
        simd::min(simd::max(simd::fmadd(slope, simd::splat(static_cast<float>(t)), offset), lowest), highest);
    const Floats floor_position = simd::floor(position);
    const Ints m = simd::truncate(floor_position);
    const std::int32_t ends[2] = {simd::first_lane(m), simd::last_lane(m)};
    const std::int64_t row = (t + kGuard) * width + kGuard;
    const Floats fraction = position - floor_position;
    for (std::int64_t z = 0; z < count; ++z) {
      sums[z] += simd::interpolate(slices[z] + row, m, fraction, std::min(ends[0], ends[1]), std::max(ends[0], ends[1]));
    }
  }
}

}  // namespace

void JosephProjector::project_vectorised(const Image& image, Image& sinogram) const {
  const std::int64_t nx = geometry_.image_nx, ny = geometry_.image_ny, bins = geometry_.detectors;
  const std::int64_t views = geometry_.views(), slices = image.shape().nz;
  const std::int64_t width = nx + 2 * kGuard, height = ny + 2 * kGuard, slice_size = width * height;
  // Both copies, all slices, then the window overrun of the last line.
  std::vector<float> guarded(static_cast<std::size_t>(2 * slices * slice_size + simd::kWindowOverrun), 0.0f);
  const auto slice = [&](std::int64_t z) {
    return GuardedSlice{guarded.data() + 2 * z * slice_size, guarded.data() + (2 * z + 1) * slice_size};
  };
  tbb::parallel_for(std::int64_t{0}, slices * ny, [&](std::int64_t row) {
    const std::int64_t z = row / ny, j = row % ny;
    const float* in = image.row_data(j, z);
    const GuardedSlice out = slice(z);
    std::copy_n(in, nx, out.by_rows + (j + kGuard) * width + kGuard);
    for (std::int64_t i = 0; i < nx; ++i) out.by_columns[(i + kGuard) * height + j + kGuard] = in[i];
  });
  const auto scale = static_cast<float>(geometry_.pixel_spacing_mm);
  // Slices projected together share each vector of rays' positions.
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, slices, kSlicesPerGroup, 0, views, 4), [&](const auto& r) {
    // The partitioner may leave more slices in a range than the grain: kSlicesPerGroup at a time.
    for (std::int64_t z0 = r.rows().begin(); z0 < r.rows().end(); z0 += kSlicesPerGroup) {
      const std::int64_t group = std::min(kSlicesPerGroup, r.rows().end() - z0);
      const float* by_rows[kSlicesPerGroup];
      const float* by_columns[kSlicesPerGroup];
      for (std::int64_t z = 0; z < group; ++z) by_rows[z] = slice(z0 + z).by_rows, by_columns[z] = slice(z0 + z).by_columns;
      for (std::int64_t v = r.cols().begin(); v < r.cols().end(); ++v) {
        for (const bool steps_rows : {true, false}) {
          const auto& family = (steps_rows ? row_steppers_ : column_steppers_)[static_cast<std::size_t>(v)];
          const std::int64_t steps = steps_rows ? ny : nx;
          const auto limit = static_cast<float>(steps_rows ? nx : ny);
          for (std::size_t start = 0; start < family.size(); start += kLanes) {
            float offset[kLanes], slope[kLanes], result[kLanes];
            const std::size_t count = std::min<std::size_t>(kLanes, family.size() - start);
            std::int64_t t_begin = steps, t_end = 0;
            for (std::size_t k = 0; k < kLanes; ++k) {  // unused lanes repeat the last line
              const Line& line = lines_[static_cast<std::size_t>(v * bins + family[start + std::min(k, count - 1)])];
              offset[k] = line.offset;
              slope[k] = line.slope;
              const auto [begin, end] = steps_touching(line.offset, line.slope, limit, steps);
              if (begin < end) t_begin = std::min(t_begin, begin), t_end = std::max(t_end, end);
            }
            Floats sums[kSlicesPerGroup];
            for_group_size(group, [&](auto several_slices) {
              const auto slice_count = [&] {
                if constexpr (several_slices) return group;
                else return std::integral_constant<std::int64_t, 1>{};
              }();
              sum_along_lines(steps_rows ? by_rows : by_columns, slice_count, steps_rows ? width : height, t_begin,
                              std::max(t_begin, t_end), limit, simd::load(offset), simd::load(slope), sums);
            });
            for (std::int64_t z = 0; z < group; ++z) {
              simd::store(result, sums[z]);
              float* row = sinogram.row_data(v, z0 + z);
              for (std::size_t k = 0; k < count; ++k) {
                const std::int64_t bin = family[start + k];
                row[bin] = scale * lines_[static_cast<std::size_t>(v * bins + bin)].length * result[k];
              }
            }
          }
        }
      }
    }
  });
}
// Parallel beam: the rays of a view are parallel and equally spaced, so the transpose can be
// computed pixel by pixel. Pixel (i, j) receives y_m · L · (1 − |d_m|) from every ray m that
// passes within one pixel of it along the axis the ray steps over (d_m: the ray's column at row j
// minus i, or its row at column i minus j) — exactly the weights the forward projection uses,
// gathered a vector of pixels at a time instead of scattered ray by ray.
void JosephProjector::adjoint_parallel_beam_vectorised(const Image& sinogram, Image& image) const {
  const std::int64_t nx = geometry_.image_nx, ny = geometry_.image_ny, bins = geometry_.detectors;
  const std::int64_t views = geometry_.views(), slices = image.shape().nz;
  struct ViewLines {
    float offset, spacing, slope, weight;  // ray m: position = offset + m·spacing + slope·t
    float minus_inverse_spacing, reach;  // −1/spacing; 1/|spacing|, the half-width of |d| < 1 in rays
    bool steps_rows;
    int candidates;  // rays that can pass within one pixel of a given pixel, plus one
  };
  std::vector<ViewLines> lines(static_cast<std::size_t>(views));
  int most_candidates = 1;
  for (std::int64_t v = 0; v < views; ++v) {
    const Line& first = lines_[static_cast<std::size_t>(v * bins)];
    // The spacing between neighbouring rays from the double-precision rays (the difference of two
    // float offsets would be off by up to 1e-4 pixel, times up to `bins` rays).
    const auto offset_of = [&](std::int64_t m) {
      const Ray& ray = rays_[static_cast<std::size_t>(v * bins + m)];
      return first.steps_rows ? ray.i - ray.j * (ray.di / ray.dj) : ray.j - ray.i * (ray.dj / ray.di);
    };
    const double spacing = bins > 1 ? offset_of(1) - offset_of(0) : 1e6;
    // Rays with |d_m| < 1 have m in the open interval (c − r, c + r), c the m where d = 0 and
    // r = 1/|spacing|: at most ⌊2r⌋ + 1 of them, from ⌊c − r⌋ + 1 on.
    const int candidates = static_cast<int>(std::floor(2.0 / std::abs(spacing))) + 1;
    lines[static_cast<std::size_t>(v)] = {first.offset, static_cast<float>(spacing), first.slope,
                                          static_cast<float>(geometry_.pixel_spacing_mm) * first.length,
                                          static_cast<float>(-1.0 / spacing), static_cast<float>(1.0 / std::abs(spacing)),
                                          first.steps_rows, candidates};
    most_candidates = std::max(most_candidates, candidates);
  }
  // Each view's y_m · L, padded with zeros so that candidate rays beyond the detector read nothing,
  // and windows starting at the last bins stay inside the buffer.
  const std::int64_t guard = most_candidates + 1, stride = guard + bins + std::max(guard, simd::kWindowOverrun);
  std::vector<float> guarded(static_cast<std::size_t>(slices * views * stride), 0.0f);
  for (std::int64_t row = 0; row < slices * views; ++row) {
    const float weight = lines[static_cast<std::size_t>(row % views)].weight;
    std::transform(sinogram.data() + row * bins, sinogram.data() + (row + 1) * bins, guarded.data() + row * stride + guard,
                   [weight](float y) { return weight * y; });
  }
  const Floats lane = simd::lane_numbers();
  const Ints one = simd::splat(std::int32_t{1});
  // Slices back-projected together share each candidate ray's weight, as in the fan-beam pass.
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, slices, kSlicesPerGroup, 0, ny, 2), [&](const auto& r) {
    const std::int64_t z0 = r.rows().begin(), group = r.rows().size();
    // The sums of the slices after the first, and the candidates' weights, a cache line each.
    std::vector<float, Eigen::aligned_allocator<float>> sums(static_cast<std::size_t>(group * kLanes));
    std::vector<float, Eigen::aligned_allocator<float>> weights(static_cast<std::size_t>(most_candidates * kLanes));
    const auto back_project = [&](auto several_slices) {
      for (std::int64_t j = r.cols().begin(); j < r.cols().end(); ++j) {
        const auto fj = static_cast<float>(j);
        for (std::int64_t i0 = 0; i0 < nx; i0 += kLanes) {
          const Floats columns = static_cast<float>(i0) + lane;
          Floats sum = simd::splat(0.0f);  // the first slice's
          if constexpr (several_slices) std::fill(sums.begin(), sums.end(), 0.0f);
          for (std::int64_t v = 0; v < views; ++v) {
            const ViewLines& p = lines[static_cast<std::size_t>(v)];
            // d_m = offset + m·spacing + rest, rest = slope·j − i (row steppers) or slope·i − j.
            const Floats rest = p.steps_rows ? p.slope * fj - columns
                                             : simd::fmadd(simd::splat(p.slope), columns, simd::splat(-fj));
            const Floats base = p.offset + rest;
            const Floats centre = base * p.minus_inverse_spacing;  // m where d = 0
            const Floats lowest_m = simd::min(simd::max(simd::floor(centre - p.reach) + 1.0f, simd::splat(-static_cast<float>(guard))),
                                              simd::splat(static_cast<float>(bins + guard - p.candidates)));
            const auto view_of = [&](std::int64_t z) { return guarded.data() + ((z0 + z) * views + v) * stride + guard; };
            const Ints first_m = simd::truncate(lowest_m);
            // The candidate rays of neighbouring pixels are neighbours: one window serves every lane.
            const std::int32_t ends[2] = {simd::first_lane(first_m), simd::last_lane(first_m)};
            const std::int32_t first = std::min(ends[0], ends[1]), last = std::max(ends[0], ends[1]) + p.candidates - 1;
            // Candidate k: d = d₀ + k·spacing, ray index first_m + k. The first slice computes
            // the weights, the others read them.
            const auto accumulate = [&](Ints index, auto&& reader_of) {
              const auto at = reader_of(view_of(0));
              Floats d = simd::fmadd(lowest_m, simd::splat(p.spacing), base);
              Ints candidate = index;
              for (int k = 0; k < p.candidates; ++k) {
                const Floats weight = simd::max(1.0f - simd::abs(d), simd::splat(0.0f));
                if constexpr (several_slices) simd::store(weights.data() + k * kLanes, weight);
                sum = simd::fmadd(weight, at(candidate), sum);
                d = d + p.spacing;
                candidate = simd::add(candidate, one);
              }
              if constexpr (several_slices) {
                for (std::int64_t z = 1; z < group; ++z) {
                  const auto at_z = reader_of(view_of(z));
                  Floats slice_sum = simd::load(sums.data() + z * kLanes);
                  candidate = index;
                  for (int k = 0; k < p.candidates; ++k) {
                    slice_sum = simd::fmadd(simd::load(weights.data() + k * kLanes), at_z(candidate), slice_sum);
                    candidate = simd::add(candidate, one);
                  }
                  simd::store(sums.data() + z * kLanes, slice_sum);
                }
              }
            };
            if (simd::Window::covers(first, last)) {
              accumulate(simd::subtract(first_m, simd::splat(first)), [&](const float* values) {
                return [window = simd::Window(values, first)](Ints offset) { return window.at_offset(offset); };
              });
            } else {
              accumulate(first_m, [](const float* values) { return [values](Ints m) { return simd::gather(values, m); }; });
            }
          }
          const std::int64_t count = std::min<std::int64_t>(kLanes, nx - i0);
          simd::store_first(image.row_data(j, z0) + i0, sum, count);
          if constexpr (several_slices) {
            for (std::int64_t z = 1; z < group; ++z) {
              simd::store_first(image.row_data(j, z0 + z) + i0, simd::load(sums.data() + z * kLanes), count);
            }
          }
        }
      }
    };
    for_group_size(group, back_project);
  });
}

// Fan beam (the method holds for any geometry): the transpose pixel by pixel as well. Pixel (i, j)
// receives w_m·(1 − |d_m|)₊ from every ray m, w_m = y_m·L_m, where for a ray stepping along rows
// d_m = c_m(j) − i with c_m(j) its column at row j — exactly the forward projection's
// interpolation weights. Rays stepping along columns are the same with the axes swapped, so they
// are gathered by a second pass over the transposed image.
void JosephProjector::adjoint_fan_beam_vectorised(const Image& sinogram, Image& image) const {
  back_project_ray_family(sinogram, true, image);
  back_project_ray_family(sinogram, false, image);
}

// One family's pass, over rows of pixels of the pass's image (the image itself for the rays
// stepping along rows, which the pass writes; its transpose for the others, which it adds). Only
// rays crossing the segment from (i − 1, j) to (i + 1, j) can have |d_m| < 1, and their bins lie
// between the detector bins of its two ends. A vector of pixels at a time, gathering instead of
// scattering, over blocks of rows that stay in cache; per view and row, a table of each ray's
// crossing c_m(j) with the row, so that a candidate ray costs two lookups.
void JosephProjector::back_project_ray_family(const Image& sinogram, bool steps_rows, Image& image) const {
  const CtGeometry& g = geometry_;
  const std::int64_t bins = g.detectors, views = g.views(), slices = image.shape().nz;
  const std::int64_t across = steps_rows ? g.image_nx : g.image_ny, along = steps_rows ? g.image_ny : g.image_nx;
  const auto& family = steps_rows ? row_steppers_ : column_steppers_;
  // The views with rays of the family, and the first and last of those rays' bins (each in one
  // piece unless the fan is wider than 90°).
  struct FamilyView {
    std::int64_t view, first_bin, last_bin;
    bool in_one_piece;
  };
  std::vector<FamilyView> family_views;
  for (std::int64_t v = 0; v < views; ++v) {
    const auto& bins_of_view = family[static_cast<std::size_t>(v)];
    if (bins_of_view.empty()) continue;
    const std::int64_t first = bins_of_view.front(), last = bins_of_view.back();
    family_views.push_back({v, first, last, last - first + 1 == static_cast<std::int64_t>(bins_of_view.size())});
  }
  if (!steps_rows && family_views.empty()) return;
  // Per view: one zero ray before and after the detector, and room for a window starting at the
  // last one. Each ray of the family as a line, crossing = offset + slope·row, and its y_m·L_m; the
  // other family's rays keep weight 0.
  constexpr std::int64_t kRayGuard = 1;
  const std::int64_t stride = (2 * kRayGuard + bins + simd::kWindowOverrun + kLanes - 1) / kLanes * kLanes;
  std::vector<float> offset(static_cast<std::size_t>(views * stride), 0.0f), slope(offset.size(), 0.0f);
  std::vector<float> weighted(static_cast<std::size_t>(slices) * offset.size(), 0.0f);
  for (const FamilyView& family_view : family_views) {
    const std::int64_t v = family_view.view;
    for (const std::int32_t m : family[static_cast<std::size_t>(v)]) {
      const Line& line = lines_[static_cast<std::size_t>(v * bins + m)];
      const auto k = static_cast<std::size_t>(v * stride + kRayGuard + m);
      offset[k] = line.offset;
      slope[k] = line.slope;
      for (std::int64_t z = 0; z < slices; ++z) {
        weighted[static_cast<std::size_t>(z) * offset.size() + k] =
            static_cast<float>(g.pixel_spacing_mm) * line.length * sinogram.row_data(v, z)[m];
      }
    }
  }
  // The detector bin that a point (pixel-index coordinates) projects onto, per view.
  const bool fan = g.beam == BeamShape::fan, arc = fan && g.detector_shape == DetectorShape::arc;
  const auto pixel = static_cast<float>(g.pixel_spacing_mm);
  const auto centre_i = 0.5f * static_cast<float>(g.image_nx - 1), centre_j = 0.5f * static_cast<float>(g.image_ny - 1);
  const auto d_so = static_cast<float>(g.source_to_isocentre_mm), d_sd = static_cast<float>(g.source_to_detector_mm);
  const auto bin_per_mm = static_cast<float>(1.0 / g.detector_spacing_mm);
  const auto centre_bin = static_cast<float>(0.5 * static_cast<double>(bins - 1) - g.detector_offset_mm / g.detector_spacing_mm);
  std::vector<float> cosines(static_cast<std::size_t>(views)), sines(cosines.size());
  for (std::size_t v = 0; v < cosines.size(); ++v) {
    cosines[v] = static_cast<float>(std::cos(g.angles_deg[v] * std::numbers::pi / 180.0));
    sines[v] = static_cast<float>(std::sin(g.angles_deg[v] * std::numbers::pi / 180.0));
  }
  const auto bin_of = [&](std::size_t v, Floats i, Floats j) {
    const Floats x = (i - centre_i) * pixel, y = (j - centre_j) * pixel;
    const Floats across_ray = x * cosines[v] + y * sines[v];  // along u(θ)
    Floats u = across_ray;
    if (fan) {
      const Floats along_ray = d_so + y * cosines[v] - x * sines[v];  // along d(θ), from the source
      const Floats tangent = across_ray / along_ray;
      // The rays are bracketed below to within a bin, far above the polynomial's 2 µrad.
      if (!arc) u = d_sd * tangent;
      else u = d_sd * (simd::all_at_most(simd::abs(tangent), 1.0f) ? atan_within_unit(tangent) : fast_atan(tangent));
    }
    return u * bin_per_mm + centre_bin;
  };
  constexpr std::int64_t kRowsPerBlock = 16;  // of the transposed image: a cache line of each image row
  const std::int64_t padded = (across + kLanes - 1) / kLanes * kLanes, ends_width = padded + 2;
  const Floats lane = simd::lane_numbers();
  const Floats lowest_ray = simd::splat(-static_cast<float>(kRayGuard));
  const Floats highest_ray = simd::splat(static_cast<float>(bins - 1 + kRayGuard));
  const Ints one = simd::splat(std::int32_t{1});
  // Slices back-projected together share each row's tables and each candidate ray's weight: a
  // volume pays for them once per group instead of once per slice.
  const auto slice_stride = static_cast<std::int64_t>(offset.size());
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, slices, kSlicesPerGroup, 0, along, kRowsPerBlock), [&](const auto& r) {
    const std::int64_t z0 = r.rows().begin(), group = r.rows().size();
    const std::int64_t j0 = r.cols().begin(), rows = r.cols().size();
    // 64-byte aligned: each vector of sums and of weights is one cache line.
    std::vector<float, Eigen::aligned_allocator<float>> sums(static_cast<std::size_t>(group * rows * padded), 0.0f);
    // The ray below each point −1 … across of a row, ⌊its detector bin⌋ within the guards.
    std::vector<std::int32_t> rays_below(static_cast<std::size_t>(ends_width + kLanes));
    std::vector<float> crossings(static_cast<std::size_t>(stride));  // c_m(row) of a view's rays
    std::vector<float, Eigen::aligned_allocator<float>> weights;     // (1 − |d|)₊ of a vector's candidates
    const auto back_project = [&](auto several_slices) {
      for (const FamilyView& family_view : family_views) {
        const std::int64_t v = family_view.view;
        const auto vi = static_cast<std::size_t>(v);
        const float* view_crossings = crossings.data() + kRayGuard;
        const float* group_weighted = weighted.data() + z0 * slice_stride + v * stride + kRayGuard;
        const auto view_weighted = [group_weighted, slice_stride](std::int64_t z) { return group_weighted + z * slice_stride; };
        for (std::int64_t t = 0; t < rows; ++t) {
          const auto row_number = static_cast<float>(j0 + t);
          const Floats row = simd::splat(row_number);
          // The family's rays touch this row's pixels within one of their crossings only (the margin
          // absorbs the rounding of this scalar crossing against the vector one below).
          std::int64_t touched_begin = 0, touched_end = across;
          if (family_view.in_one_piece) {
            const auto crossing = [&](std::int64_t bin) {
              const auto k = static_cast<std::size_t>(v * stride + kRayGuard + bin);
              return offset[k] + slope[k] * row_number;
            };
            const float c[2] = {crossing(family_view.first_bin), crossing(family_view.last_bin)};
            const float lowest = std::min(c[0], c[1]), highest = std::max(c[0], c[1]);
            const auto limit = static_cast<float>(across);
            touched_begin = static_cast<std::int64_t>(std::clamp(std::floor(lowest) - 1.0f, 0.0f, limit));
            touched_end = std::max(touched_begin, static_cast<std::int64_t>(std::clamp(std::ceil(highest) + 2.0f, 0.0f, limit)));
          }
          if (touched_begin == touched_end) continue;
          const std::int64_t vectors_begin = touched_begin / kLanes * kLanes;
          const std::int64_t last_vector = (touched_end - 1) / kLanes * kLanes;
          for (std::int64_t p0 = vectors_begin; p0 < last_vector + 2 + kLanes; p0 += kLanes) {
            const Floats point = static_cast<float>(p0 - 1) + lane;
            const Floats bin = steps_rows ? bin_of(vi, point, row) : bin_of(vi, row, point);
            simd::store(rays_below.data() + p0, simd::truncate(simd::min(simd::max(simd::floor(bin), lowest_ray), highest_ray)));
          }
          // The crossings of the rays the pixels can reach (the table is monotone along the row),
          // and of those a window starting among them reads.
          const std::int32_t row_ends[2] = {rays_below[static_cast<std::size_t>(vectors_begin)],
                                            rays_below[static_cast<std::size_t>(last_vector + kLanes + 1)]};
          const std::int64_t crossings_begin = (std::min(row_ends[0], row_ends[1]) + kRayGuard) / kLanes * kLanes;
          const std::int64_t crossings_end = std::min(stride, std::max(row_ends[0], row_ends[1]) + 1 + kRayGuard + 2 * kLanes);
          for (std::int64_t m0 = crossings_begin; m0 < crossings_end; m0 += kLanes) {
            const std::int64_t k = v * stride + m0;
            simd::store(crossings.data() + m0, simd::fmadd(simd::load(slope.data() + k), row, simd::load(offset.data() + k)));
          }
          const Ints last_fresh_ray = simd::splat(static_cast<std::int32_t>(crossings_end - 1 - kRayGuard));
          for (std::int64_t i0 = vectors_begin; i0 <= last_vector; i0 += kLanes) {
            const Floats column = static_cast<float>(i0) + lane;
            // Its candidate rays: from the ray below its lower end to the one above its upper end.
            const Ints left = simd::load(rays_below.data() + i0), right = simd::load(rays_below.data() + i0 + 2);
            const Ints first_ray = simd::min(left, right);
            const Ints last_ray = simd::add(simd::max(left, right), one);
            const int candidates = simd::largest(simd::subtract(last_ray, first_ray)) + 1;
            // Neighbouring pixels see neighbouring rays: monotone across the lanes. Lanes with fewer
            // candidates than the widest go on to rays beyond their last, whose |d_m| ≥ 1.
            const std::int32_t ends_of_first[2] = {simd::first_lane(first_ray), simd::last_lane(first_ray)};
            const std::int32_t first = std::min(ends_of_first[0], ends_of_first[1]);
            const std::int32_t last = std::max(ends_of_first[0], ends_of_first[1]) + candidates - 1;
            if (several_slices && weights.size() < static_cast<std::size_t>(candidates * kLanes)) {
              weights.resize(static_cast<std::size_t>(candidates * kLanes));
            }
            // Candidate k is ray `index` + k, an index into a window or into the arrays. The first
            // slice computes each candidate's weight from its crossing and keeps it for the others.
            const auto accumulate = [&](Ints index, auto&& crossing_at, auto&& weighted_at) {
              const auto add_slice = [&](std::int64_t z, auto&& weight_of) {
                float* out = sums.data() + (z * rows + t) * padded + i0;
                const auto value_at = weighted_at(view_weighted(z));
                Floats sum = simd::load(out);
                Ints candidate = index;
                for (int k = 0; k < candidates; ++k) {
                  sum = simd::fmadd(weight_of(k, candidate), value_at(candidate), sum);
                  candidate = simd::add(candidate, one);
                }
                simd::store(out, sum);
              };
              add_slice(0, [&](int k, Ints candidate) {
                const Floats weight = simd::max(1.0f - simd::abs(crossing_at(candidate) - column), simd::splat(0.0f));
                if constexpr (several_slices) simd::store(weights.data() + k * kLanes, weight);
                return weight;
              });
              if constexpr (several_slices) {
                for (std::int64_t z = 1; z < group; ++z) {
                  add_slice(z, [&](int k, Ints) { return simd::load(weights.data() + k * kLanes); });
                }
              }
            };
            if (simd::Window::covers(first, last)) {
              const simd::Window crossing_window(view_crossings, first);
              accumulate(
                  simd::subtract(first_ray, simd::splat(first)), [&](Ints position) { return crossing_window.at_offset(position); },
                  [&](const float* values) {
                    return [window = simd::Window(values, first)](Ints position) { return window.at_offset(position); };
                  });
            } else {
              // Lanes past their last ray may run past the crossings computed: they read the last
              // one again, whose |d| ≥ 1 for them.
              const auto fresh = [&](Ints ray) { return simd::min(ray, last_fresh_ray); };
              accumulate(
                  first_ray, [&](Ints ray) { return simd::gather(view_crossings, fresh(ray)); },
                  [&](const float* values) { return [&, values](Ints ray) { return simd::gather(values, fresh(ray)); }; });
            }
          }
        }
      }
    };
    for_group_size(group, back_project);
    for (std::int64_t z = 0; z < group; ++z) {
      const float* slice_sums = sums.data() + z * rows * padded;
      if (steps_rows) {
        for (std::int64_t t = 0; t < rows; ++t) std::copy_n(slice_sums + t * padded, across, image.row_data(j0 + t, z0 + z));
      } else {
        for (std::int64_t j = 0; j < across; ++j) {
          float* out = image.row_data(j, z0 + z) + j0;
          for (std::int64_t t = 0; t < rows; ++t) out[t] += slice_sums[static_cast<std::size_t>(t * padded + j)];
        }
      }
    }
  });
}
#endif

void JosephProjector::apply(const Image& image, Image& sinogram) const {
  require_same_shape(domain().shape, image.shape(), "the image to project");
  require_same_shape(range().shape, sinogram.shape(), "the sinogram buffer");
#if defined(TWEEDIE_SIMD)
  project_vectorised(image, sinogram);
#else
  apply_reference(image, sinogram);
#endif
}

void JosephProjector::apply_reference(const Image& image, Image& sinogram) const {
  require_same_shape(domain().shape, image.shape(), "the image to project");
  require_same_shape(range().shape, sinogram.shape(), "the sinogram buffer");
  const std::int64_t nx = geometry_.image_nx, ny = geometry_.image_ny;
  const std::int64_t views = geometry_.views(), bins = geometry_.detectors;
  const std::int64_t slices = image.shape().nz;
  const float scale = static_cast<float>(geometry_.pixel_spacing_mm);
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, slices, 1, 0, views, 4), [&](const auto& r) {
    for (std::int64_t z = r.rows().begin(); z < r.rows().end(); ++z) {
      const float* pixels = image.data() + z * nx * ny;
      for (std::int64_t v = r.cols().begin(); v < r.cols().end(); ++v) {
        float* row = sinogram.row_data(v, z);
        for (std::int64_t m = 0; m < bins; ++m) {
          double sum = 0.0;
          trace(rays_[static_cast<std::size_t>(v * bins + m)], nx, 0, ny - 1,
                [&](std::int64_t index, double weight) { sum += weight * pixels[index]; });
          row[m] = scale * static_cast<float>(sum);
        }
      }
    }
  });
}

void JosephProjector::adjoint(const Image& sinogram, Image& image) const {
  require_same_shape(range().shape, sinogram.shape(), "the sinogram to back-project");
  require_same_shape(domain().shape, image.shape(), "the image buffer");
#if defined(TWEEDIE_SIMD)
  if (geometry_.beam == BeamShape::parallel) return adjoint_parallel_beam_vectorised(sinogram, image);
#endif
#if defined(__AVX512F__)
  adjoint_fan_beam_vectorised(sinogram, image);
#else
  // With 8 lanes the fan-beam rays of neighbouring pixels outgrow a window of 16 and the
  // gathers make the pixel-driven transpose slower than tracing ray by ray (measured on a
  // 2-core AVX2 EPYC: 584 vs 491 ms).
  adjoint_by_bands(sinogram, image);
#endif
}

std::int64_t JosephProjector::slices_sharing_work() const {
#if defined(TWEEDIE_SIMD)
  return kSlicesPerGroup;
#else
  return 1;
#endif
}

// Ray by ray through trace(), each task owning a band of image rows.
void JosephProjector::adjoint_by_bands(const Image& sinogram, Image& image) const {
  const std::int64_t nx = geometry_.image_nx, ny = geometry_.image_ny;
  const std::int64_t rays = static_cast<std::int64_t>(rays_.size());
  const std::int64_t slices = image.shape().nz;
  const std::int64_t bands = (ny + kRowsPerBand - 1) / kRowsPerBand;
  const double scale = geometry_.pixel_spacing_mm;
  tbb::parallel_for(tbb::blocked_range2d<std::int64_t>(0, slices, 1, 0, bands, 1), [&](const auto& r) {
    for (std::int64_t z = r.rows().begin(); z < r.rows().end(); ++z) {
      float* pixels = image.data() + z * nx * ny;
      const float* values = sinogram.data() + z * rays;
      for (std::int64_t band = r.cols().begin(); band < r.cols().end(); ++band) {
        const std::int64_t row_lo = band * kRowsPerBand, row_hi = std::min(ny, row_lo + kRowsPerBand) - 1;
        std::fill(pixels + row_lo * nx, pixels + (row_hi + 1) * nx, 0.0f);
        for (std::int64_t k = 0; k < rays; ++k) {
          const float value = values[k];
          if (value == 0.0f) continue;
          const double scaled = scale * value;
          trace(rays_[static_cast<std::size_t>(k)], nx, row_lo, row_hi,
                [&](std::int64_t index, double weight) { pixels[index] += static_cast<float>(weight * scaled); });
        }
      }
    }
  });
}

}  // namespace tweedie
