// tweedie restore: deblurring, super-resolution and inpainting with any solver and prior.
#include "apps/commands.h"
#include "apps/output_image.h"
#include "apps/prior_options.h"
#include "apps/prior_sigma_choice.h"
#include "apps/restoration_problem.h"
#include "apps/solver_options.h"
#include "core/error.h"
#include "core/image_io.h"

#include <optional>

namespace tweedie::app {
namespace {

struct RestoreOptions {
  std::string input, output;
  RestorationFlags problem;
  SolverFlags solver;
};

// The forward model, its mask (inpainting) and the defaults of a problem.
struct Problem {
  std::shared_ptr<const LinearOperator> op;
  std::optional<Image> mask;
  SolverSettings defaults;
};

Problem make_problem(const RestoreOptions& o, const Image& y) {
  Problem p;
  const RestorationFlags& f = o.problem;
  if (f.operator_name == "mask" && !f.mask.empty()) p.mask = read_image(f.mask);
  p.op = restoration_operator(f, clean_grid(f, y.geometry()), p.mask ? &*p.mask : nullptr);
  const double noise = o.solver.noise_sigma > 0 ? o.solver.noise_sigma : 2.55;
  p.defaults.pnp = dpir_options(noise, 255.0, f.operator_name != "blur");
  p.defaults.sampler.noise_sigma = noise;
  p.defaults.sampler.sigma_first = p.defaults.pnp.sigma_first;
  p.defaults.sampler.sigma_last = p.defaults.pnp.sigma_last;
  // TV weight ∝ σ_n² (the MAP weight of a TV prior with a fixed scale), constants measured best on
  // Set12 at σ_n = 2.55 with the 300 PDHG iterations; inpainting needs more to fill the holes in time.
  p.defaults.tv_lambda = (f.operator_name == "mask" ? 0.2 : 0.04) * noise * noise;
  return p;
}

// The naive inverse of the measurement y, where the solvers start.
Image naive_start(const RestorationFlags& f, const Problem& p, const Image& y) {
  if (f.operator_name == "decimate") {
    Image start(p.op->domain());  // nearest-neighbour upsampling
    const Shape& high = start.shape();
    for (std::int64_t z = 0; z < high.nz; ++z) {
      for (std::int64_t j = 0; j < high.ny; ++j) {
        for (std::int64_t i = 0; i < high.nx; ++i) start.at(i, j, z) = y.at(i / f.factor, j / f.factor, z);
      }
    }
    return start;
  }
  if (f.operator_name != "mask") return y.clone();
  // The measured pixels, the missing ones at the measured mean.
  const auto measured = p.mask->array() != 0.0f;
  if (!measured.any()) throw ParameterError("the mask measures no pixel");
  const double mean = (y.array() * measured.cast<float>()).sum() / static_cast<double>(measured.count());
  Image start = y.clone();
  start.array() = measured.select(y.array(), static_cast<float>(mean));
  return start;
}

void run_restore(const RestoreOptions& o) {
  require_known_solver(o.solver.solver);
  const Image y = read_image(o.input);
  require_finite(y, "the input image '" + o.input + "'");
  const Problem problem = make_problem(o, y);
  const StartOf start_of = [&](const Image& measured) { return naive_start(o.problem, problem, measured); };
  const Image start = start_of(y);
  std::optional<Image> reference;
  if (!o.solver.reference.empty()) reference = read_image(o.solver.reference);
  if (reference) require_same_shape(problem.op->domain().shape, reference->shape(), "the reference image");
  SolverSettings settings = solver_settings(o.solver, problem.defaults, reference ? &*reference : nullptr);
  std::unique_ptr<Denoiser> prior =
      solver_uses_prior(o.solver.solver) ? with_ensemble(make_denoiser(o.solver.prior), use_ensemble(o.solver, true)) : nullptr;
  const DataFidelity data(problem.op, y);
  apply_prior_sigma_flag(o.solver, data, prior.get(), start_of, settings, 1.0, "");
  SolverOutput out = run_solver(o.solver.solver, data, prior.get(), start, settings);
  std::vector<SolverResult> runs;
  runs.push_back(std::move(out.result));
  print_solver_summary(o.solver, prior.get(), runs, settings, reference ? &*reference : nullptr, start, runs.front().image,
                       "start", 255.0);
  if (!o.solver.history.empty()) write_history(runs, o.solver.solver, o.solver.history);
  if (out.standard_deviation && !o.solver.standard_deviation.empty()) write_image(*out.standard_deviation, o.solver.standard_deviation);
  write_result_image(std::move(runs.front().image), o.output);
}

}  // namespace

Command add_restore_command(CLI::App& app) {
  auto o = std::make_shared<RestoreOptions>();
  CLI::App* parser = app.add_subcommand("restore", "Deblurring, super-resolution or inpainting of an image");
  parser->add_option("--input", o->input, "Degraded image (0–255 scale)")->required();
  add_restoration_options(*parser, o->problem);
  parser->add_option("--mask", o->problem.mask, "mask: image, nonzero where measured");
  add_solver_options(*parser, o->solver);
  parser->add_option("--output", o->output, "Restored image")->required();
  return {parser, [o] { run_restore(*o); }, true};
}

}  // namespace tweedie::app
