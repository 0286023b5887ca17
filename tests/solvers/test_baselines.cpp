#include "core/image_ops.h"
#include "core/metrics.h"
#include "operators/fbp.h"
#include "operators/joseph_projector.h"
#include "operators/phantom.h"
#include "solvers/baselines.h"

#include <Eigen/Dense>
#include <boost/test/unit_test.hpp>

using namespace tweedie;

namespace {

// A known CT problem: the Shepp–Logan phantom (attenuation), parallel beam, `views` views,
// optionally with Gaussian noise of `noise` relative to the sinogram's largest value.
struct CtProblem {
  CtGeometry geometry;
  std::shared_ptr<JosephProjector> projector;
  Image truth, sinogram;
  CtProblem(std::int64_t n, std::int64_t views, double noise) {
    geometry = parallel_geometry(n, 1.0, views);
    projector = std::make_shared<JosephProjector>(geometry);
    truth = rasterize(shepp_logan(0.45 * static_cast<double>(n)), geometry.image_geometry(), 2);
    sinogram = projector->apply(truth);
    Image e(sinogram.geometry());
    fill_normal(e, 5);
    sinogram.array() += static_cast<float>(noise * sinogram.array().maxCoeff()) * e.array();
  }
  double quality(const Image& x) const { return psnr(truth, x, 1.0); }
  Image fbp() const { return FilteredBackprojection(geometry).reconstruct(sinogram); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(baselines)

BOOST_AUTO_TEST_CASE(cgls_reaches_the_least_squares_solution_of_a_small_problem) {
  CtGeometry g = parallel_geometry(8, 1.0, 16);
  const auto projector = std::make_shared<JosephProjector>(g);
  // The dense matrix, column by column.
  const std::int64_t n = 64, m = projector->range().shape.voxel_count();
  Eigen::MatrixXd a(m, n);
  for (std::int64_t k = 0; k < n; ++k) {
    Image e(projector->domain());
    e.data()[k] = 1.0f;
    const Image column = projector->apply(e);
    for (std::int64_t i = 0; i < m; ++i) a(i, k) = column.data()[i];
  }
  Image y(projector->range());
  fill_normal(y, 3);
  const Eigen::VectorXd direct =
      a.colPivHouseholderQr().solve(Eigen::Map<const Eigen::VectorXf>(y.data(), m).cast<double>());
  const DataFidelity data(projector, y);
  const SolverResult result = cgls(data, Image(projector->domain()), {.iterations = 200, .tolerance = 1e-7});
  const Eigen::VectorXd ours = Eigen::Map<const Eigen::VectorXf>(result.image.data(), n).cast<double>();
  BOOST_TEST((ours - direct).norm() / direct.norm() < 1e-3);
}

BOOST_AUTO_TEST_CASE(the_proximal_step_solves_its_normal_equations) {
  const CtProblem problem(32, 30, 0.0);
  const DataFidelity data(problem.projector, problem.sinogram);
  Image v(problem.projector->domain());
  fill_normal(v, 4);
  Image x = v.clone();
  const double rho = 2.0;
  data.prox(v, rho, x, 200, 1e-7);
  // (AᵀA + ρI) x − (Aᵀy + ρv) = 0.
  Image residual = x.zeros_like();
  data.normal(x, residual);
  residual.array() += static_cast<float>(rho) * (x.array() - v.array()) - data.back_projected_measurement().array();
  BOOST_TEST(norm(residual) < 1e-4 * norm(data.back_projected_measurement()));
}

BOOST_AUTO_TEST_CASE(cgls_and_sirt_improve_on_sparse_view_fbp) {
  const CtProblem problem(64, 60, 0.0);
  const DataFidelity data(problem.projector, problem.sinogram);
  const Image start = problem.fbp();
  const double fbp_psnr = problem.quality(start);
  const SolverResult c = cgls(data, start, {.iterations = 30});
  const SolverResult s = sirt(data, start, {.iterations = 100}, true);
  BOOST_TEST_MESSAGE("60 views, 64²: FBP " << fbp_psnr << " dB, CGLS " << problem.quality(c.image) << " dB, SIRT "
                                           << problem.quality(s.image) << " dB");
  BOOST_TEST(problem.quality(c.image) > fbp_psnr + 1.0);
  BOOST_TEST(problem.quality(s.image) > fbp_psnr + 1.0);
  BOOST_TEST(c.history.back().objective < 1e-2 * c.history.front().objective);
}

BOOST_AUTO_TEST_CASE(tv_pdhg_beats_fbp_and_cgls_on_noisy_sparse_views_and_its_objective_falls) {
  const CtProblem problem(64, 60, 0.01);
  const DataFidelity data(problem.projector, problem.sinogram);
  const Image start = problem.fbp();
  Image zero(problem.projector->domain());
  const SolverResult c = cgls(data, zero, {.iterations = 15});
  const SolverResult tv = tv_pdhg(data, 0.5, start, {.iterations = 300});
  BOOST_TEST_MESSAGE("noisy 60 views: FBP " << problem.quality(start) << " dB, CGLS " << problem.quality(c.image)
                                            << " dB, TV " << problem.quality(tv.image) << " dB");
  BOOST_TEST(problem.quality(tv.image) > problem.quality(start) + 3.0);
  BOOST_TEST(problem.quality(tv.image) > problem.quality(c.image) + 1.0);
  BOOST_TEST(tv.history.back().objective < tv.history[10].objective);
}

BOOST_AUTO_TEST_CASE(the_history_records_quality_and_the_callback_stops) {
  const CtProblem problem(32, 30, 0.0);
  const DataFidelity data(problem.projector, problem.sinogram);
  IterationControl control{.iterations = 50, .reference = &problem.truth, .reference_range = 1.0};
  control.callback = [](const IterationRecord& r, const Image&) { return r.iteration < 7; };
  const SolverResult result = cgls(data, Image(problem.projector->domain()), control);
  BOOST_TEST(result.history.size() == 7u);
  BOOST_TEST((result.termination == Termination::stopped_by_callback));
  BOOST_TEST(result.history.back().psnr.has_value());
  BOOST_TEST(*result.history.back().psnr > *result.history.front().psnr);
}

BOOST_AUTO_TEST_SUITE_END()
