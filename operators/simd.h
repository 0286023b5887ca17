#pragma once
// AVX-512 helpers shared by the Joseph projector and FBP back-projection: 16 lanes reading a
// contiguous line of floats at nearby indices, as neighbouring rays or pixels do.
#if defined(__AVX512F__)
#include <immintrin.h>

#include <cstdint>

namespace tweedie::simd {

// Readable floats a line needs after the smallest index a Window32 starts at.
constexpr std::int64_t kWindowOverrun = 32;

// line[first .. first + 31] in two registers; lanes pick from it by index with one permute each,
// which is several times cheaper than a 16-lane gather.
class Window32 {
 public:
  Window32(const float* line, std::int32_t first)
      : low_(_mm512_loadu_ps(line + first)), high_(_mm512_loadu_ps(line + first + 16)),
        first_(_mm512_set1_epi32(first)) {}
  static bool covers(std::int32_t first, std::int32_t last) { return last - first <= 31; }
  // line[m] for each lane; every m must lie in [first, first + 31].
  __m512 at(__m512i m) const { return _mm512_permutex2var_ps(low_, _mm512_sub_epi32(m, first_), high_); }

 private:
  __m512 low_, high_;
  __m512i first_;
};

// The first and last lane of a vector of indices (its smallest and largest when they are monotone).
inline std::int32_t first_lane(__m512i m) { return _mm_cvtsi128_si32(_mm512_castsi512_si128(m)); }
inline std::int32_t last_lane(__m512i m) { return _mm_extract_epi32(_mm512_extracti32x4_epi32(m, 3), 3); }

// line[m] + f·(line[m + 1] − line[m]) for 16 lanes, where `first` and `last` are the smallest and
// largest m: from one window when they are close, else by gathers.
inline __m512 interpolate16(const float* line, __m512i m, __m512 f, std::int32_t first, std::int32_t last) {
  const __m512i next = _mm512_add_epi32(m, _mm512_set1_epi32(1));
  __m512 left, right;
  if (Window32::covers(first, last + 1)) {
    const Window32 window(line, first);
    left = window.at(m);
    right = window.at(next);
  } else {
    left = _mm512_i32gather_ps(m, line, 4);
    right = _mm512_i32gather_ps(next, line, 4);
  }
  return _mm512_fmadd_ps(f, _mm512_sub_ps(right, left), left);
}

}  // namespace tweedie::simd
#endif
