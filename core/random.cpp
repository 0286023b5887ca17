#include "core/random.h"

#include <cmath>
#include <numbers>

namespace tweedie {
namespace {

constexpr std::uint32_t kMultiplier0 = 0xD2511F53;
constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9;  // golden ratio
constexpr std::uint32_t kWeyl1 = 0xBB67AE85;  // sqrt(3) - 1

}  // namespace

std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                            std::array<std::uint32_t, 2> key) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key[0] += kWeyl0;
      key[1] += kWeyl1;
    }
    const std::uint64_t product0 = std::uint64_t{kMultiplier0} * counter[0];
    const std::uint64_t product1 = std::uint64_t{kMultiplier1} * counter[2];
    counter = {static_cast<std::uint32_t>(product1 >> 32) ^ counter[1] ^ key[0],
               static_cast<std::uint32_t>(product1),
               static_cast<std::uint32_t>(product0 >> 32) ^ counter[3] ^ key[1],
               static_cast<std::uint32_t>(product0)};
  }
  return counter;
}

CounterRng::CounterRng(std::uint64_t seed, std::uint32_t stream)
    : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
      stream_(stream) {}

std::uint32_t CounterRng::Sequence::next_u32() {
  if (used_ == 4) {
    words_ = philox4x32_10({block_++, stream_, static_cast<std::uint32_t>(index_),
                            static_cast<std::uint32_t>(index_ >> 32)},
                           key_);
    used_ = 0;
  }
  return words_[used_++];
}

std::uint64_t CounterRng::Sequence::next_u64() {
  const std::uint64_t high = next_u32();
  return high << 32 | next_u32();
}

double CounterRng::Sequence::uniform() {
  // 53 bits, shifted by half a step so that neither 0 nor 1 can occur.
  return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53;
}

double CounterRng::Sequence::normal() {
  const double radius = std::sqrt(-2.0 * std::log(uniform()));
  return radius * std::cos(2.0 * std::numbers::pi * uniform());
}

}  // namespace tweedie
