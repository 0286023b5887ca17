// Gaussian denoising of an image or volume by any prior of pipelines/prior_spec.h, at a given σ or
// at the level SURE chooses without a clean reference (Ramani, Blu & Unser 2008).
#pragma once

#include "itk/WholeImageFilter.h"
#include "pipelines/prior_spec.h"
#include "pipelines/prior_level_choice.h"

namespace tweedie {

/** \class DenoiseImageFilter
 * \brief A denoiser as a filter: bundled model, model file, tv, gaussian, bm3d, ensembles and blends.
 *
 * σ is in the image's units (0–255 for 8-bit pictures, HU for CT). With SetChooseSigmaBySure(true)
 * the level is the one with the least Monte-Carlo SURE for the noise level σ_n (SetNoiseSigma; 0:
 * estimated from the image), as `tweedie denoise --sigma sure`.
 * \ingroup Tweedie
 */
template <typename TInputImage, typename TOutputImage = TInputImage>
class DenoiseImageFilter : public WholeImageFilter<TInputImage, TOutputImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(DenoiseImageFilter);
  using Self = DenoiseImageFilter;
  using Superclass = WholeImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);
  itkTypeMacro(DenoiseImageFilter, WholeImageFilter);

  itkSetStringMacro(Prior);
  itkGetStringMacro(Prior);
  itkSetMacro(Sigma, double);
  itkGetConstMacro(Sigma, double);
  itkSetMacro(ChooseSigmaBySure, bool);
  itkGetConstMacro(ChooseSigmaBySure, bool);
  itkBooleanMacro(ChooseSigmaBySure);
  itkSetMacro(NoiseSigma, double);
  itkGetConstMacro(NoiseSigma, double);
  /// The σ used by the last run (the chosen one with SURE).
  itkGetConstMacro(UsedSigma, double);

 protected:
  DenoiseImageFilter() = default;
  ~DenoiseImageFilter() override = default;

  void VerifyPreconditions() ITKv5_CONST override {
    Superclass::VerifyPreconditions();
    if (m_Prior.empty()) itkExceptionMacro("no prior: SetPrior(\"natural-gray\"), a model file, tv, gaussian or bm3d");
    if (!m_ChooseSigmaBySure && !(m_Sigma > 0)) itkExceptionMacro("σ must be positive, got " << m_Sigma);
  }
  void GenerateData() override {
    itk_support::run_as_itk(__FILE__, __LINE__, [&] {
      const Image noisy = itk_support::to_tweedie(this->GetInput());
      require_finite(noisy, "the input image");
      std::unique_ptr<Denoiser> denoiser = make_prior(m_Prior);
      m_UsedSigma = m_Sigma;
      if (m_ChooseSigmaBySure) {
        const std::optional<double> noise = m_NoiseSigma > 0 ? std::optional<double>(m_NoiseSigma) : std::nullopt;
        m_UsedSigma = choose_denoising_level(*denoiser, noisy, noise).choice.sigma;
      }
      itk_support::write_output(denoiser->denoise(noisy, m_UsedSigma), this->GetOutput());
    });
  }
  void PrintSelf(std::ostream& os, itk::Indent indent) const override {
    Superclass::PrintSelf(os, indent);
    os << indent << "Prior: " << m_Prior << '\n' << indent << "Sigma: " << m_Sigma << (m_ChooseSigmaBySure ? " (SURE)" : "") << '\n';
  }

  std::string m_Prior = "natural-gray";
  double m_Sigma = 0.0;
  bool m_ChooseSigmaBySure = false;
  double m_NoiseSigma = 0.0;
  double m_UsedSigma = 0.0;
};

}  // namespace tweedie
