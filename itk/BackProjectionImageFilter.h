// Sinogram → image by the exact adjoint of ForwardProjectionImageFilter (no filtering, no units).
#pragma once

#include "itk/CtImageFilter.h"
#include "operators/joseph_projector.h"

namespace tweedie {

/** \class BackProjectionImageFilter
 * \brief The exact adjoint of the Joseph projector: ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ to rounding.
 * \ingroup Tweedie
 */
template <typename TInputImage, typename TOutputImage = TInputImage>
class BackProjectionImageFilter : public CtImageFilter<TInputImage, TOutputImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(BackProjectionImageFilter);
  using Self = BackProjectionImageFilter;
  using Superclass = CtImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);
  itkTypeMacro(BackProjectionImageFilter, CtImageFilter);

 protected:
  BackProjectionImageFilter() = default;
  ~BackProjectionImageFilter() override = default;

  void GenerateOutputInformation() override {
    Superclass::GenerateOutputInformation();
    itk_support::run_as_itk(__FILE__, __LINE__,
                            [&] { set_itk_geometry(this->output_grid(Superclass::Grid::image), this->GetOutput()); });
  }
  void GenerateData() override {
    itk_support::run_as_itk(__FILE__, __LINE__, [&] {
      const Image sinogram = this->requested_input(0);
      require_matching_sinogram(*this->m_Geometry, sinogram);
      itk_support::write_output(JosephProjector(*this->m_Geometry, slices_of(sinogram)).adjoint(sinogram), this->GetOutput());
    });
  }
};

}  // namespace tweedie
