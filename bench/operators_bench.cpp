// CT operators: Joseph forward and adjoint projection and FBP over image sizes, view counts and
// thread counts. Throughput counts ray samples (views × detector bins × image width, about one
// interpolation each) or reconstructed pixels.
#include "core/image_ops.h"
#include "core/threading.h"
#include "operators/fbp.h"
#include "operators/blur.h"
#include "operators/joseph_projector.h"
#include "operators/sampling.h"
#include "operators/phantom.h"
#include "operators/ramp_filter.h"

#include <benchmark/benchmark.h>

namespace {

using namespace tweedie;

// Arguments: image size, views, threads.
void projector_arguments(benchmark::internal::Benchmark* b) {
  for (int n : {256, 512}) {
    for (int views : {360, 720}) {
      for (int threads : {1, 2}) b->Args({n, views, threads});
    }
  }
  b->ArgNames({"n", "views", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

CtGeometry geometry(const benchmark::State& state) {
  return parallel_geometry(state.range(0), 1.0, state.range(1));
}

void set_ray_samples(benchmark::State& state, const CtGeometry& g) {
  state.counters["ray_samples_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * g.views() * g.detectors * g.image_nx), benchmark::Counter::kIsRate);
}

void BM_joseph_forward(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(2)));
  const CtGeometry g = geometry(state);
  const JosephProjector projector(g);
  const Image image = rasterize(shepp_logan(0.45 * static_cast<double>(g.image_nx)), g.image_geometry(), 1);
  Image sinogram(projector.range());
  for (auto _ : state) projector.apply(image, sinogram);
  set_ray_samples(state, g);
}
BENCHMARK(BM_joseph_forward)->Apply(projector_arguments);

void BM_joseph_adjoint(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(2)));
  const CtGeometry g = geometry(state);
  const JosephProjector projector(g);
  Image sinogram(projector.range());
  fill_normal(sinogram, 1);
  Image image(projector.domain());
  for (auto _ : state) projector.adjoint(sinogram, image);
  set_ray_samples(state, g);
}
BENCHMARK(BM_joseph_adjoint)->Apply(projector_arguments);

void BM_fbp(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(2)));
  const CtGeometry g = geometry(state);
  const FilteredBackprojection fbp(g);
  const Image sinogram = analytic_sinogram(shepp_logan(0.45 * static_cast<double>(g.image_nx)), g);
  for (auto _ : state) benchmark::DoNotOptimize(fbp.reconstruct(sinogram).data());
  state.counters["pixels_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * g.image_nx * g.image_ny), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_fbp)->Apply(projector_arguments);

// Fan beam at clinical proportions (source–isocentre 595 mm, source–detector 1085.6 mm), 512²
// pixels of 1 mm, 720 views over 360°. Arguments: detector shape (0 flat, 1 arc), threads.
void fan_arguments(benchmark::internal::Benchmark* b) {
  for (int shape : {0, 1}) {
    for (int threads : {1, 2}) b->Args({shape, threads});
  }
  b->ArgNames({"arc", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

CtGeometry fan_geometry(const benchmark::State& state) {
  CtGeometry g = parallel_geometry(512, 1.0, 720, 360.0);
  g.beam = BeamShape::fan;
  g.detector_shape = state.range(0) == 1 ? DetectorShape::arc : DetectorShape::flat;
  g.source_to_isocentre_mm = 595.0;
  g.source_to_detector_mm = 1085.6;
  g.detector_spacing_mm = 1.0 * g.source_to_detector_mm / g.source_to_isocentre_mm;
  return g;
}

void BM_fan_forward(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  const JosephProjector projector(fan_geometry(state));
  const Image image = rasterize(shepp_logan(0.45 * 512), projector.geometry().image_geometry(), 1);
  Image sinogram(projector.range());
  for (auto _ : state) projector.apply(image, sinogram);
  set_ray_samples(state, projector.geometry());
}
BENCHMARK(BM_fan_forward)->Apply(fan_arguments);

void BM_fan_adjoint(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  const JosephProjector projector(fan_geometry(state));
  Image sinogram(projector.range());
  fill_normal(sinogram, 1);
  Image image(projector.domain());
  for (auto _ : state) projector.adjoint(sinogram, image);
  set_ray_samples(state, projector.geometry());
}
BENCHMARK(BM_fan_adjoint)->Apply(fan_arguments);

// Four slices projected or back-projected in one call, as `tweedie project`/`backproject` and the
// ITK filters pass a volume: parallel beam (512², 720 views over 180°) or the fan beam above with
// an arc detector. Arguments: fan (0 or 1), threads.
void BM_volume(benchmark::State& state, bool adjoint) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  constexpr std::int64_t kSlices = 4;
  const JosephProjector projector(state.range(0) == 1 ? fan_geometry(state) : parallel_geometry(512, 1.0, 720), kSlices);
  Image sinogram(projector.range()), image(projector.domain());
  fill_normal(adjoint ? sinogram : image, 1);
  for (auto _ : state) {
    if (adjoint) projector.adjoint(sinogram, image);
    else projector.apply(image, sinogram);
  }
  state.counters["slices_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kSlices), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_volume, forward, false)
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->ArgNames({"fan", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_volume, adjoint, true)
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->ArgNames({"fan", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_fan_fbp(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  const CtGeometry g = fan_geometry(state);
  const FilteredBackprojection fbp(g);
  const Image sinogram = analytic_sinogram(shepp_logan(0.45 * 512), g);
  for (auto _ : state) benchmark::DoNotOptimize(fbp.reconstruct(sinogram).data());
  state.counters["pixels_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * g.image_nx * g.image_ny), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_fan_fbp)->Apply(fan_arguments);

// Arguments: image size, threads.
void image_arguments(benchmark::internal::Benchmark* b) {
  for (int n : {256, 512, 1024}) {
    for (int threads : {1, 2}) b->Args({n, threads});
  }
  b->ArgNames({"n", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

void run_image_operator(benchmark::State& state, const LinearOperator& op) {
  Image x(op.domain()), y(op.range());
  fill_normal(x, 1);
  for (auto _ : state) op.apply(x, y);
  state.counters["pixels_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * x.size()), benchmark::Counter::kIsRate);
}

// A 4-slice volume so that slices can run in parallel.
ImageGeometry volume(const benchmark::State& state) {
  return {.shape = Shape::volume(state.range(0), state.range(0), 4)};
}

void BM_gaussian_blur_zero_boundary(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  run_image_operator(state, Convolution(volume(state), gaussian_kernel(1.6), Boundary::zero));
}
BENCHMARK(BM_gaussian_blur_zero_boundary)->Apply(image_arguments);

// One slice, as the CT data step preconditions it: the threads share the slice's transforms.
void BM_ramp_filter(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  run_image_operator(state, *ramp_filter({.shape = Shape::image(state.range(0), state.range(0))}, 1.0));
}
BENCHMARK(BM_ramp_filter)->Apply(image_arguments);

void BM_decimation_x2(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  run_image_operator(state, *make_decimation(volume(state), 2, 1.0));
}
BENCHMARK(BM_decimation_x2)->Apply(image_arguments);

}  // namespace

BENCHMARK_MAIN();
