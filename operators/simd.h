#pragma once
// The SIMD layer of the Joseph projector and FBP back-projection: a vector of floats and one of
// 32-bit indices, 16 lanes with AVX-512 and 8 with AVX2 + FMA, so that the kernels are written
// once for both. The vector types are GCC's: +, −, ×, ÷ work element-wise, scalars broadcast.
// Without either instruction set TWEEDIE_SIMD stays undefined and callers take their scalar paths.
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#define TWEEDIE_SIMD 1
#include <immintrin.h>

#include <cstdint>

namespace tweedie::simd {

#if defined(__AVX512F__)
constexpr int kLanes = 16;
using Floats = __m512;
using Ints = __m512i;

inline Floats splat(float x) { return _mm512_set1_ps(x); }
inline Ints splat(std::int32_t x) { return _mm512_set1_epi32(x); }
inline Floats load(const float* p) { return _mm512_loadu_ps(p); }
inline void store(float* p, Floats x) { _mm512_storeu_ps(p, x); }
/// Stores the first `count` lanes only.
inline void store_first(float* p, Floats x, std::int64_t count) {
  _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << count) - 1u), x);
}
inline Floats floor(Floats x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
inline Ints truncate(Floats x) { return _mm512_cvttps_epi32(x); }
inline Floats fmadd(Floats a, Floats b, Floats c) { return _mm512_fmadd_ps(a, b, c); }
inline Floats abs(Floats x) { return _mm512_abs_ps(x); }
inline Floats max(Floats a, Floats b) { return _mm512_max_ps(a, b); }
inline Floats min(Floats a, Floats b) { return _mm512_min_ps(a, b); }
inline Ints add(Ints a, Ints b) { return _mm512_add_epi32(a, b); }
inline Ints subtract(Ints a, Ints b) { return _mm512_sub_epi32(a, b); }
inline Ints min(Ints a, Ints b) { return _mm512_min_epi32(a, b); }
inline Ints max(Ints a, Ints b) { return _mm512_max_epi32(a, b); }
inline Ints load(const std::int32_t* p) { return _mm512_loadu_si512(p); }
inline void store(std::int32_t* p, Ints x) { _mm512_storeu_si512(p, x); }
/// x where a ≤ b, else 0.
inline Floats gather(const float* base, Ints index) { return _mm512_i32gather_ps(index, base, 4); }
inline std::int32_t largest(Ints m) { return _mm512_reduce_max_epi32(m); }
inline bool all_at_most(Floats x, float bound) { return _mm512_cmp_ps_mask(x, splat(bound), _CMP_LE_OQ) == 0xffff; }
inline std::int32_t first_lane(Ints m) { return _mm_cvtsi128_si32(_mm512_castsi512_si128(m)); }
inline std::int32_t last_lane(Ints m) { return _mm_extract_epi32(_mm512_extracti32x4_epi32(m, 3), 3); }
/// 0, 1, …, kLanes − 1.
inline Floats lane_numbers() { return _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); }

// line[first .. first + 2·kLanes − 1] in two registers; lanes pick from it by index with one
// permute, several times cheaper than a gather.
class Window {
 public:
  Window(const float* line, std::int32_t first)
      : low_(_mm512_loadu_ps(line + first)), high_(_mm512_loadu_ps(line + first + kLanes)), first_(splat(first)) {}
  static bool covers(std::int32_t first, std::int32_t last) { return last - first < 2 * kLanes; }
  /// line[m] for each lane; every m must lie in the window.
  Floats at(Ints m) const { return at_offset(_mm512_sub_epi32(m, first_)); }
  /// line[first + offset] for each lane, offset in [0, 2·kLanes).
  Floats at_offset(Ints offset) const { return _mm512_permutex2var_ps(low_, offset, high_); }

 private:
  Floats low_, high_;
  Ints first_;
};
#else
constexpr int kLanes = 8;
using Floats = __m256;
using Ints = __m256i;

inline Floats splat(float x) { return _mm256_set1_ps(x); }
inline Ints splat(std::int32_t x) { return _mm256_set1_epi32(x); }
inline Floats load(const float* p) { return _mm256_loadu_ps(p); }
inline void store(float* p, Floats x) { _mm256_storeu_ps(p, x); }
/// Stores the first `count` lanes only.
inline void store_first(float* p, Floats x, std::int64_t count) {
  const Ints lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  _mm256_maskstore_ps(p, _mm256_cmpgt_epi32(splat(static_cast<std::int32_t>(count)), lanes), x);
}
inline Floats floor(Floats x) { return _mm256_floor_ps(x); }
inline Ints truncate(Floats x) { return _mm256_cvttps_epi32(x); }
inline Floats fmadd(Floats a, Floats b, Floats c) { return _mm256_fmadd_ps(a, b, c); }
inline Floats abs(Floats x) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x); }
inline Floats max(Floats a, Floats b) { return _mm256_max_ps(a, b); }
inline Floats min(Floats a, Floats b) { return _mm256_min_ps(a, b); }
inline Ints add(Ints a, Ints b) { return _mm256_add_epi32(a, b); }
inline Ints subtract(Ints a, Ints b) { return _mm256_sub_epi32(a, b); }
inline Ints min(Ints a, Ints b) { return _mm256_min_epi32(a, b); }
inline Ints max(Ints a, Ints b) { return _mm256_max_epi32(a, b); }
inline Ints load(const std::int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline void store(std::int32_t* p, Ints x) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), x); }
/// x where a ≤ b, else 0.
inline Floats gather(const float* base, Ints index) { return _mm256_i32gather_ps(base, index, 4); }
inline std::int32_t largest(Ints m) {
  __m128i x = _mm_max_epi32(_mm256_castsi256_si128(m), _mm256_extracti128_si256(m, 1));
  x = _mm_max_epi32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(1, 0, 3, 2)));
  x = _mm_max_epi32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(x);
}
inline bool all_at_most(Floats x, float bound) {
  return _mm256_movemask_ps(_mm256_cmp_ps(x, splat(bound), _CMP_LE_OQ)) == 0xff;
}
inline std::int32_t first_lane(Ints m) { return _mm256_extract_epi32(m, 0); }
inline std::int32_t last_lane(Ints m) { return _mm256_extract_epi32(m, 7); }
/// 0, 1, …, kLanes − 1.
inline Floats lane_numbers() { return _mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7); }

// line[first .. first + 2·kLanes − 1] in two registers; lanes pick from it by index with two
// in-register permutes and a blend, several times cheaper than a gather.
class Window {
 public:
  Window(const float* line, std::int32_t first)
      : low_(_mm256_loadu_ps(line + first)), high_(_mm256_loadu_ps(line + first + kLanes)), first_(splat(first)) {}
  static bool covers(std::int32_t first, std::int32_t last) { return last - first < 2 * kLanes; }
  /// line[m] for each lane; every m must lie in the window.
  Floats at(Ints m) const { return at_offset(_mm256_sub_epi32(m, first_)); }
  /// line[first + offset] for each lane, offset in [0, 2·kLanes).
  Floats at_offset(Ints offset) const {  // permutevar8x32 reads the offset's low 3 bits
    const Floats from_high = _mm256_castsi256_ps(_mm256_cmpgt_epi32(offset, splat(kLanes - 1)));
    return _mm256_blendv_ps(_mm256_permutevar8x32_ps(low_, offset), _mm256_permutevar8x32_ps(high_, offset), from_high);
  }

 private:
  Floats low_, high_;
  Ints first_;
};
#endif

// Readable floats a line needs after the smallest index a Window starts at.
constexpr std::int64_t kWindowOverrun = 2 * kLanes;

// line[m] + f·(line[m + 1] − line[m]) for every lane, where `first` and `last` are the smallest and
// largest m: from one window when they are close, else by gathers.
inline Floats interpolate(const float* line, Ints m, Floats f, std::int32_t first, std::int32_t last) {
  const Ints next = add(m, splat(1));
  Floats left, right;
  if (Window::covers(first, last + 1)) {
    const Window window(line, first);
    left = window.at(m);
    right = window.at(next);
  } else {
    left = gather(line, m);
    right = gather(line, next);
  }
  return fmadd(f, right - left, left);
}

}  // namespace tweedie::simd
#endif
