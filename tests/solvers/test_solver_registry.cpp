#include "core/error.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "operators/blur.h"
#include "priors/classical_denoisers.h"
#include "solvers/solver_history.h"
#include "solvers/solver_registry.h"
#include "solvers/solver_summary.h"
#include "support/temporary_folder.h"
#include "support/test_pictures.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace tweedie;
namespace data = boost::unit_test::data;

namespace {

std::vector<std::string> registered_names() {
  std::vector<std::string> names;
  for (const SolverTraits& traits : solver_registry()) names.push_back(traits.name);
  return names;
}

ImageGeometry grid() { return {.shape = Shape::image(40, 40)}; }

// The exact denoiser of a Gaussian prior N(m, s²) per pixel: D(x, σ) = (s²x + σ²m)/(s² + σ²), with
// its vector–Jacobian product, so that the samplers (DPS differentiates its prior) run on it.
class GaussianPriorDenoiser final : public Denoiser {
 public:
  std::string name() const override { return "gaussian prior"; }
  Image denoise(const Image& x, double sigma) override {
    Image out = x.clone();
    const double w = weight(sigma);
    out.array() = static_cast<float>(w) * x.array() + static_cast<float>((1 - w) * kMean);
    return out;
  }
  Image vjp(const Image&, double sigma, const Image& v) override {
    Image out = v.clone();
    out.array() *= static_cast<float>(weight(sigma));
    return out;
  }

 private:
  static constexpr double kMean = 128.0, kSpread = 60.0;
  static double weight(double sigma) { return kSpread * kSpread / (kSpread * kSpread + sigma * sigma); }
};

double residual(const DataFidelity& data, const Image& x) {
  Image r = data.op().apply(x);
  r.array() -= data.measurement().array();
  return norm(r);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(solver_registry_suite)

// Every registered solver, through the registry's own entry point, fits a blurred, noisy picture
// better than its start does; those with a prior schedule (TV as the prior) also come closer to
// the truth. The samplers get an exact Gaussian prior, whose vector–Jacobian product DPS needs.
BOOST_DATA_TEST_CASE(every_registered_solver_improves_on_its_start, data::make(registered_names()), name) {
  const Image truth = testing::test_picture(40);
  const auto op = std::make_shared<Convolution>(grid(), gaussian_kernel(1.2), Boundary::circular);
  const Image y = testing::with_noise(op->apply(truth), 2.55, 4);
  const DataFidelity data(op, y);
  TvDenoiser tv;
  GaussianPriorDenoiser gaussian;
  const SolverTraits& traits = solver_traits(name);
  Denoiser* prior = traits.sampler ? static_cast<Denoiser*>(&gaussian) : traits.uses_prior ? &tv : nullptr;
  SolverSettings settings;
  settings.pnp = dpir_options(2.55, 255.0, false);
  settings.pnp.control.iterations = traits.default_iterations > 0 ? traits.default_iterations : 16;
  settings.pnp.sigma_first = 20.0, settings.pnp.sigma_last = 5.0;
  settings.sampler.noise_sigma = 2.55, settings.sampler.sigma_first = 20.0, settings.sampler.sigma_last = 2.0;
  settings.sampler.samples = 2;
  settings.tv_lambda = 0.3;
  const SolverOutput out = run_solver(name, data, prior, y, settings);
  BOOST_TEST_MESSAGE(name << ": " << psnr(truth, y, 255.0) << " dB → " << psnr(truth, out.result.image, 255.0)
                          << " dB, residual " << residual(data, y) << " → " << residual(data, out.result.image));
  BOOST_TEST(residual(data, out.result.image) < residual(data, y));
  if (traits.follows_prior_schedule) BOOST_TEST(psnr(truth, out.result.image, 255.0) > psnr(truth, y, 255.0) + 0.5);
  BOOST_TEST(out.standard_deviation.has_value() == traits.sampler);
  BOOST_TEST(!traits.describe(settings, {}).empty() == (traits.uses_prior || name == "tv-pdhg"));
}

BOOST_AUTO_TEST_CASE(traits_are_consistent) {
  for (const SolverTraits& t : solver_registry()) {
    BOOST_TEST_INFO(t.name);
    BOOST_TEST(t.run != nullptr);
    BOOST_TEST(t.describe != nullptr);
    if (t.follows_prior_schedule || t.sampler) BOOST_TEST(t.uses_prior);
    if (t.carries_data_step_error || t.has_gradient_form) BOOST_TEST(t.proximal_data_step);
    BOOST_TEST(!(t.sampler && t.follows_prior_schedule));
    BOOST_TEST(&solver_traits(t.name) == &t);
  }
}

BOOST_AUTO_TEST_CASE(unknown_solvers_and_missing_priors_are_refused) {
  BOOST_CHECK_THROW(solver_traits("pnp-magic"), ParameterError);
  BOOST_TEST(find_solver("pnp-magic") == nullptr);
  const auto op = std::make_shared<Convolution>(grid(), gaussian_kernel(1.2), Boundary::circular);
  const Image y = testing::test_picture(40);
  BOOST_CHECK_THROW(run_solver("pnp-hqs", DataFidelity(op, y), nullptr, y, {}), ParameterError);
}

BOOST_AUTO_TEST_CASE(terminations_round_trip_through_text) {
  for (Termination t : {Termination::iteration_limit, Termination::converged, Termination::stopped_by_callback,
                        Termination::direct}) {
    BOOST_TEST((parse_termination(to_string(t)) == t));
  }
  BOOST_CHECK_THROW(parse_termination("tired"), ParameterError);
}

BOOST_AUTO_TEST_CASE(histories_round_trip_through_json) {
  SolverHistory written{"pnp-hqs", {}};
  for (int run = 0; run < 2; ++run) {
    SolverResult result;
    result.termination = run ? Termination::converged : Termination::iteration_limit;
    for (int k = 1; k <= 3; ++k) {
      IterationRecord r{.iteration = k, .objective = 1.0 / (3 * k + run), .relative_change = 0.1 / k, .step = 49.0 / k,
                        .seconds = 0.37 * k};
      if (run == 1) r.psnr = 20.0 + k / 7.0, r.ssim = 0.5 + k / 11.0;
      result.history.push_back(r);
    }
    written.runs.push_back(std::move(result));
  }
  testing::TemporaryFolder folder;
  for (std::size_t runs : {1u, 2u}) {
    SolverHistory part{written.solver, {}};
    for (std::size_t k = 0; k < runs; ++k) part.runs.push_back({Image(), written.runs[k].history, written.runs[k].termination});
    write_history((folder / "history.json").string(), part);
    const SolverHistory read = read_history((folder / "history.json").string());
    BOOST_TEST(read.solver == part.solver);
    BOOST_REQUIRE(read.runs.size() == runs);
    for (std::size_t k = 0; k < runs; ++k) {
      BOOST_TEST((read.runs[k].termination == part.runs[k].termination));
      BOOST_REQUIRE(read.runs[k].history.size() == part.runs[k].history.size());
      for (std::size_t i = 0; i < part.runs[k].history.size(); ++i) {
        const IterationRecord &a = part.runs[k].history[i], &b = read.runs[k].history[i];
        BOOST_TEST(a.iteration == b.iteration);
        BOOST_TEST(a.objective == b.objective);  // exact: JSON keeps every digit
        BOOST_TEST(a.relative_change == b.relative_change);
        BOOST_TEST(a.step == b.step);
        BOOST_TEST(a.seconds == b.seconds);
        BOOST_TEST((a.psnr == b.psnr));
        BOOST_TEST((a.ssim == b.ssim));
      }
    }
  }
  std::ofstream(folder / "bad.json") << "{\"solver\": \"pnp-hqs\", \"iterations\": [";
  BOOST_CHECK_THROW(read_history((folder / "bad.json").string()), IoError);
  BOOST_CHECK_THROW(read_history((folder / "missing.json").string()), IoError);
}

BOOST_AUTO_TEST_CASE(summaries_report_iterations_termination_and_quality) {
  std::vector<SolverResult> runs(2);
  for (SolverResult& run : runs) {
    for (int k = 1; k <= 4; ++k) run.history.push_back({.iteration = k, .seconds = 0.5 * k});
  }
  SolverSettings settings;
  SolverSummary summary = summarize("pnp-hqs", "ct", true, runs, settings, {0.5, " HU"});
  summary.quality = QualityChange{"fbp", 28.0, 36.0, 0.5, 0.9};
  summary.cg_iterations = 10;
  BOOST_TEST(summary.seconds() == 4.0);
  const std::string brief = summary.brief_report();
  BOOST_TEST(brief.starts_with("pnp-hqs with ct ×8 ensemble: 2 slices × 4 iterations (iteration limit), 2 s per slice, 4 s"));
  BOOST_TEST(brief.find("PSNR 28 dB (fbp) → 36 dB, SSIM 0.5 → 0.9") != std::string::npos);
  const std::string full = summary.full_report();
  BOOST_TEST(full.find("parameters: prior σ 98 HU → 5.1 HU") != std::string::npos);  // 49 / 0.5, 2.55 / 0.5
  BOOST_TEST(full.find("data step: 10 conjugate-gradient steps") != std::string::npos);
  BOOST_TEST(full.find("slice 2: 4 iterations (iteration limit), 2 s") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
