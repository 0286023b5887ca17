#include "core/image_ops.h"
#include "operators/blur.h"
#include "operators/joseph_projector.h"
#include "operators/ramp_filter.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <numbers>

using namespace tweedie;

namespace {

constexpr std::int64_t kSize = 64;

// cos(2π f x) under a smooth window that keeps it away from the image edge (f in cycles per pixel).
Image windowed_cosine(double f) {
  Image image(Shape::image(kSize, kSize));
  const double centre = 0.5 * (kSize - 1);
  for (std::int64_t j = 0; j < kSize; ++j) {
    for (std::int64_t i = 0; i < kSize; ++i) {
      const double x = static_cast<double>(i) - centre, y = static_cast<double>(j) - centre;
      const double r2 = (x * x + y * y) / std::pow(0.25 * kSize, 2);
      image.at(i, j) = static_cast<float>(std::exp(-r2) * std::cos(2 * std::numbers::pi * f * x));
    }
  }
  return image;
}

// ⟨v, M v⟩ / ⟨v, v⟩: the gain of M on v.
double gain(const Image& v, const Image& mv) { return dot(v, mv) / dot(v, v); }

}  // namespace

BOOST_AUTO_TEST_SUITE(ramp_filter)

// The filter works on the kernel's grid, row and column transforms at a time; it must be the
// zero-boundary convolution with the kernel itself, on non-square volumes, damped or not.
BOOST_AUTO_TEST_CASE(is_the_zero_boundary_convolution_with_its_kernel) {
  const ImageGeometry grid{.shape = Shape::volume(37, 22, 2)};
  Image x(grid.shape);
  fill_normal(x, 3);
  for (const double damping : {0.0, 5.0}) {
    const Convolution reference(grid, ramp_kernel(37, 22, damping), Boundary::zero);
    const Image expected = reference.apply(x);
    Image difference = tweedie::ramp_filter(grid, damping)->apply(x);
    difference.array() -= expected.array();
    const double error = norm(difference) / norm(expected);
    BOOST_TEST_INFO("damping " << damping << ": relative error " << error);
    BOOST_TEST(error < 1e-5);
  }
}

BOOST_AUTO_TEST_CASE(is_symmetric_positive_and_grows_with_frequency) {
  const auto ramp = tweedie::ramp_filter({.shape = Shape::image(kSize, kSize)});
  Image x(Shape::image(kSize, kSize)), y = x.zeros_like();
  fill_normal(x, 1), fill_normal(y, 2);
  BOOST_TEST(std::abs(dot(ramp->apply(x), y) - dot(x, ramp->apply(y))) < 1e-5 * norm(ramp->apply(x)) * norm(y));
  BOOST_TEST(dot(x, ramp->apply(x)) > 0.0);
  // The ramp is |ω|: a cosine 8 times the frequency comes out about 8 times as strong.
  const Image low = windowed_cosine(1.0 / 32), high = windowed_cosine(1.0 / 4);
  const double ratio = gain(high, ramp->apply(high)) / gain(low, ramp->apply(low));
  BOOST_TEST_MESSAGE("ramp gain at f = 1/4 over f = 1/32: " << ratio);
  BOOST_TEST(ratio > 6.0);
  BOOST_TEST(ratio < 10.0);
}

// Damped by δ, the response r becomes r/(1 + δr): the same at low frequencies, flattened where δr
// is large, still symmetric.
BOOST_AUTO_TEST_CASE(damping_maps_the_response_r_to_r_over_one_plus_delta_r) {
  const double delta = 8.0;
  const ImageGeometry grid{.shape = Shape::image(kSize, kSize)};
  const auto ramp = tweedie::ramp_filter(grid), damped = tweedie::ramp_filter(grid, delta);
  for (const double f : {1.0 / 32, 1.0 / 8, 1.0 / 4}) {
    const Image v = windowed_cosine(f);
    const double r = gain(v, ramp->apply(v)), expected = r / (1.0 + delta * r), got = gain(v, damped->apply(v));
    BOOST_TEST_INFO("f = " << f << ": ramp " << r << ", damped " << got << ", r/(1 + δr) " << expected);
    BOOST_TEST(std::abs(got - expected) < 0.05 * expected);
  }
  Image x(grid.shape), y = x.zeros_like();
  fill_normal(x, 1), fill_normal(y, 2);
  BOOST_TEST(std::abs(dot(damped->apply(x), y) - dot(x, damped->apply(y))) < 1e-5 * norm(damped->apply(x)) * norm(y));
}

// AᵀA of a parallel-beam projector falls as 1/|ω|; the ramp flattens it, which is what the
// preconditioned gradient steps of PnP-PGD rely on.
BOOST_AUTO_TEST_CASE(flattens_the_spectrum_of_the_ct_normal_operator) {
  const JosephProjector a(parallel_geometry(kSize, 1.0, 90));
  const auto ramp = a.normal_preconditioner();
  BOOST_REQUIRE(ramp);
  const auto normal = [&](const Image& v) { return a.adjoint(a.apply(v)); };
  const Image low = windowed_cosine(1.0 / 32), high = windowed_cosine(1.0 / 4);
  const double plain = gain(low, normal(low)) / gain(high, normal(high));
  // P AᵀA is similar to the symmetric P^½AᵀAP^½; ⟨v, AᵀA v⟩/⟨v, P⁻¹v⟩ is its gain on P^½-shaped
  // vectors, so compare ⟨Pv, AᵀA Pv⟩ / ⟨v, Pv⟩ instead (v = P^-½u).
  const auto preconditioned_gain = [&](const Image& v) {
    const Image pv = ramp->apply(v);
    return dot(pv, normal(pv)) / dot(v, pv);
  };
  const double flattened = preconditioned_gain(low) / preconditioned_gain(high);
  BOOST_TEST_MESSAGE("AᵀA gain f = 1/32 over f = 1/4: " << plain << "; with the ramp: " << flattened);
  BOOST_TEST(plain > 5.0);
  BOOST_TEST(flattened > 0.5);
  BOOST_TEST(flattened < 2.5);
}

BOOST_AUTO_TEST_SUITE_END()
