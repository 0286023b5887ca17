// Zero-copy conversion between tweedie::Image and itk::Image<float, D>.
//
// Both directions share the pixel buffer: `to_itk` wraps the Image's buffer in an ITK pixel
// container that holds a reference to it, and `from_itk` returns an Image whose buffer keeps the
// ITK image alive. Writing through one is seen by the other. Spacing, origin and direction carry
// over (a 2D image is the z = 0 plane of the 3D frame).
//
// This header includes ITK; only IO and the ITK adapters (itk/) should include it.
#pragma once

#include "core/eigen_before_itk.h"  // first: see there
#include "core/error.h"
#include "core/image.h"

#include <itkImage.h>
#include <itkImportImageContainer.h>

namespace tweedie {

/// ITK pixel container over a buffer owned by shared_ptr: ITK never frees it, the last owner does.
class SharedPixelContainer : public itk::ImportImageContainer<itk::SizeValueType, float> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(SharedPixelContainer);
  using Self = SharedPixelContainer;
  using Superclass = itk::ImportImageContainer<itk::SizeValueType, float>;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self)
  itkTypeMacro(SharedPixelContainer, ImportImageContainer)

  void Share(std::shared_ptr<float[]> buffer, itk::SizeValueType count) {
    owner_ = std::move(buffer);
    SetImportPointer(owner_.get(), count, false);
  }

 protected:
  SharedPixelContainer() = default;
  ~SharedPixelContainer() override = default;

 private:
  std::shared_ptr<float[]> owner_;
};

/// Sets the largest possible region, spacing, origin and direction of any ITK image of 2 or 3
/// dimensions to `g` (its requested and buffered regions are the caller's).
template <typename TImage>
void set_itk_geometry(const ImageGeometry& g, TImage* image) {
  constexpr unsigned int D = TImage::ImageDimension;
  typename TImage::SizeType size;
  typename TImage::SpacingType spacing;
  typename TImage::PointType origin;
  typename TImage::DirectionType direction;
  const std::array<std::int64_t, 3> extent{g.shape.nx, g.shape.ny, g.shape.nz};
  for (unsigned int i = 0; i < D; ++i) {
    size[i] = static_cast<itk::SizeValueType>(extent[i]);
    spacing[i] = g.spacing[i];
    origin[i] = g.origin[i];
    for (unsigned int j = 0; j < D; ++j) direction(i, j) = g.direction[3 * i + j];
  }
  image->SetLargestPossibleRegion(typename TImage::RegionType(size));
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
}

/// An itk::Image<float, D> over the same pixels as `image` (D must match image.shape().dimension).
template <unsigned int D>
typename itk::Image<float, D>::Pointer to_itk(const Image& image) {
  static_assert(D == 2 || D == 3);
  const ImageGeometry& g = image.geometry();
  if (g.shape.dimension != static_cast<int>(D)) {
    throw ShapeError("a " + std::to_string(g.shape.dimension) + "D image cannot become an ITK " +
                     std::to_string(D) + "D image");
  }
  auto result = itk::Image<float, D>::New();
  set_itk_geometry(g, result.GetPointer());
  result->SetBufferedRegion(result->GetLargestPossibleRegion());
  result->SetRequestedRegion(result->GetLargestPossibleRegion());
  auto container = SharedPixelContainer::New();
  container->Share(image.shared_voxels(), static_cast<itk::SizeValueType>(image.size()));
  result->SetPixelContainer(container);
  return result;
}

/// A tweedie::Image over the buffered pixels of `image`, which it keeps alive.
template <unsigned int D>
Image from_itk(const itk::Image<float, D>* image) {
  static_assert(D == 2 || D == 3);
  const auto region = image->GetBufferedRegion();
  ImageGeometry g;
  std::array<std::int64_t, 3> extent{1, 1, 1};
  const auto first = image->template TransformIndexToPhysicalPoint<double>(region.GetIndex());
  for (unsigned int i = 0; i < D; ++i) {
    extent[i] = static_cast<std::int64_t>(region.GetSize()[i]);
    g.spacing[i] = image->GetSpacing()[i];
    g.origin[i] = first[i];
    for (unsigned int j = 0; j < D; ++j) g.direction[3 * i + j] = image->GetDirection()(i, j);
  }
  g.shape = D == 2 ? Shape::image(extent[0], extent[1]) : Shape::volume(extent[0], extent[1], extent[2]);
  typename itk::Image<float, D>::ConstPointer keep_alive = image;
  std::shared_ptr<float[]> voxels(const_cast<float*>(image->GetBufferPointer()),
                                  [keep_alive](float*) {});
  return Image::adopt(g, std::move(voxels));
}

}  // namespace tweedie
