// What a solver run (or the runs of a stack's slices) did, as text for people, in the manner of
// Ceres' Solver::Summary: a one-line brief report and a full report with the parameters that
// decided the result and a line per slice.
//
//   SolverSummary summary = summarize("pnp-hqs", "ct", false, runs, settings);
//   summary.quality = QualityChange{"fbp", 28.1, 36.4, 0.56, 0.90};
//   std::cout << summary.full_report();
#pragma once

#include "solvers/solver_registry.h"

#include <optional>
#include <string>
#include <vector>

namespace tweedie {

/// PSNR (dB) and SSIM of the start and of the result against a reference.
struct QualityChange {
  std::string start_name;  ///< "fbp", "start", …
  double start_psnr = 0.0, psnr = 0.0, start_ssim = 0.0, ssim = 0.0;
};

struct RunSummary {
  int iterations = 0;
  Termination termination = Termination::iteration_limit;
  double seconds = 0.0;
  std::optional<double> psnr;  ///< at the last iteration, when the run had a reference
};

struct SolverSummary {
  std::string solver;
  std::string prior;       ///< empty for solvers without one
  bool ensemble = false;   ///< the prior averaged over the 8 flips and rotations
  std::vector<RunSummary> runs;  ///< one per slice
  std::optional<QualityChange> quality;         ///< over the reference's range
  std::optional<QualityChange> window_quality;  ///< in a display window (CT: soft tissue), named by window_name
  std::string window_name;
  std::string parameters;        ///< the solver's parameters in words ("prior σ 200 HU → 40 HU, …")
  std::optional<int> cg_iterations;  ///< conjugate-gradient steps per proximal data step, where one is solved by CG
  std::string noise_origin;      ///< where σ_n came from when the data did not say ("estimated from the sinogram …")
  std::string units_note;        ///< how the prior's units were set for these data ("attenuation read as HU …")
  std::string grids;             ///< where the iterations ran when not all on one grid ("the first 5 on …")
  std::vector<std::string> warnings;  ///< what in the data may spoil the result, and what to do

  double seconds() const;
  /// "SOLVER [with PRIOR [×8 ensemble]]: [S slices × ]N iterations (why), [t s per slice, ]T s[; PSNR a dB
  /// (start) → b dB, SSIM c → d]".
  std::string brief_report() const;
  /// The brief report, then "quality in WINDOW: …", "parameters: …", "measurement noise: …", "prior units: …",
  /// "data step: …", "grids: …", for a stack a line per slice, and "warning: …" lines.
  std::string full_report() const;
};

/// The summary of `runs` (one per slice) of `solver` with `settings`; quality and cg_iterations left
/// for the caller, who knows the reference and the data step.
SolverSummary summarize(const std::string& solver, const std::string& prior, bool ensemble,
                        const std::vector<SolverResult>& runs, const SolverSettings& settings, const LevelUnits& levels = {});

}  // namespace tweedie
