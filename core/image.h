// Image: the one image and volume type of Tweedie.
//
// A contiguous float32 buffer with x fastest (row-major: index = x + nx·(y + ny·z)), a shape of
// nx×ny (2D) or nx×ny×nz (3D), and its place in patient/physical space as ITK defines it: voxel
// spacing in mm, the origin (centre of voxel 0) in mm and a direction matrix. Arithmetic goes
// through cheap Eigen views (`array()`, `slice(k)`).
//
// Images are move-only; `clone()` makes the one explicit deep copy. The buffer is shared-owned so
// that conversion to and from itk::Image (core/itk_bridge.h) needs no copy.
#pragma once

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>

namespace tweedie {

/// Grid size in voxels. A 2D image has dimension 2 and nz == 1; a 3D volume may have nz == 1 too.
struct Shape {
  std::int64_t nx = 0;
  std::int64_t ny = 0;
  std::int64_t nz = 1;
  int dimension = 2;

  static Shape image(std::int64_t nx, std::int64_t ny);
  static Shape volume(std::int64_t nx, std::int64_t ny, std::int64_t nz);

  std::int64_t voxel_count() const { return nx * ny * nz; }
  std::int64_t slice_voxel_count() const { return nx * ny; }
  /// "512×512" or "512×512×20", for messages.
  std::string to_string() const;
  bool operator==(const Shape&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Shape& shape);

/// Where the grid sits in physical space (ITK's convention; unused axes keep their defaults).
struct ImageGeometry {
  Shape shape;
  std::array<double, 3> spacing{1.0, 1.0, 1.0};  ///< mm between voxel centres along x, y, z
  std::array<double, 3> origin{0.0, 0.0, 0.0};   ///< mm, physical position of voxel (0, 0, 0)
  /// Row-major 3×3; column j is the physical direction of index axis j.
  std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};

  bool operator==(const ImageGeometry&) const = default;
};

class Image {
 public:
  using SliceMap = Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
  using ConstSliceMap =
      Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

  /// An empty image (no voxels).
  Image() = default;
  /// Zero-filled voxels on the given grid.
  explicit Image(const ImageGeometry& geometry);
  /// Zero-filled voxels, unit spacing, origin at 0.
  explicit Image(const Shape& shape);
  /// Adopts an existing buffer of geometry.shape.voxel_count() floats without copying.
  static Image adopt(const ImageGeometry& geometry, std::shared_ptr<float[]> voxels);

  Image(Image&&) noexcept = default;
  Image& operator=(Image&&) noexcept = default;
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;

  /// Deep copy: same geometry, own buffer.
  Image clone() const;
  /// Zero-filled image on the same grid.
  Image zeros_like() const { return Image(geometry_); }

  const Shape& shape() const { return geometry_.shape; }
  const ImageGeometry& geometry() const { return geometry_; }
  /// Changes spacing, origin and direction; the shape must stay the same.
  void set_geometry(const ImageGeometry& geometry);
  std::int64_t size() const { return geometry_.shape.voxel_count(); }
  bool empty() const { return size() == 0; }

  float* data() { return voxels_.get(); }
  const float* data() const { return voxels_.get(); }
  std::span<float> values() { return {data(), static_cast<std::size_t>(size())}; }
  std::span<const float> values() const { return {data(), static_cast<std::size_t>(size())}; }
  float& at(std::int64_t x, std::int64_t y, std::int64_t z = 0) { return data()[index(x, y, z)]; }
  float at(std::int64_t x, std::int64_t y, std::int64_t z = 0) const {
    return data()[index(x, y, z)];
  }

  /// First voxel of row y in slice z (nx contiguous values).
  float* row_data(std::int64_t y, std::int64_t z = 0) { return data() + index(0, y, z); }
  const float* row_data(std::int64_t y, std::int64_t z = 0) const { return data() + index(0, y, z); }

  /// Every voxel as one Eigen array (element-wise arithmetic, reductions).
  Eigen::Map<Eigen::ArrayXf> array() { return {data(), size()}; }
  Eigen::Map<const Eigen::ArrayXf> array() const { return {data(), size()}; }
  /// Slice z as an ny×nx row-major matrix (row y, column x).
  SliceMap slice(std::int64_t z);
  ConstSliceMap slice(std::int64_t z) const;

  /// The shared buffer, for zero-copy hand-over to other owners (ITK).
  const std::shared_ptr<float[]>& shared_voxels() const { return voxels_; }

 private:
  std::int64_t index(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return x + geometry_.shape.nx * (y + geometry_.shape.ny * z);
  }

  ImageGeometry geometry_;
  std::shared_ptr<float[]> voxels_;
};

/// Slices first .. first + count - 1 of a volume, as a new volume whose origin is the position of
/// its first slice (a copy; spacing and direction unchanged).
Image extract_slices(const Image& volume, std::int64_t first, std::int64_t count);

/// Throws ShapeError naming `what` and both shapes unless `actual` equals `expected`.
void require_same_shape(const Shape& expected, const Shape& actual, const std::string& what);
/// Throws ParameterError naming `what` and the first bad voxel if any voxel is NaN or infinite.
void require_finite(const Image& image, const std::string& what);
/// "(x, y)" or "(x, y, z)": where the voxel of flat index `index` lies, for messages.
std::string voxel_position(const Shape& shape, std::int64_t index);

}  // namespace tweedie
