// tweedie restore: deblurring, super-resolution and inpainting by pipelines/restoration.h.
#include "apps/commands.h"
#include "apps/output_image.h"
#include "apps/restoration_problem.h"
#include "apps/solver_options.h"
#include "core/image_io.h"
#include "solvers/solver_history.h"

#include <iostream>

namespace tweedie::app {
namespace {

struct RestoreOptions {
  std::string input, output;
  RestorationFlags problem;
  SolverFlags solver;
};

void run_restore(const RestoreOptions& o) {
  const SolverChoice choice = o.solver.resolved();
  choice.validate();
  const RestorationProblem problem = restoration_problem(o.problem, true);
  const Image y = read_image(o.input);
  require_finite(y, "the input image '" + o.input + "'");
  std::optional<Image> reference;
  if (!o.solver.reference.empty()) reference = read_image(o.solver.reference);
  Restoration r = restore(problem, y, reference ? &*reference : nullptr, choice);
  if (r.prior_level) std::cout << describe_prior_level_choice(*r.prior_level, {}) << '\n';
  std::cout << r.summary.full_report();
  if (!o.solver.history.empty()) {
    SolverHistory history{choice.solver, {}};
    history.runs.push_back(std::move(r.run));
    write_history(o.solver.history, history);
  }
  if (r.spread && !o.solver.standard_deviation.empty()) write_image(*r.spread, o.solver.standard_deviation);
  write_result_image(std::move(r.image), o.output);
}

}  // namespace

Command add_restore_command(CLI::App& app) {
  auto o = std::make_shared<RestoreOptions>();
  o->solver.choice = RestorationProblem::default_choice();
  CLI::App* parser = app.add_subcommand("restore", "Deblurring, super-resolution or inpainting of an image");
  parser->add_option("--input", o->input, "Degraded image (0–255 scale)")->required();
  add_restoration_options(*parser, o->problem);
  parser->add_option("--mask", o->problem.mask, "mask: image, nonzero where measured");
  add_solver_options(*parser, o->solver, solver_name_list());
  parser->add_option("--output", o->output, "Restored image")->required();
  return {parser, [o] { run_restore(*o); }, true};
}

}  // namespace tweedie::app
