// The per-iteration history of a solver run — or of the runs of a stack's slices — as JSON, so
// that studies, plots and other programs read what `--history` wrote:
//   one run:   {"solver": S, "termination": T, "iterations": [{"iteration", "objective",
//               "relative_change", "step", "seconds"[, "psnr", "ssim"]}, …]}
//   a stack:   {"solver": S, "slices": [{"termination": T, "iterations": […]}, …]}
#pragma once

#include "solvers/iteration.h"

#include <string>
#include <vector>

namespace tweedie {

struct SolverHistory {
  std::string solver;
  std::vector<SolverResult> runs;  ///< one per slice; images are not stored (empty)
};

/// The history as JSON text, and back (throws IoError naming what does not parse).
std::string history_text(const SolverHistory& history);
SolverHistory parse_history(const std::string& text);

/// Writes through a staged file (core/staged_output.h); throws IoError when it cannot.
void write_history(const std::string& path, const SolverHistory& history);
/// Throws IoError for a missing or malformed file, naming the file and the bad part.
SolverHistory read_history(const std::string& path);

}  // namespace tweedie
