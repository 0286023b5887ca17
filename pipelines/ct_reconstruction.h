// CT reconstruction of a sinogram stack, as `tweedie recon`, the ITK filters and studies run it:
// each slice from an FBP start (or zero) by any solver of solvers/solver_registry.h with any prior,
// or by FBP alone; defaults from the geometry and the dose (pipelines/ct_defaults.h).
//
// Solvers work in attenuation (mm⁻¹); a reference and the result are in `units` (HU by default),
// and the prior levels of a SolverChoice are always in HU.
//
//   CtReconstructionOptions options;               // PnP-HQS with the bundled ct model
//   CtReconstruction r = reconstruct_ct(geometry, sinogram, &weights, nullptr, options);
//   std::cout << r.summary.full_report();
#pragma once

#include "operators/fbp.h"
#include "operators/hounsfield.h"
#include "pipelines/ct_volume.h"
#include "pipelines/prior_level_choice.h"
#include "pipelines/slice_distribution.h"
#include "pipelines/solver_choice.h"
#include "solvers/solver_summary.h"

#include <optional>
#include <string>
#include <vector>

namespace tweedie {

/// The method name of FBP alone, besides the solvers' names.
inline constexpr const char* kFbpMethod = "fbp";

enum class CtStart { fbp, zero };

/// "fbp" or "zero"; throws ParameterError otherwise.
CtStart parse_ct_start(const std::string& name);

struct CtReconstructionOptions {
  SolverChoice solver = default_choice();  ///< solver "fbp": the FBP start is the result
  ImageUnits units = ImageUnits::hounsfield;  ///< of the reference and the result
  FbpFilter filter = FbpFilter::hann;          ///< of the FBP start
  CtStart start = CtStart::fbp;
  /// Units attenuation, solvers with a prior: the attenuation (mm⁻¹) of the material the
  /// HU-trained prior should take for water (none: water's, 0.0193 mm⁻¹).
  std::optional<double> reference_attenuation;
  /// After each slice, or each group of slices solved side by side (see
  /// JosephProjector::slices_sharing_work), with the count done (of this process's, when distributed).
  SliceProgress progress;
  /// Slices spread over processes (MPI): this one reconstructs its own and, if it writes the
  /// outputs, receives the others'; elsewhere reconstruct_ct returns an empty result. Null: all here.
  SliceDistribution* distribution = nullptr;
  /// After each iteration of a slice's solver: (slice, iteration from 1, iterations); returning
  /// false stops the work there (OperationStopped). For progress within long slices. The slices of
  /// a group take turns, so calls for different slices interleave, one at a time (never
  /// concurrently), each group's first slice's on the calling thread and the others' on threads of
  /// their own.
  std::function<bool(std::int64_t slice, int iteration, int iterations)> iteration_progress;

  /// PnP-HQS with the bundled `ct` model.
  static SolverChoice default_choice();
  /// Throws ParameterError naming the problem.
  void validate() const;
};

struct CtSliceReport {
  SolverSettings settings;                         ///< as run (no reference pointer kept)
  std::optional<PriorLevelChoice> prior_level;     ///< when SURE chose it
};

struct CtReconstruction {
  Image volume;                  ///< in options.units, on the geometry's grid, the sinogram's slice spacing
  Image start;                   ///< the FBP (or zero) start, in the same units
  std::optional<Image> spread;   ///< samplers: per-pixel posterior standard deviation (HU or mm⁻¹)
  std::vector<SolverResult> runs;    ///< per slice: history and termination (images in `volume`)
  std::vector<CtSliceReport> slices;
  SolverSummary summary;         ///< quality figures when a reference was given
};

/// Reconstructs every slice of `sinogram` (line integrals, detectors × views [× slices]) on
/// `geometry`. `weights` (statistical weights, same shape; null: unweighted) and `reference` (on the
/// geometry's grid, in options.units, as many slices; null: none) are optional. Throws ShapeError or
/// ParameterError for inputs that do not fit, OperationStopped when the progress callback says stop.
CtReconstruction reconstruct_ct(const CtGeometry& geometry, const Image& sinogram, const Image* weights,
                                const Image* reference, const CtReconstructionOptions& options);

}  // namespace tweedie
