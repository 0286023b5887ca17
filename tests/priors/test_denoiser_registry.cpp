// Properties every denoiser must have, checked on each of them: a volume is denoised slice by
// slice, the result does not depend on the thread count, and bad input is refused.
#include "core/error.h"
#include "core/image_ops.h"
#include "core/threading.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "random_network.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <map>

using namespace tweedie;
namespace data = boost::unit_test::data;

namespace {

std::unique_ptr<Denoiser> cnn(ConvBackend backend) {
  Model model;
  model.architecture = {.depth = 3, .width = 16, .kernel = 3, .unshuffle = 2};
  model.parameters = testing::random_parameters(model.architecture, 8);
  return std::make_unique<CnnDenoiser>(std::move(model), CnnDenoiser::Options{backend, 32});
}

const std::map<std::string, std::function<std::unique_ptr<Denoiser>()>> kDenoisers{
    {"tv", [] { return std::make_unique<TvDenoiser>(); }},
    {"gaussian", [] { return std::make_unique<GaussianDenoiser>(); }},
    {"cnn_reference", [] { return cnn(ConvBackend::reference); }},
    {"cnn_winograd", [] { return cnn(ConvBackend::winograd); }},
};
const char* kNames[] = {"tv", "gaussian", "cnn_reference", "cnn_winograd"};

Image noisy_volume() {
  Image volume(Shape::volume(45, 38, 2));
  fill_normal(volume, 12);
  for (std::int64_t k = 0; k < volume.size(); ++k) volume.data()[k] = 100.0f + 20.0f * volume.data()[k] + static_cast<float>(k % 45);
  return volume;
}

bool identical(const Image& a, const Image& b) {
  return a.shape() == b.shape() && std::equal(a.values().begin(), a.values().end(), b.values().begin());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(denoiser_registry)

BOOST_DATA_TEST_CASE(a_volume_is_denoised_slice_by_slice, data::make(kNames), name) {
  const auto denoiser = kDenoisers.at(name)();
  const Image volume = noisy_volume();
  const Image together = denoiser->denoise(volume, 20.0);
  for (std::int64_t z = 0; z < 2; ++z) {
    BOOST_TEST(identical(extract_slices(together, z, 1), denoiser->denoise(extract_slices(volume, z, 1), 20.0)));
  }
}

BOOST_DATA_TEST_CASE(one_and_two_threads_give_the_same_bits, data::make(kNames), name) {
  const Image volume = noisy_volume();
  Image one, two;
  {
    const ThreadLimit limit(1);
    one = kDenoisers.at(name)()->denoise(volume, 20.0);
  }
  {
    const ThreadLimit limit(2);
    two = kDenoisers.at(name)()->denoise(volume, 20.0);
  }
  BOOST_TEST(identical(one, two));
}

BOOST_DATA_TEST_CASE(nan_input_and_negative_sigma_are_refused, data::make(kNames), name) {
  const auto denoiser = kDenoisers.at(name)();
  Image volume = noisy_volume();
  BOOST_CHECK_THROW(denoiser->denoise(volume, -1.0), ParameterError);
  volume.at(3, 4, 1) = std::numeric_limits<float>::quiet_NaN();
  BOOST_CHECK_THROW(denoiser->denoise(volume, 20.0), Error);
}

BOOST_AUTO_TEST_SUITE_END()
