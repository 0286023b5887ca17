#include "core/image.h"

#include "core/error.h"

#include <sys/mman.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <sstream>

namespace tweedie {
namespace {

constexpr std::size_t kCacheLine = 64;
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Zero-filled voxels aligned for AVX-512. Buffers of a huge page or more are aligned to it and
// advised to use huge pages: first-touch page faults dominate filling fresh image-sized memory.
std::shared_ptr<float[]> allocate_voxels(std::int64_t count) {
  if (count < 0) throw ShapeError("image size cannot be negative");
  if (count == 0) return {};
  const std::size_t bytes = static_cast<std::size_t>(count) * sizeof(float);
  const std::size_t alignment = bytes >= kHugePage ? kHugePage : kCacheLine;
  const std::size_t rounded = (bytes + alignment - 1) / alignment * alignment;
  void* memory = std::aligned_alloc(alignment, rounded);
  if (memory == nullptr) {
    throw Error("out of memory allocating an image of " + std::to_string(bytes >> 20) + " MiB");
  }
  if (alignment == kHugePage) madvise(memory, rounded, MADV_HUGEPAGE);
  std::memset(memory, 0, bytes);
  return {static_cast<float*>(memory), [](float* p) { std::free(p); }};
}

}  // namespace

Shape Shape::image(std::int64_t nx, std::int64_t ny) { return {nx, ny, 1, 2}; }

Shape Shape::volume(std::int64_t nx, std::int64_t ny, std::int64_t nz) { return {nx, ny, nz, 3}; }

std::string Shape::to_string() const {
  std::ostringstream text;
  text << nx << "×" << ny;
  if (dimension == 3) text << "×" << nz;
  return text.str();
}

std::ostream& operator<<(std::ostream& out, const Shape& shape) { return out << shape.to_string(); }

Image::Image(const ImageGeometry& geometry)
    : geometry_(geometry), voxels_(allocate_voxels(geometry.shape.voxel_count())) {
  const Shape& s = geometry.shape;
  if (s.nx < 0 || s.ny < 0 || s.nz < 1 || (s.dimension != 2 && s.dimension != 3) ||
      (s.dimension == 2 && s.nz != 1)) {
    throw ShapeError("invalid image shape " + s.to_string());
  }
}

Image::Image(const Shape& shape) : Image(ImageGeometry{.shape = shape}) {}

Image Image::adopt(const ImageGeometry& geometry, std::shared_ptr<float[]> voxels) {
  if (!voxels && geometry.shape.voxel_count() > 0) {
    throw Error("cannot adopt an empty buffer for an image of " + geometry.shape.to_string());
  }
  Image image;
  image.geometry_ = geometry;
  image.voxels_ = std::move(voxels);
  return image;
}

Image Image::clone() const {
  Image copy(geometry_);
  if (size() > 0) std::memcpy(copy.data(), data(), static_cast<std::size_t>(size()) * sizeof(float));
  return copy;
}

void Image::set_geometry(const ImageGeometry& geometry) {
  require_same_shape(geometry_.shape, geometry.shape, "new image geometry");
  geometry_ = geometry;
}

Image::SliceMap Image::slice(std::int64_t z) {
  return {data() + z * shape().slice_voxel_count(), shape().ny, shape().nx};
}

Image::ConstSliceMap Image::slice(std::int64_t z) const {
  return {data() + z * shape().slice_voxel_count(), shape().ny, shape().nx};
}

Image extract_slices(const Image& volume, std::int64_t first, std::int64_t count) {
  const Shape& s = volume.shape();
  if (first < 0 || count < 1 || first + count > s.nz) {
    throw ShapeError("slices " + std::to_string(first) + " to " + std::to_string(first + count - 1) +
                     " do not exist in a volume of " + s.to_string() + " (slices 0 to " +
                     std::to_string(s.nz - 1) + ")");
  }
  ImageGeometry g = volume.geometry();
  g.shape.nz = count;
  const double offset = static_cast<double>(first) * g.spacing[2];
  for (int axis = 0; axis < 3; ++axis) g.origin[axis] += offset * g.direction[3 * axis + 2];
  Image slab(g);
  std::memcpy(slab.data(), volume.data() + first * s.slice_voxel_count(),
              static_cast<std::size_t>(slab.size()) * sizeof(float));
  return slab;
}

void require_same_shape(const Shape& expected, const Shape& actual, const std::string& what) {
  if (expected != actual) {
    throw ShapeError(what + " has shape " + actual.to_string() + ", expected " +
                     expected.to_string());
  }
}

void require_finite(const Image& image, const std::string& what) {
  // x − x is 0 for finite x and NaN otherwise; the vectorised sum finds any non-finite voxel fast.
  if (std::isfinite((image.array() - image.array()).sum())) return;
  const std::span<const float> values = image.values();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      std::ostringstream message;
      message << what << " holds a non-finite value (" << values[i] << ") at voxel "
              << voxel_position(image.shape(), static_cast<std::int64_t>(i));
      throw ParameterError(message.str());
    }
  }
}

std::string voxel_position(const Shape& s, std::int64_t index) {
  std::string text = "(" + std::to_string(index % s.nx) + ", " + std::to_string(index / s.nx % s.ny);
  if (s.dimension == 3) text += ", " + std::to_string(index / s.slice_voxel_count());
  return text + ")";
}

}  // namespace tweedie
