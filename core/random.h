// Seeded, counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers:
// as easy as 1, 2, 3", SC 2011).
//
// A draw is a pure function of (seed, stream, element index, draw number), so the noise added to
// voxel i is the same whichever thread computes it and however the work is split: simulations
// reproduce bit for bit at any thread count. Use one stream per purpose (noise, probes, masks) so
// that adding a draw in one place never shifts the numbers of another.
//
//   const CounterRng rng(seed, kNoiseStream);
//   tbb::parallel_for(..., [&](auto i) { y[i] = x[i] + sigma * rng.normal(i); });
#pragma once

#include <array>
#include <cstdint>

namespace tweedie {

/// The Philox4x32-10 bijection: 4 counter words and 2 key words to 4 random words.
std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                            std::array<std::uint32_t, 2> key);

class CounterRng {
 public:
  /// The draws of one element: a short sequence, as long as that element needs (e.g. rejection
  /// sampling). Cheap to create; not shared between threads.
  class Sequence {
   public:
    std::uint32_t next_u32();
    std::uint64_t next_u64();
    /// Uniform on the open interval (0, 1), 53 random bits.
    double uniform();
    /// Standard normal (Box–Muller on two uniforms).
    double normal();

   private:
    friend class CounterRng;
    Sequence(std::array<std::uint32_t, 2> key, std::uint32_t stream, std::uint64_t index)
        : key_(key), stream_(stream), index_(index) {}

    std::array<std::uint32_t, 2> key_;
    std::uint32_t stream_;
    std::uint64_t index_;
    std::uint32_t block_ = 0;
    std::array<std::uint32_t, 4> words_{};
    int used_ = 4;
  };

  explicit CounterRng(std::uint64_t seed, std::uint32_t stream = 0);

  /// The draws that belong to element `index`.
  Sequence at(std::uint64_t index) const { return Sequence(key_, stream_, index); }
  /// The first uniform on (0, 1) of element `index`.
  double uniform(std::uint64_t index) const { return at(index).uniform(); }
  /// The first standard normal of element `index`.
  double normal(std::uint64_t index) const { return at(index).normal(); }

 private:
  std::array<std::uint32_t, 2> key_;
  std::uint32_t stream_;
};

}  // namespace tweedie
