// Image (HU or mm⁻¹) → sinogram of line integrals by the Joseph projector, slice by slice; the exact
// adjoint is BackProjectionImageFilter.
#pragma once

#include "itk/CtImageFilter.h"
#include "operators/joseph_projector.h"

namespace tweedie {

/** \class ForwardProjectionImageFilter
 * \brief Joseph forward projection (Joseph 1982) of an image or volume onto a CT geometry.
 *
 * Output: detectors × views [× slices], in line-integral units (mm·mm⁻¹), as `tweedie project`.
 * \ingroup Tweedie
 */
template <typename TInputImage, typename TOutputImage = TInputImage>
class ForwardProjectionImageFilter : public CtImageFilter<TInputImage, TOutputImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(ForwardProjectionImageFilter);
  using Self = ForwardProjectionImageFilter;
  using Superclass = CtImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);
  itkTypeMacro(ForwardProjectionImageFilter, CtImageFilter);

 protected:
  ForwardProjectionImageFilter() = default;
  ~ForwardProjectionImageFilter() override = default;

  void GenerateOutputInformation() override {
    Superclass::GenerateOutputInformation();
    itk_support::run_as_itk(__FILE__, __LINE__,
                            [&] { set_itk_geometry(this->output_grid(Superclass::Grid::sinogram), this->GetOutput()); });
  }
  void GenerateData() override {
    itk_support::run_as_itk(__FILE__, __LINE__, [&] {
      Image image = this->requested_input(0).clone();
      require_matching_image(*this->m_Geometry, image);
      require_finite(image, "the input image");
      if (this->m_Units == ImageUnits::hounsfield) hounsfield_to_attenuation(image);
      itk_support::write_output(project_volume(*this->m_Geometry, image, this->slice_progress()), this->GetOutput());
    });
  }
};

}  // namespace tweedie
