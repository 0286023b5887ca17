// Sinogram stack (+ optional statistical weights) → volume by reconstruct_ct
// (pipelines/ct_reconstruction.h): any solver with any prior, or FBP alone, with the defaults of
// `tweedie recon` — the same pixels.
#pragma once

#include "itk/CtImageFilter.h"
#include "operators/joseph_projector.h"
#include "pipelines/ct_reconstruction.h"
#include "pipelines/slice_shares.h"

namespace tweedie {

/** \class ReconstructionImageFilter
 * \brief CT reconstruction with learned priors (plug-and-play, RED, score-based) or FBP.
 *
 * Input 0: the sinogram stack (line integrals, detectors × views [× slices]); input 1 (optional,
 * SetWeights): the statistical weights. Output 0: the volume in the filter's units; output 1
 * (GetSpreadOutput): the samplers' per-pixel posterior standard deviation (zeros for other
 * solvers). Progress per iteration; AbortGenerateData stops after the current iteration. Defaults: PnP-HQS with the
 * bundled ct model (Zhang et al., DPIR, 2021), schedule from the geometry and the dose (docs/ct.md).
 * \ingroup Tweedie
 */
template <typename TInputImage, typename TOutputImage = TInputImage>
class ReconstructionImageFilter : public CtImageFilter<TInputImage, TOutputImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(ReconstructionImageFilter);
  using Self = ReconstructionImageFilter;
  using Superclass = CtImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);
  itkTypeMacro(ReconstructionImageFilter, CtImageFilter);

  void SetWeights(const TInputImage* weights) { this->SetNthInput(1, const_cast<TInputImage*>(weights)); }
  const TInputImage* GetWeights() const { return this->GetInput(1); }
  TOutputImage* GetSpreadOutput() { return this->GetOutput(1); }

  /// The solver, prior and parameters (pipelines/solver_choice.h); "fbp" for FBP alone.
  void SetSolverChoice(const SolverChoice& choice) {
    if (m_Options.solver == choice) return;
    m_Options.solver = choice;
    this->Modified();
  }
  const SolverChoice& GetSolverChoice() const { return m_Options.solver; }
  void SetSolver(const std::string& name) {
    SolverChoice choice = m_Options.solver;
    choice.solver = name;
    SetSolverChoice(choice);
  }
  /// A prior as `--prior` takes it: a bundled model name or file, tv, gaussian, bm3d, "+" for the ensemble.
  void SetPrior(const std::string& prior) {
    SolverChoice choice = m_Options.solver;
    choice.prior = prior;
    SetSolverChoice(choice);
  }
  /// Attenuation units: the attenuation (mm⁻¹) of a material that the HU-trained prior should take
  /// for water (`recon --reference-attenuation`); 0, the default: water's own.
  void SetReferenceAttenuation(double mu) {
    const std::optional<double> value = mu == 0.0 ? std::nullopt : std::optional<double>(mu);
    if (m_Options.reference_attenuation == value) return;
    m_Options.reference_attenuation = value;
    this->Modified();
  }
  double GetReferenceAttenuation() const { return m_Options.reference_attenuation.value_or(0.0); }
  void SetStart(CtStart value) {
    if (m_Start == value) return;
    m_Start = value;
    this->Modified();
  }
  void SetFilter(FbpFilter value) {
    if (m_Filter == value) return;
    m_Filter = value;
    this->Modified();
  }
  /// The report of the last run: iterations, time per slice, parameters (SolverSummary::full_report).
  const SolverSummary& GetSummary() const { return m_Summary; }

 protected:
  ReconstructionImageFilter() {
    this->SetNumberOfRequiredInputs(1);
    this->SetNumberOfRequiredOutputs(2);
    this->SetNthOutput(1, this->MakeOutput(1));
  }
  ~ReconstructionImageFilter() override = default;

  void GenerateOutputInformation() override {
    Superclass::GenerateOutputInformation();
    itk_support::run_as_itk(__FILE__, __LINE__, [&] {
      const ImageGeometry volume = this->output_grid(Superclass::Grid::image);
      for (unsigned k = 0; k < 2; ++k) set_itk_geometry(volume, this->GetOutput(k));
    });
  }
  void GenerateData() override {
    itk_support::run_as_itk(__FILE__, __LINE__, [&] {
      const Image sinogram = this->requested_input(0);
      std::optional<Image> weights;
      if (this->GetWeights()) weights = this->requested_input(1);
      CtReconstructionOptions options = m_Options;
      options.units = this->m_Units;
      options.start = m_Start;
      options.filter = m_Filter;
      options.progress = this->slice_progress();
      SliceShares shares(sinogram.shape().nz);
      options.iteration_progress = [this, &shares, slices = sinogram.shape().nz](std::int64_t slice, int iteration,
                                                                                 int iterations) {
        this->UpdateProgress(static_cast<float>(shares.record(slice, iteration, iterations) / static_cast<double>(slices)));
        return !this->GetAbortGenerateData();
      };
      CtReconstruction r = reconstruct_ct(*this->m_Geometry, sinogram, weights ? &*weights : nullptr, nullptr, options);
      m_Summary = r.summary;
      itk_support::write_output(r.volume, this->GetOutput(0));
      if (!r.spread) r.spread = r.volume.zeros_like();
      itk_support::write_output(*r.spread, this->GetOutput(1));
    });
  }
  void PrintSelf(std::ostream& os, itk::Indent indent) const override {
    Superclass::PrintSelf(os, indent);
    os << indent << "Solver: " << m_Options.solver.solver << ", prior " << m_Options.solver.prior << '\n';
  }

  CtReconstructionOptions m_Options;
  CtStart m_Start = CtStart::fbp;
  FbpFilter m_Filter = FbpFilter::hann;
  SolverSummary m_Summary;
};

}  // namespace tweedie
