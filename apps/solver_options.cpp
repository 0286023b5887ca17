#include "apps/solver_options.h"

#include "apps/option_checks.h"

namespace tweedie::app {

SolverChoice SolverFlags::resolved() const {
  SolverChoice c = choice;
  c.red_form = red_form == "gradient" ? RedForm::gradient : RedForm::fixed_point;
  c.sure_prior_level = prior_sigma == "sure";
  if (ensemble != 0) c.ensemble = ensemble > 0;
  return c;
}

void add_solver_options(CLI::App& parser, SolverFlags& f, const std::string& method_names) {
  SolverChoice& c = f.choice;
  parser.add_option("--solver", c.solver, "One of " + method_names)->capture_default_str();
  parser.add_option("--prior", c.prior,
                    "Bundled model name, model file, tv, gaussian or bm3d; a trailing + for its ×8 self-ensemble")
      ->capture_default_str();
  parser.add_option("--iterations", c.iterations,
                    "Iteration limit (default: the problem's PnP schedule; tv-pdhg 300, sirt 100, cgls 30)")
      ->check(at_least(1));
  parser.add_option("--cg-iterations", c.cg_iterations,
                    "PnP/RED: conjugate-gradient iterations per proximal data step (warm-started; CT: preconditioned, default 8, 20 for sparse views)")
      ->check(at_least(1));
  parser.add_option("--half-resolution-iterations", c.half_resolution_iterations,
                    "CT, PnP/RED: the first iterations of the prior schedule solved on a grid of half the resolution (default: see docs/ct.md)")
      ->check(at_least(0));
  parser.add_option("--noise-sigma", c.noise_sigma, "Measurement noise σ_n (image units; default per problem)")->check(positive());
  parser.add_option("--sigma-first", c.sigma_first, "First prior noise level of the schedule")->check(positive());
  parser.add_option("--sigma-last", c.sigma_last, "Last prior noise level of the schedule")->check(positive());
  parser.add_option("--prior-sigma", f.prior_sigma,
                    "sure: choose the last prior level by SURE of the reconstruction (8 solver runs)")
      ->check(CLI::IsMember({"sure"}));
  parser.add_option("--red-form", f.red_form,
                    "red: fixed-point (a proximal data step per iteration) or gradient (a preconditioned gradient step)")
      ->check(CLI::IsMember({"fixed-point", "gradient"}))
      ->capture_default_str();
  parser.add_option("--lambda", c.tv_lambda, "TV weight for tv-pdhg")->check(positive());
  parser.add_option("--penalty-scale", c.penalty_scale, "PnP/RED prior weight: ρ_k = scale·σ_n²/σ_k² (DPIR: 0.23)")
      ->check(positive());
  parser.add_flag("--ensemble{1},--no-ensemble{-1}", f.ensemble,
                  "Average the prior over the 8 flips and rotations, 8× its time (default: restore's PnP and RED solvers)");
  parser.add_option("--samples", c.samples, "Samples for langevin and dps")->check(at_least(1))->capture_default_str();
  parser.add_option("--steps-per-level", c.steps_per_level, "Langevin steps at each noise level (default 3)")
      ->check(at_least(1));
  parser.add_option("--step-scale", c.step_scale,
                    "Langevin: the prior's step as a fraction of the way to the denoised image (default 0.8)")
      ->check(positive());
  parser.add_option("--seed", c.seed, "Seed of the samplers")->capture_default_str();
  parser.add_option("--reference", f.reference, "Ground truth: PSNR/SSIM per iteration in the history");
  parser.add_option("--history", f.history, "Write the per-iteration history as JSON");
  parser.add_option("--std", f.standard_deviation, "Samplers: write the per-pixel posterior standard deviation");
}

}  // namespace tweedie::app
