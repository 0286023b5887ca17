// What every Tweedie ITK filter shares: images across the bridge (zero-copy for float pixels, a
// cast copy otherwise), output information from a tweedie::ImageGeometry, the library's errors as
// itk::ExceptionObject, and the base class of the CT filters (a geometry checked against the
// input, image units).
#pragma once

#include "core/itk_bridge.h"
#include "operators/ct_geometry.h"
#include "operators/hounsfield.h"
#include "pipelines/ct_volume.h"

#include <itkImageToImageFilter.h>
#include <itkMacro.h>

#include <optional>
#include <type_traits>

namespace tweedie::itk_support {

/// The pixels of an ITK image as a tweedie::Image: shared for float pixels, copied otherwise.
template <typename TImage>
Image to_tweedie(const TImage* image) {
  constexpr unsigned int D = TImage::ImageDimension;
  if constexpr (std::is_same_v<typename TImage::PixelType, float>) {
    return from_itk<D>(image);
  } else {
    using FloatImage = itk::Image<float, D>;
    auto copy = FloatImage::New();
    copy->CopyInformation(image);
    copy->SetRegions(image->GetBufferedRegion());
    copy->Allocate();
    const auto* source = image->GetBufferPointer();
    float* target = copy->GetBufferPointer();
    const std::size_t count = image->GetBufferedRegion().GetNumberOfPixels();
    for (std::size_t k = 0; k < count; ++k) target[k] = static_cast<float>(source[k]);
    return from_itk<D>(copy.GetPointer());
  }
}

/// The geometry of an ITK image's largest region, as a tweedie geometry (no pixels).
template <typename TImage>
ImageGeometry geometry_of(const TImage* image) {
  constexpr unsigned int D = TImage::ImageDimension;
  const auto region = image->GetLargestPossibleRegion();
  ImageGeometry g;
  std::array<std::int64_t, 3> extent{1, 1, 1};
  for (unsigned int i = 0; i < D; ++i) {
    extent[i] = static_cast<std::int64_t>(region.GetSize()[i]);
    g.spacing[i] = image->GetSpacing()[i];
    g.origin[i] = image->GetOrigin()[i];
    for (unsigned int j = 0; j < D; ++j) g.direction[3 * i + j] = image->GetDirection()(i, j);
  }
  g.shape = D == 2 ? Shape::image(extent[0], extent[1]) : Shape::volume(extent[0], extent[1], extent[2]);
  return g;
}

/// `grid` (a slice grid of the geometry, or a sinogram) with the slice count, spacing and origin
/// along z of `stack`, for 3D images.
inline ImageGeometry with_slices_of(ImageGeometry grid, const ImageGeometry& stack) {
  if (stack.shape.dimension == 3) {
    grid.shape = Shape::volume(grid.shape.nx, grid.shape.ny, stack.shape.nz);
    grid.spacing[2] = stack.spacing[2];
    grid.origin[2] = stack.origin[2];
  }
  return grid;
}

/// Whole images for a filter that cannot stream: every input's largest region is requested.
template <typename TFilter>
void request_whole_inputs(TFilter* filter) {
  for (itk::ProcessObject::DataObjectPointerArraySizeType k = 0; k < filter->GetNumberOfIndexedInputs(); ++k) {
    if (itk::DataObject* input = filter->GetInputs()[k]) input->SetRequestedRegionToLargestPossibleRegion();
  }
}

/// Allocates the output and copies `result` into it (casting to the output's pixel type).
template <typename TImage>
void write_output(const Image& result, TImage* output) {
  output->SetBufferedRegion(output->GetRequestedRegion());
  output->Allocate();
  auto* target = output->GetBufferPointer();
  const std::size_t count = output->GetBufferedRegion().GetNumberOfPixels();
  if (count != static_cast<std::size_t>(result.size())) {
    throw ShapeError("the result has " + std::to_string(result.size()) + " pixels, the requested region " +
                     std::to_string(count));
  }
  for (std::size_t k = 0; k < count; ++k) target[k] = static_cast<typename TImage::PixelType>(result.data()[k]);
}

/// Runs `work`, turning the library's errors into itk::ExceptionObject with the same message, and a
/// stop asked through AbortGenerateData into itk::ProcessAborted.
template <typename Work>
void run_as_itk(const char* file, unsigned int line, Work&& work) {
  try {
    work();
  } catch (const OperationStopped&) {
    throw itk::ProcessAborted(file, line);
  } catch (const Error& error) {
    throw itk::ExceptionObject(file, line, error.what(), "Tweedie");
  }
}

}  // namespace tweedie::itk_support
