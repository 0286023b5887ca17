// The base of Tweedie's CT filters: a CT geometry (set as an object or read from a geometry file)
// that is checked against the input with the same refusal as the command line, image units (HU by
// default), whole-image requests (the filters work on every slice of their input), and progress
// events with AbortGenerateData honoured between slices.
#pragma once

#include "itk/FilterSupport.h"

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
  /// Every input whole: a slice needs all its views, a view all its slice.
  void GenerateInputRequestedRegion() override {
    Superclass::GenerateInputRequestedRegion();
    for (itk::ProcessObject::DataObjectPointerArraySizeType k = 0; k < this->GetNumberOfIndexedInputs(); ++k) {
      if (auto* input = const_cast<TInputImage*>(this->GetInput(k))) input->SetRequestedRegionToLargestPossibleRegion();
    }
  }
  void EnlargeOutputRequestedRegion(itk::DataObject* output) override {
    Superclass::EnlargeOutputRequestedRegion(output);
    output->SetRequestedRegionToLargestPossibleRegion();
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
