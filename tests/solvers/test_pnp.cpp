#include "core/image_io.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "operators/blur.h"
#include "operators/fbp.h"
#include "operators/joseph_projector.h"
#include "operators/sampling.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "solvers/baselines.h"
#include "solvers/pnp.h"
#include "solvers/solver_registry.h"
#include "support/shared_data.h"
#include "support/test_pictures.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <map>

using namespace tweedie;
namespace data = boost::unit_test::data;

namespace {

struct Problem {
  std::shared_ptr<const LinearOperator> op;
  Image truth, y;
  Problem(std::shared_ptr<const LinearOperator> a, double noise) : op(std::move(a)), truth(testing::test_picture(48)) {
    y = testing::with_noise(op->apply(truth), noise, 9);
  }
  double quality(const Image& x) const { return psnr(truth, x, 255.0); }
};

ImageGeometry grid() { return {.shape = Shape::image(48, 48)}; }

std::shared_ptr<const LinearOperator> blur() {
  return std::make_shared<Convolution>(grid(), gaussian_kernel(1.6), Boundary::circular);
}

// Every solver of the registry that follows a prior schedule (PnP and RED), and the gradient
// form of those that have one: a new solver is tested by being registered.
struct ScheduleSolver {
  friend std::ostream& operator<<(std::ostream& out, const ScheduleSolver& solver) { return out << solver.name(); }
  const SolverTraits* traits;
  RedForm form;
  std::string name() const { return traits->name + (form == RedForm::gradient ? " (gradient form)" : ""); }
  SolverResult run(const DataFidelity& data, Denoiser& prior, const Image& start, PnpOptions options) const {
    options.red_form = form;
    SolverSettings settings;
    settings.pnp = options;
    return traits->run(data, &prior, start, settings).result;
  }
};

std::vector<ScheduleSolver> schedule_solvers() {
  std::vector<ScheduleSolver> solvers;
  for (const SolverTraits& traits : solver_registry()) {
    if (!traits.follows_prior_schedule) continue;
    solvers.push_back({&traits, RedForm::fixed_point});
    if (traits.has_gradient_form) solvers.push_back({&traits, RedForm::gradient});
  }
  return solvers;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pnp)

BOOST_DATA_TEST_CASE(every_method_improves_on_the_blurred_image, data::make(schedule_solvers()), solver) {
  const Problem problem(blur(), 2.55);
  const DataFidelity data(problem.op, problem.y);
  TvDenoiser tv;
  PnpOptions options = dpir_options(2.55, 255.0, false);
  options.control.iterations = 20;
  options.sigma_first = 20.0, options.sigma_last = 5.0;
  const SolverResult result = solver.run(data, tv, problem.y, options);
  BOOST_TEST_MESSAGE(solver << ": blurred " << problem.quality(problem.y) << " dB → " << problem.quality(result.image) << " dB");
  BOOST_TEST(problem.quality(result.image) > problem.quality(problem.y) + 2.0);
  BOOST_TEST(result.history.size() == 20u);
}

// The other small problems: every PnP/RED method improves on its naive start (the adjoint: zeros
// where nothing was measured; FBP for CT) with the TV denoiser as prior.
BOOST_DATA_TEST_CASE(every_method_improves_on_inpainting_super_resolution_denoising_and_sparse_view_ct,
                     data::make(schedule_solvers()), solver) {
  const CtGeometry ct = parallel_geometry(48, 1.0, 60);
  std::map<std::string, std::shared_ptr<const LinearOperator>> problems{
      {"inpainting 50%", std::make_shared<PixelMask>(random_mask(grid(), 0.5, 3))},
      {"super-resolution x2", make_decimation(grid(), 2, 1.0)},
      {"denoising", std::make_shared<PixelMask>(random_mask(grid(), 1.0, 3))},
      {"CT, 60 views", std::make_shared<JosephProjector>(ct)},
  };
  TvDenoiser tv;
  for (const auto& [problem_name, op] : problems) {
    const bool is_ct = problem_name.starts_with("CT");
    const double noise = is_ct ? 20.0 : 10.0;  // CT: about 1 % of the largest line integral
    const Problem problem(op, noise);
    const DataFidelity data(problem.op, problem.y);
    const Image start = is_ct ? FilteredBackprojection(ct).reconstruct(problem.y) : op->adjoint(problem.y);
    PnpOptions options = dpir_options(noise, 255.0, problem_name.starts_with("super"));
    options.control.iterations = 24;
    options.sigma_first = 40.0, options.sigma_last = 8.0;
    // On CT, PGD and FISTA denoise a preconditioned gradient step that puts most of the residual
    // back each iteration, and end lower (as tweedie recon's CT defaults do).
    if (is_ct && !solver.traits->proximal_data_step) options.sigma_last = 2.0;
    const SolverResult result = solver.run(data, tv, start, options);
    BOOST_TEST_INFO(solver << ", " << problem_name << ": " << problem.quality(start) << " dB → "
                         << problem.quality(result.image) << " dB");
    BOOST_TEST(problem.quality(result.image) > problem.quality(start) + 1.0);
  }
}

// ∇f(x) + λ(x − D(x, σ)), whose zero is RED's solution.
Image red_stationarity(const DataFidelity& data, Denoiser& prior, const Image& x, double lambda, double sigma) {
  Image residual = data.gradient(x);
  residual.array() += static_cast<float>(lambda) * (x.array() - prior.denoise(x, sigma).array());
  return residual;
}

// With a linear denoiser the RED equation (AᵀA + λ(I − G))x = Aᵀy has one solution: both forms,
// run to convergence at a fixed σ, must reach it.
BOOST_AUTO_TEST_CASE(red_gradient_and_fixed_point_forms_reach_the_same_solution) {
  const Problem problem(blur(), 2.55);
  const DataFidelity data(problem.op, problem.y);
  GaussianDenoiser smoothing;
  PnpOptions options;
  options.sigma_first = options.sigma_last = 25.0;
  options.noise_sigma = 2.55, options.penalty_scale = 5.0;
  const double lambda = options.penalty_at(0);
  options.control.iterations = 400;
  const Image fixed_point = red(data, smoothing, problem.y, options).image;
  options.red_form = RedForm::gradient;
  options.control.iterations = 4000;
  const Image gradient = red(data, smoothing, problem.y, options).image;

  const double start_residual = norm(red_stationarity(data, smoothing, problem.y, lambda, 25.0));
  Image difference = fixed_point.clone();
  difference.array() -= gradient.array();
  BOOST_TEST_MESSAGE("RED stationarity residual: start " << start_residual << ", fixed point "
                     << norm(red_stationarity(data, smoothing, fixed_point, lambda, 25.0)) << ", gradient "
                     << norm(red_stationarity(data, smoothing, gradient, lambda, 25.0))
                     << "; relative difference " << norm(difference) / norm(fixed_point));
  BOOST_TEST(norm(red_stationarity(data, smoothing, fixed_point, lambda, 25.0)) < 1e-3 * start_residual);
  BOOST_TEST(norm(red_stationarity(data, smoothing, gradient, lambda, 25.0)) < 1e-3 * start_residual);
  BOOST_TEST(norm(difference) < 1e-3 * norm(fixed_point));
}

// An operator that hides its closed-form normal solve, so the data step falls back to CG.
class WithoutClosedForm final : public LinearOperator {
 public:
  explicit WithoutClosedForm(std::shared_ptr<const LinearOperator> op) : op_(std::move(op)) {}
  ImageGeometry domain() const override { return op_->domain(); }
  ImageGeometry range() const override { return op_->range(); }
  void apply(const Image& x, Image& y) const override { op_->apply(x, y); }
  void adjoint(const Image& y, Image& x) const override { op_->adjoint(y, x); }

 private:
  std::shared_ptr<const LinearOperator> op_;
};

BOOST_AUTO_TEST_CASE(closed_form_proximal_steps_agree_with_conjugate_gradients) {
  const std::map<std::string, std::shared_ptr<const LinearOperator>> operators{
      {"circular blur", blur()},
      {"mask", std::make_shared<PixelMask>(random_mask(grid(), 0.5, 3))},
      {"decimation x2", make_decimation(grid(), 2, 1.0)},
  };
  for (const auto& [name, op] : operators) {
    const Problem problem(op, 2.55);
    const DataFidelity closed_form(op, problem.y);
    const DataFidelity iterative(std::make_shared<WithoutClosedForm>(op), problem.y);
    Image v = problem.truth.clone();
    for (const double rho : {0.05, 1.0}) {
      Image exact = v.zeros_like(), by_cg = v.zeros_like();
      closed_form.prox(v, rho, exact);
      iterative.prox(v, rho, by_cg, 500, 1e-9);
      Image difference = exact.clone();
      difference.array() -= by_cg.array();
      BOOST_TEST_INFO(name << ", ρ = " << rho << ": relative difference " << norm(difference) / norm(exact));
      BOOST_TEST(norm(difference) < 1e-4 * norm(exact));
    }
  }
}

BOOST_AUTO_TEST_CASE(pnp_admm_with_the_tv_denoiser_converges_to_the_pdhg_tv_solution) {
  const Problem problem(blur(), 2.55);
  const DataFidelity data(problem.op, problem.y);
  const double lambda = 6.0;
  const SolverResult pdhg = tv_pdhg(data, lambda, problem.y, {.iterations = 3000});
  // ADMM with ρ = 1: the denoising step must be prox of λ·TV, i.e. ROF with λ = κσ: σ = λ/κ.
  TvDenoiser::Options accurate;
  accurate.iterations = 2000, accurate.tolerance = 1e-7;
  TvDenoiser tv(accurate);
  PnpOptions options;
  options.control.iterations = 300;
  options.sigma_first = options.sigma_last = lambda / accurate.lambda_per_sigma;
  options.noise_sigma = options.sigma_first, options.penalty_scale = 1.0;  // ρ = 1
  options.cg_iterations = 30;
  const SolverResult admm = pnp_admm(data, tv, problem.y, options);
  Image difference = admm.image.clone();
  difference.array() -= pdhg.image.array();
  BOOST_TEST_MESSAGE("PDHG-TV " << problem.quality(pdhg.image) << " dB, PnP-ADMM(TV) " << problem.quality(admm.image)
                                << " dB, relative difference " << norm(difference) / norm(pdhg.image));
  BOOST_TEST(norm(difference) < 2e-3 * norm(pdhg.image));
}

BOOST_AUTO_TEST_CASE(with_the_bundled_natural_model_pnp_beats_the_best_tv_on_deblurring,
                     *boost::unit_test::precondition(testing::SharedDataPresent{"natural/set12"})) {
  // Set12 cameraman and monarch, DPIR's deblurring problem (Gaussian kernel σ 1.6, noise 2.55);
  // TV gets its best λ of a grid around the default, PnP-HQS its defaults.
  CnnDenoiser model(read_model(std::filesystem::path(TWEEDIE_SOURCE_DIR) / "models/natural-gray.tdm"));
  double gain = 0.0;
  for (const char* name : {"01.png", "05.png"}) {
    const Image truth = read_image(testing::shared_data() / "natural/set12" / name);
    const auto op = std::make_shared<Convolution>(truth.geometry(), gaussian_kernel(1.6), Boundary::circular);
    const Image y = testing::with_noise(op->apply(truth), 2.55, 12);
    const DataFidelity data(op, y);
    IterationControl control;
    control.iterations = 300;
    double best_tv = 0.0;
    for (double lambda : {0.15, 0.25, 0.4}) best_tv = std::max(best_tv, psnr(truth, tv_pdhg(data, lambda, y, control).image, 255.0));
    const double pnp = psnr(truth, pnp_hqs(data, model, y, dpir_options(2.55, 255.0, false)).image, 255.0);
    BOOST_TEST_MESSAGE(name << ": PnP-HQS " << pnp << " dB, best TV " << best_tv << " dB");
    BOOST_TEST(pnp > best_tv);
    gain += 0.5 * (pnp - best_tv);
  }
  BOOST_TEST(gain > 0.3);  // mean over the two images
}

BOOST_AUTO_TEST_SUITE_END()
