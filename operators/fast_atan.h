#pragma once
// Single-precision arctangent without branches, for float and for GCC vector types such as
// __m512 (element-wise), so that loops over it vectorise (std::atan does not). Range reduction
// and polynomial of Cephes' atanf (S. L. Moshier, Cephes Mathematical Library): |error| ≤ 2e-7
// rad over all finite x.

namespace tweedie {

template <class V>
inline V fast_atan(V x) {
  constexpr float kTan3PiOver8 = 2.414213562373095f, kTanPiOver8 = 0.4142135623730950f;
  constexpr float kHalfPi = 1.5707963267948966f, kQuarterPi = 0.7853981633974483f;
  const V zero = x - x;  // zero of x's type
  const V a = x < zero ? -x : x;
  // atan(a) = base + atan(r) with |r| ≤ tan(π/8).
  const V r = a > kTan3PiOver8 ? -1.0f / a : (a > kTanPiOver8 ? (a - 1.0f) / (a + 1.0f) : a);
  const V base = a > kTan3PiOver8 ? zero + kHalfPi : (a > kTanPiOver8 ? zero + kQuarterPi : zero);
  const V z = r * r;
  const V angle = base + ((((8.05374449538e-2f * z - 1.38776856032e-1f) * z + 1.99777106478e-1f) * z -
                           3.33329491539e-1f) * z * r + r);
  return x < zero ? -angle : angle;
}

}  // namespace tweedie

namespace tweedie {

/// arctan(x) for |x| ≤ 1 only, by one odd polynomial of degree 11 fitted for the least largest
/// error: |error| ≤ 2e-6 rad and increasing, without fast_atan's range reduction and divisions.
template <class V>
inline V atan_within_unit(V x) {
  const V z = x * x;
  return x * (0.99997723f + z * (-0.33262289f + z * (0.19354086f + z * (-0.11642773f + z * (0.05264876f + z * -0.0117197f)))));
}

}  // namespace tweedie
