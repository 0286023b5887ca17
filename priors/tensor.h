// A batch of multi-channel images for the CNN engine, stored NHWC (channels fastest), float.
//
//   Tensor t({.batch = 64, .height = 40, .width = 40, .channels = 1});
//   t.at(n, y, x, c) = 1.0f;
#pragma once

#include "priors/float_buffer.h"

#include <cstdint>
#include <ostream>
#include <span>
#include <vector>

namespace tweedie {

struct TensorShape {
  std::int64_t batch = 0, height = 0, width = 0, channels = 0;

  std::int64_t pixels() const { return batch * height * width; }
  std::int64_t count() const { return pixels() * channels; }
  bool operator==(const TensorShape&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const TensorShape& s) {
  return out << s.batch << "×" << s.height << "×" << s.width << "×" << s.channels;
}

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(const TensorShape& shape) { resize(shape); }

  /// Sets the shape; values are zero. Keeps the allocation when it is large enough.
  void resize(const TensorShape& shape) {
    shape_ = shape;
    values_.assign(static_cast<std::size_t>(shape.count()), 0.0f);
  }
  /// Sets the shape, leaving the values unspecified: for outputs that are about to be overwritten
  /// whole (nothing is written, even when the tensor grows).
  void resize_for_overwrite(const TensorShape& shape) {
    shape_ = shape;
    values_.resize(static_cast<std::size_t>(shape.count()));
  }

  const TensorShape& shape() const { return shape_; }
  std::int64_t size() const { return shape_.count(); }
  float* data() { return values_.data(); }
  const float* data() const { return values_.data(); }
  std::span<float> values() { return values_; }
  std::span<const float> values() const { return values_; }
  float& at(std::int64_t n, std::int64_t y, std::int64_t x, std::int64_t c) { return values_[index(n, y, x, c)]; }
  float at(std::int64_t n, std::int64_t y, std::int64_t x, std::int64_t c) const { return values_[index(n, y, x, c)]; }
  /// The channels of one pixel; a row's pixels follow each other.
  float* pixel(std::int64_t n, std::int64_t y, std::int64_t x) { return values_.data() + index(n, y, x, 0); }
  const float* pixel(std::int64_t n, std::int64_t y, std::int64_t x) const { return values_.data() + index(n, y, x, 0); }

 private:
  std::size_t index(std::int64_t n, std::int64_t y, std::int64_t x, std::int64_t c) const {
    return static_cast<std::size_t>(((n * shape_.height + y) * shape_.width + x) * shape_.channels + c);
  }

  TensorShape shape_;
  FloatBuffer values_;
};

}  // namespace tweedie
