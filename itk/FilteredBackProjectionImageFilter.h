// Sinogram → image by filtered back-projection (parallel or full-scan fan beam), in HU or mm⁻¹.
#pragma once

#include "itk/CtImageFilter.h"
#include "operators/fbp.h"
#include "operators/joseph_projector.h"

namespace tweedie {

/** \class FilteredBackProjectionImageFilter
 * \brief Filtered back-projection with a ram-lak, shepp-logan, cosine or hann filter, as `tweedie fbp`.
 * \ingroup Tweedie
 */
template <typename TInputImage, typename TOutputImage = TInputImage>
class FilteredBackProjectionImageFilter : public CtImageFilter<TInputImage, TOutputImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(FilteredBackProjectionImageFilter);
  using Self = FilteredBackProjectionImageFilter;
  using Superclass = CtImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);
  itkTypeMacro(FilteredBackProjectionImageFilter, CtImageFilter);

  void SetFilter(FbpFilter value) {
    if (m_Filter == value) return;
    m_Filter = value;
    this->Modified();
  }
  itkGetConstMacro(Filter, FbpFilter);

 protected:
  FilteredBackProjectionImageFilter() = default;
  ~FilteredBackProjectionImageFilter() override = default;

  void GenerateOutputInformation() override {
    Superclass::GenerateOutputInformation();
    itk_support::run_as_itk(__FILE__, __LINE__,
                            [&] { set_itk_geometry(this->output_grid(Superclass::Grid::image), this->GetOutput()); });
  }
  void GenerateData() override {
    itk_support::run_as_itk(__FILE__, __LINE__, [&] {
      const Image sinogram = this->requested_input(0);
      require_matching_sinogram(*this->m_Geometry, sinogram);
      itk_support::write_output(fbp_volume(*this->m_Geometry, sinogram, m_Filter, this->m_Units), this->GetOutput());
    });
  }

  FbpFilter m_Filter = FbpFilter::hann;
};

}  // namespace tweedie
