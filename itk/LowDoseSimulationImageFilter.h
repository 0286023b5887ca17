// Noiseless line integrals → a low-dose scan: Poisson counts of I0·exp(−p) (+ electronic noise),
// back to line integrals, with the statistical weights as a second output.
#pragma once

#include "itk/WholeImageFilter.h"
#include "operators/low_dose.h"

namespace tweedie {

/** \class LowDoseSimulationImageFilter
 * \brief A low-dose CT scan of noiseless line integrals, as `tweedie simulate --dose`.
 *
 * Output 0: the noisy line integrals; output 1 (GetWeightsOutput): the statistical weights (≈ the
 * detected counts), for ReconstructionImageFilter's weights input. Same seed, same scan: whole
 * images, as each bin's noise is drawn by its index in the whole sinogram.
 * \ingroup Tweedie
 */
template <typename TImage>
class LowDoseSimulationImageFilter : public WholeImageFilter<TImage, TImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(LowDoseSimulationImageFilter);
  using Self = LowDoseSimulationImageFilter;
  using Superclass = WholeImageFilter<TImage, TImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);
  itkTypeMacro(LowDoseSimulationImageFilter, WholeImageFilter);

  /// I0: incident photons per detector bin and view.
  itkSetMacro(IncidentPhotons, double);
  itkGetConstMacro(IncidentPhotons, double);
  /// Standard deviation of the electronic noise, in counts.
  itkSetMacro(ElectronicNoise, double);
  itkGetConstMacro(ElectronicNoise, double);
  itkSetMacro(Seed, std::uint64_t);
  itkGetConstMacro(Seed, std::uint64_t);
  TImage* GetWeightsOutput() { return this->GetOutput(1); }

 protected:
  LowDoseSimulationImageFilter() {
    this->SetNumberOfRequiredOutputs(2);
    this->SetNthOutput(1, this->MakeOutput(1));
  }
  ~LowDoseSimulationImageFilter() override = default;

  void VerifyPreconditions() ITKv5_CONST override {
    Superclass::VerifyPreconditions();
    if (!(m_IncidentPhotons > 0)) itkExceptionMacro("the incident photons I0 must be positive, got " << m_IncidentPhotons);
    if (!(m_ElectronicNoise >= 0)) itkExceptionMacro("the electronic noise must be at least 0, got " << m_ElectronicNoise);
  }
  void GenerateData() override {
    itk_support::run_as_itk(__FILE__, __LINE__, [&] {
      const Image line_integrals = itk_support::to_tweedie(this->GetInput());
      require_finite(line_integrals, "the line integrals");
      const LowDoseSinogram scan = simulate_low_dose(
          line_integrals, {.incident_photons = m_IncidentPhotons, .electronic_noise_counts = m_ElectronicNoise, .seed = m_Seed});
      itk_support::write_output(scan.line_integrals, this->GetOutput(0));
      itk_support::write_output(scan.weights, this->GetOutput(1));
    });
  }
  void PrintSelf(std::ostream& os, itk::Indent indent) const override {
    Superclass::PrintSelf(os, indent);
    os << indent << "IncidentPhotons: " << m_IncidentPhotons << '\n'
       << indent << "ElectronicNoise: " << m_ElectronicNoise << '\n'
       << indent << "Seed: " << m_Seed << '\n';
  }

  double m_IncidentPhotons = 1e4;
  double m_ElectronicNoise = 0.0;
  std::uint64_t m_Seed = 0;
};

}  // namespace tweedie
