#include "solvers/solver_summary.h"

#include <sstream>

namespace tweedie {
namespace {

// "PSNR a dB (start) → b dB, SSIM c → d".
std::string describe(const QualityChange& q) {
  std::ostringstream text;
  text << "PSNR " << q.start_psnr << " dB (" << q.start_name << ") → " << q.psnr << " dB, SSIM " << q.start_ssim << " → "
       << q.ssim;
  return text.str();
}

}  // namespace

double SolverSummary::seconds() const {
  double total = 0.0;
  for (const RunSummary& run : runs) total += run.seconds;
  return total;
}

std::string SolverSummary::brief_report() const {
  std::ostringstream text;
  text << solver;
  if (!prior.empty()) text << " with " << prior << (ensemble ? " ×8 ensemble" : "");
  text << ": ";
  if (runs.size() > 1) text << runs.size() << " slices × ";
  const RunSummary last = runs.empty() ? RunSummary{} : runs.back();
  text << last.iterations << " iterations (" << to_string(last.termination) << "), ";
  if (runs.size() > 1) text << seconds() / static_cast<double>(runs.size()) << " s per slice, ";
  text << seconds() << " s";
  if (quality) text << "; " << describe(*quality);
  return text.str();
}

std::string SolverSummary::full_report() const {
  std::ostringstream text;
  text << brief_report() << '\n';
  if (window_quality) text << "quality in " << window_name << ": " << describe(*window_quality) << '\n';
  if (!parameters.empty()) text << "parameters: " << parameters << '\n';
  if (!noise_origin.empty()) text << "measurement noise: " << noise_origin << '\n';
  if (!units_note.empty()) text << "prior units: " << units_note << '\n';
  if (cg_iterations) text << "data step: " << *cg_iterations << " conjugate-gradient steps\n";
  if (!grids.empty()) text << "grids: " << grids << '\n';
  if (runs.size() > 1) {
    for (std::size_t k = 0; k < runs.size(); ++k) {
      text << "slice " << k + 1 << ": " << runs[k].iterations << " iterations (" << to_string(runs[k].termination) << "), "
           << runs[k].seconds << " s";
      if (runs[k].psnr) text << ", PSNR " << *runs[k].psnr << " dB";
      text << '\n';
    }
  }
  for (const std::string& warning : warnings) text << "warning: " << warning << '\n';
  return text.str();
}

SolverSummary summarize(const std::string& solver, const std::string& prior, bool ensemble,
                        const std::vector<SolverResult>& runs, const SolverSettings& settings, const LevelUnits& levels) {
  SolverSummary summary;
  summary.solver = solver;
  summary.prior = prior;
  summary.ensemble = ensemble;
  for (const SolverResult& run : runs) {
    RunSummary r;
    r.iterations = static_cast<int>(run.history.size());
    r.termination = run.termination;
    r.seconds = run.history.empty() ? 0.0 : run.history.back().seconds;
    if (!run.history.empty()) r.psnr = run.history.back().psnr;
    summary.runs.push_back(r);
  }
  if (const SolverTraits* traits = find_solver(solver)) summary.parameters = traits->describe(settings, levels);
  return summary;
}

}  // namespace tweedie
