// What every iterative solver shares: the stopping rules, the per-iteration history and the
// callback. A solver calls `IterationLog::record` once per iteration and stops when it says so.
//
//   IterationControl control{.iterations = 50, .tolerance = 1e-4};
//   control.reference = &ground_truth;                     // adds PSNR/SSIM to the history
//   control.callback = [](const IterationRecord& r, const Image&) { return r.iteration < 10; };
#pragma once

#include "core/image.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tweedie {

struct IterationRecord {
  int iteration = 0;                   ///< 1-based
  double objective = 0.0;              ///< the solver's objective or residual norm (see each solver)
  double relative_change = 0.0;        ///< ‖x_k − x_{k−1}‖ / ‖x_k‖
  double step = 0.0;                   ///< step size, penalty or noise level used
  std::optional<double> psnr, ssim;    ///< against IterationControl::reference
  double seconds = 0.0;                ///< since the solver started
};

struct IterationControl {
  int iterations = 50;                 ///< at most this many
  double tolerance = 0.0;              ///< stop when the relative change falls below (0: never)
  const Image* reference = nullptr;    ///< ground truth for PSNR/SSIM in the history
  double reference_range = 0.0;        ///< their data range (0: max − min of the reference)
  /// After every iteration; returning false stops the solver.
  std::function<bool(const IterationRecord&, const Image& x)> callback = nullptr;

  /// Throws ParameterError naming the bad field.
  void validate() const;
};

/// Why a solver stopped.
enum class Termination {
  iteration_limit,      ///< ran IterationControl::iterations
  converged,            ///< the relative change fell below the tolerance
  stopped_by_callback,  ///< the callback returned false
  direct,               ///< a direct method (FBP): one step, no iterations
};

/// "iteration limit", "converged", "stopped by callback", "direct".
std::string to_string(Termination termination);
/// The inverse of to_string; throws ParameterError for other text.
Termination parse_termination(const std::string& text);

struct SolverResult {
  Image image;
  std::vector<IterationRecord> history;
  Termination termination = Termination::iteration_limit;
};

/// Level k (0-based) of `count` log-spaced from `first` to `last`: the noise schedules of the PnP
/// solvers and the samplers.
double geometric_level(double first, double last, int k, int count);

/// Keeps the history of one run and decides when it ends.
class IterationLog {
 public:
  /// `start`: when the solver started; the runs of one solver (a sampler's samples) share it, so
  /// the seconds of the last run's history are the solver's.
  explicit IterationLog(const IterationControl& control,
                        std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now());
  /// Records iteration k (from 1) with its new iterate `x` and the previous one; returns true
  /// when the solver should stop.
  bool record(const Image& x, const Image& previous, double objective, double step);
  SolverResult finish(Image x);

 private:
  const IterationControl& control_;
  std::chrono::steady_clock::time_point start_;
  std::vector<IterationRecord> history_;
  Termination termination_ = Termination::iteration_limit;
};

}  // namespace tweedie
