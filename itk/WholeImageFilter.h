// The base of the filters that work on whole images (denoising, restoration, the low-dose
// simulation): every input and every output at its largest region.
#pragma once

#include "itk/FilterSupport.h"

namespace tweedie {

/** \class WholeImageFilter
 * \brief An ImageToImageFilter that requests whole inputs and produces whole outputs.
 * \ingroup Tweedie
 */
template <typename TInputImage, typename TOutputImage>
class WholeImageFilter : public itk::ImageToImageFilter<TInputImage, TOutputImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(WholeImageFilter);
  using Self = WholeImageFilter;
  using Superclass = itk::ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkTypeMacro(WholeImageFilter, ImageToImageFilter);

 protected:
  WholeImageFilter() = default;
  ~WholeImageFilter() override = default;

  void GenerateInputRequestedRegion() override {
    Superclass::GenerateInputRequestedRegion();
    itk_support::request_whole_inputs(this);
  }
  void EnlargeOutputRequestedRegion(itk::DataObject* output) override {
    Superclass::EnlargeOutputRequestedRegion(output);
    output->SetRequestedRegionToLargestPossibleRegion();
  }
};

}  // namespace tweedie
