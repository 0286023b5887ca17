// Float storage for buffers that are written whole before they are read (layer outputs, Winograd
// scratch): growing a FloatBuffer leaves the new values uninitialised, so a resize neither writes
// the memory nor faults its pages in; the code that fills it does, on the threads that use it.
// Aligned as Eigen wants. Values that must start at zero are set explicitly (assign(n, 0.0f)).
#pragma once

#include <Eigen/Core>

#include <new>
#include <vector>

namespace tweedie {

template <typename T>
class UninitialisedAllocator : public Eigen::aligned_allocator<T> {
 public:
  template <typename U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };

  UninitialisedAllocator() = default;
  template <typename U>
  UninitialisedAllocator(const UninitialisedAllocator<U>&) noexcept {}

  /// Default-initialisation where std::vector would value-initialise: nothing for a float.
  /// Construction with a value (assign(n, 0.0f)) is std::allocator_traits' placement new.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
};

using FloatBuffer = std::vector<float, UninitialisedAllocator<float>>;

}  // namespace tweedie
