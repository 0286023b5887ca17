#include "core/image_ops.h"

#include "core/parallel.h"
#include "core/random.h"

#include <cmath>

namespace tweedie {
namespace {
constexpr std::int64_t kChunk = 1 << 15;
}

double dot(const Image& a, const Image& b) {
  require_same_shape(a.shape(), b.shape(), "the second factor of a dot product");
  const auto x = a.array();
  const auto y = b.array();
  return deterministic_sum(a.size(), kChunk, [&](auto begin, auto end) {
    return (x.segment(begin, end - begin).template cast<double>() *
            y.segment(begin, end - begin).template cast<double>())
        .sum();
  });
}

double norm(const Image& a) { return std::sqrt(dot(a, a)); }

void fill_normal(Image& image, std::uint64_t seed, std::uint32_t stream) {
  const CounterRng rng(seed, stream);
  float* values = image.data();
  tbb::parallel_for(std::int64_t{0}, image.size(), [&](std::int64_t i) {
    values[i] = static_cast<float>(rng.normal(static_cast<std::uint64_t>(i)));
  });
}

}  // namespace tweedie
