// Deblurring, super-resolution and inpainting as a filter, by restore() (pipelines/restoration.h):
// the same problems, defaults and pixels as `tweedie restore`.
#pragma once

#include "itk/WholeImageFilter.h"
#include "pipelines/restoration.h"

namespace tweedie {

/** \class RestorationImageFilter
 * \brief Image restoration with a learned prior (default PnP-HQS with DPIR's schedule, Zhang et al.
 * 2021, and the bundled natural-gray model averaged over 8 flips and rotations).
 *
 * Input 0: the measured image (0–255 scale); input 1 (SetMask, for Degradation::mask): nonzero
 * where measured. The output is on the clean grid (finer by the factor for decimation).
 * \ingroup Tweedie
 */
template <typename TInputImage, typename TOutputImage = TInputImage>
class RestorationImageFilter : public WholeImageFilter<TInputImage, TOutputImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(RestorationImageFilter);
  using Self = RestorationImageFilter;
  using Superclass = WholeImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);
  itkTypeMacro(RestorationImageFilter, WholeImageFilter);

  void SetMask(const TInputImage* mask) { this->SetNthInput(1, const_cast<TInputImage*>(mask)); }
  /// The forward model; the mask of an inpainting problem comes from SetMask.
  void SetProblem(const RestorationProblem& problem) {
    m_Problem = problem.clone();
    m_Problem.mask.reset();
    this->Modified();
  }
  void SetSolverChoice(const SolverChoice& choice) {
    m_Choice = choice;
    this->Modified();
  }
  const SolverChoice& GetSolverChoice() const { return m_Choice; }
  const SolverSummary& GetSummary() const { return m_Summary; }

 protected:
  RestorationImageFilter() { this->SetNumberOfRequiredInputs(1); }
  ~RestorationImageFilter() override = default;

  void GenerateOutputInformation() override {
    Superclass::GenerateOutputInformation();
    set_itk_geometry(clean_grid(m_Problem, itk_support::geometry_of(this->GetInput())), this->GetOutput());
  }
  void GenerateData() override {
    itk_support::run_as_itk(__FILE__, __LINE__, [&] {
      RestorationProblem problem = m_Problem.clone();
      if (this->GetInput(1)) problem.mask = itk_support::to_tweedie(this->GetInput(1)).clone();
      const Restoration r = restore(problem, itk_support::to_tweedie(this->GetInput()), nullptr, m_Choice);
      m_Summary = r.summary;
      itk_support::write_output(r.image, this->GetOutput());
    });
  }
  void PrintSelf(std::ostream& os, itk::Indent indent) const override {
    Superclass::PrintSelf(os, indent);
    os << indent << "Degradation: " << to_string(m_Problem.degradation) << '\n'
       << indent << "Solver: " << m_Choice.solver << ", prior " << m_Choice.prior << '\n';
  }

  RestorationProblem m_Problem;
  SolverChoice m_Choice = RestorationProblem::default_choice();
  SolverSummary m_Summary;
};

}  // namespace tweedie
