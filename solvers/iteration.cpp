#include "solvers/iteration.h"

#include "core/error.h"
#include "core/image_ops.h"
#include "core/metrics.h"

#include <algorithm>
#include <cmath>

namespace tweedie {

void IterationControl::validate() const {
  if (iterations < 1) throw ParameterError("the iteration limit must be at least 1, got " + std::to_string(iterations));
  if (!(tolerance >= 0)) throw ParameterError("the tolerance must be non-negative");
}

double geometric_level(double first, double last, int k, int count) {
  if (count <= 1) return last;
  return first * std::pow(last / first, std::min(1.0, static_cast<double>(k) / (count - 1)));
}

IterationLog::IterationLog(const IterationControl& control, std::chrono::steady_clock::time_point start)
    : control_(control), start_(start) {
  control.validate();
}

bool IterationLog::record(const Image& x, const Image& previous, double objective, double step) {
  IterationRecord r;
  r.iteration = static_cast<int>(history_.size()) + 1;
  r.objective = objective;
  r.step = step;
  Image change = x.clone();
  change.array() -= previous.array();
  const double size = norm(x);
  r.relative_change = size > 0 ? norm(change) / size : norm(change);
  if (control_.reference) {
    const double range = control_.reference_range > 0 ? control_.reference_range : value_range(*control_.reference);
    const QualityReport q = compare(*control_.reference, x, range);
    r.psnr = q.psnr, r.ssim = q.ssim;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  history_.push_back(r);
  if (control_.callback && !control_.callback(r, x)) {
    termination_ = Termination::stopped_by_callback;
    return true;
  }
  if (control_.tolerance > 0 && r.relative_change < control_.tolerance) {
    termination_ = Termination::converged;
    return true;
  }
  return r.iteration >= control_.iterations;
}

std::string to_string(Termination termination) {
  switch (termination) {
    case Termination::iteration_limit: return "iteration limit";
    case Termination::converged: return "converged";
    case Termination::stopped_by_callback: return "stopped by callback";
    case Termination::direct: return "direct";
  }
  return "unknown";
}

Termination parse_termination(const std::string& text) {
  for (Termination t : {Termination::iteration_limit, Termination::converged, Termination::stopped_by_callback,
                        Termination::direct}) {
    if (to_string(t) == text) return t;
  }
  throw ParameterError("unknown termination '" + text + "'");
}

SolverResult IterationLog::finish(Image x) { return {std::move(x), std::move(history_), termination_}; }

}  // namespace tweedie
