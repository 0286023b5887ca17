// The base of Tweedie's CT filters: a CT geometry (set as an object or read from a geometry file)
// that is checked against the input with the same refusal as the command line, image units (HU by
// default), streaming by slices (a requested range of slices along z asks the input for the same
// slices, whole in x and y: an itk::StreamingImageFilter over z gives the bits of the whole
// volume), and progress events with AbortGenerateData honoured between slices.
#pragma once

#include "itk/FilterSupport.h"
#include "operators/joseph_projector.h"

namespace tweedie {

/** \class CtImageFilter
 * \brief Base of the CT filters: geometry, units, whole-image requests, slice progress.
 * \ingroup Tweedie
 */
template <typename TInputImage, typename TOutputImage>
class CtImageFilter : public itk::ImageToImageFilter<TInputImage, TOutputImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(CtImageFilter);
  using Self = CtImageFilter;
  using Superclass = itk::ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkTypeMacro(CtImageFilter, ImageToImageFilter);
  static_assert(TInputImage::ImageDimension == 2 || TInputImage::ImageDimension == 3);
  static_assert(TInputImage::ImageDimension == TOutputImage::ImageDimension);

  /// The scan geometry (docs/ct.md).
  void SetGeometry(const CtGeometry& geometry) {
    m_Geometry = geometry;
    this->Modified();
  }
  /// Reads the geometry from a geometry file (`tweedie geometry`); throws itk::ExceptionObject.
  void SetGeometryFileName(const std::string& path) {
    itk_support::run_as_itk(__FILE__, __LINE__, [&] { SetGeometry(read_geometry(path)); });
  }
  const CtGeometry& GetGeometry() const { return *m_Geometry; }
  /// Units of images (not sinograms): HU (the default) or attenuation in mm⁻¹.
  void SetUnits(ImageUnits value) {
    if (m_Units == value) return;
    m_Units = value;
    this->Modified();
  }
  itkGetConstMacro(Units, ImageUnits);

 protected:
  CtImageFilter() = default;
  ~CtImageFilter() override = default;

  void VerifyPreconditions() ITKv5_CONST override {
    Superclass::VerifyPreconditions();
    if (!m_Geometry) itkExceptionMacro("no CT geometry: call SetGeometry or SetGeometryFileName");
  }
  static constexpr unsigned int kDimension = TInputImage::ImageDimension;

  /// The slices of the output's requested region, whole in x and y (a slice needs all its views, a
  /// view all its slice): input and output slices correspond one to one.
  void GenerateInputRequestedRegion() override {
    Superclass::GenerateInputRequestedRegion();
    const auto requested = this->GetOutput()->GetRequestedRegion();
    for (itk::ProcessObject::DataObjectPointerArraySizeType k = 0; k < this->GetNumberOfIndexedInputs(); ++k) {
      auto* input = const_cast<TInputImage*>(this->GetInput(k));
      if (!input) continue;
      auto region = input->GetLargestPossibleRegion();
      if constexpr (kDimension == 3) {
        region.SetIndex(2, requested.GetIndex(2));
        region.SetSize(2, requested.GetSize(2));
      }
      input->SetRequestedRegion(region);
    }
  }
  void EnlargeOutputRequestedRegion(itk::DataObject* output) override {
    Superclass::EnlargeOutputRequestedRegion(output);
    auto* image = static_cast<TOutputImage*>(output);
    auto region = image->GetLargestPossibleRegion();
    if constexpr (kDimension == 3) {
      region.SetIndex(2, image->GetRequestedRegion().GetIndex(2));
      region.SetSize(2, image->GetRequestedRegion().GetSize(2));
    }
    image->SetRequestedRegion(region);
  }
  enum class Grid { image, sinogram };
  /// The geometry's image or sinogram grid with the slices (count, spacing, position) of input 0.
  ImageGeometry output_grid(Grid grid) const {
    const JosephProjector projector(*m_Geometry);
    return itk_support::with_slices_of(grid == Grid::image ? projector.domain() : projector.range(),
                                       itk_support::geometry_of(this->GetInput()));
  }
  /// The requested slices of input k as a tweedie image (the input may hold more).
  Image requested_input(unsigned int k) const {
    const TInputImage* input = this->GetInput(k);
    Image buffered = itk_support::to_tweedie(input);
    if constexpr (kDimension == 3) {
      const auto have = input->GetBufferedRegion(), want = input->GetRequestedRegion();
      if (have.GetSize(2) != want.GetSize(2)) {
        return extract_slices(buffered, want.GetIndex(2) - have.GetIndex(2), static_cast<std::int64_t>(want.GetSize(2)));
      }
    }
    return buffered;
  }
  /// Progress for the library's slice loops: ITK progress events, and a stop when aborted.
  SliceProgress slice_progress() {
    return [this](std::int64_t done, std::int64_t total) {
      this->UpdateProgress(static_cast<float>(done) / static_cast<float>(total));
      return !this->GetAbortGenerateData();
    };
  }
  void PrintSelf(std::ostream& os, itk::Indent indent) const override {
    Superclass::PrintSelf(os, indent);
    os << indent << "Geometry: " << (m_Geometry ? std::to_string(m_Geometry->views()) + " views" : "(none)") << '\n';
    os << indent << "Units: " << (m_Units == ImageUnits::hounsfield ? "HU" : "mm^-1") << '\n';
  }

  std::optional<CtGeometry> m_Geometry;
  ImageUnits m_Units = ImageUnits::hounsfield;
};

}  // namespace tweedie
