// The DAE engine: one 64→64 3×3 convolution layer forward and backward, one training step
// (forward, backward, Adam) on 64 patches of 40×40 and of 64×64, and inference on a 512×512 image, for each
// convolution backend. Throughput in multiply–add-based GFLOP/s (2 flops per multiply–add; the
// backward pass counts twice the forward's). BM3D, the classical baseline, on a 256×256 image.
#include "core/image_ops.h"
#include "core/threading.h"
#include "priors/amx_convolution.h"
#include "priors/adam.h"
#include "priors/bm3d.h"
#include "priors/im2col_convolution.h"
#include "priors/denoising_network.h"

#include <benchmark/benchmark.h>
#include <cmath>
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#include <tbb/parallel_for.h>

namespace {

using namespace tweedie;

// Arguments: backend (0 reference, 1 winograd, 2 amx-bf16 where the CPU has AMX: the order of
// ConvBackend), threads.
void backend_arguments(benchmark::internal::Benchmark* b) {
  for (int backend : {0, 1, 2}) {
    if (static_cast<ConvBackend>(backend) == ConvBackend::amx_bf16 && !amx_bf16_available()) continue;
    for (int threads : {1, 2}) b->Args({backend, threads});
  }
  b->ArgNames({"backend", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

ConvBackend backend_of(const benchmark::State& state) { return static_cast<ConvBackend>(state.range(0)); }

// The bundled models' architecture (models/README.md).
const NetworkArchitecture kBundled{.depth = 15, .width = 64, .kernel = 3, .unshuffle = 2};

void set_flops(benchmark::State& state, double flops_per_iteration) {
  state.counters["GFLOP/s"] = benchmark::Counter(flops_per_iteration * static_cast<double>(state.iterations()) * 1e-9,
                                                 benchmark::Counter::kIsRate);
}

Tensor filled(const TensorShape& shape, float value) {
  Tensor t(shape);
  for (float& v : t.values()) v = value;
  return t;
}

// A three-layer stack whose work is mostly one hidden 64 → 64 layer.
void BM_conv_layer(benchmark::State& state, bool backward) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  const NetworkArchitecture stack{.depth = 3, .width = 64, .kernel = 3, .unshuffle = 1};  // 2 → 64 → 64 → 1
  auto layers = std::make_unique<ConvStack>(stack, backend_of(state));
  std::vector<float> parameters(static_cast<std::size_t>(stack.parameter_count()), 0.01f);
  layers->set_parameters(parameters);
  const Tensor input = filled({64, 40, 40, 2}, 0.5f);
  Tensor output, grad_input;
  std::vector<float> grad(parameters.size());
  layers->forward(input, output, backward);  // makes the kernels for this shape
  if (backward) layers->backward(output, &grad_input, grad);
  for (auto _ : state) {
    layers->forward(input, output, backward);
    if (backward) layers->backward(output, &grad_input, grad);
  }
  const double macs = 64.0 * 40 * 40 * 9 * (2 * 64 + 64 * 64 + 64);
  set_flops(state, 2 * macs * (backward ? 3 : 1));
}
BENCHMARK_CAPTURE(BM_conv_layer, forward, false)->Apply(backend_arguments);
BENCHMARK_CAPTURE(BM_conv_layer, forward_backward, true)->Apply(backend_arguments);

// One Adam step on 64 patches of side `patch`: 40 (the PyTorch comparison) or 64 (the bundled
// models' recipes).
void BM_training_step(benchmark::State& state, std::int64_t patch) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  DenoisingNetwork net(kBundled, backend_of(state));
  net.initialise(1);
  Adam adam(net.parameters().size());
  std::vector<float> parameters(net.parameters().begin(), net.parameters().end()), grad(parameters.size());
  const Tensor noisy = filled({64, patch, patch, 1}, 0.5f);
  const std::vector<float> sigmas(64, 0.1f);
  Tensor denoised;
  net.forward(noisy, sigmas, denoised, true);  // makes the kernels for this shape
  for (auto _ : state) {
    net.forward(noisy, sigmas, denoised, true);
    std::fill(grad.begin(), grad.end(), 0.0f);
    net.backward(denoised, nullptr, grad);
    adam.step(parameters, grad, 1e-4);
    net.set_parameters(parameters);
  }
  set_flops(state, 3 * 2 * kBundled.multiply_adds_per_pixel() * 64 * static_cast<double>(patch * patch));
  state.counters["patches_per_s"] = benchmark::Counter(64.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_training_step, patch40, 40)->Apply(backend_arguments);
BENCHMARK_CAPTURE(BM_training_step, patch64, 64)->Apply(backend_arguments);

void BM_inference_512(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  DenoisingNetwork net(kBundled, backend_of(state));
  net.initialise(1);
  const Tensor noisy = filled({1, 512, 512, 1}, 0.5f);
  const std::vector<float> sigmas{0.1f};
  Tensor denoised;
  net.forward(noisy, sigmas, denoised, false);  // makes the kernels for this shape
  for (auto _ : state) net.forward(noisy, sigmas, denoised, false);
  set_flops(state, 2 * kBundled.multiply_adds_per_pixel() * 512 * 512);
}
BENCHMARK(BM_inference_512)->Apply(backend_arguments);

// Both steps of BM3D on a 256×256 picture of smooth regions and stripes plus noise of σ = 25.
void BM_bm3d_256(benchmark::State& state) {
  const ThreadLimit limit(static_cast<int>(state.range(0)));
  Image noisy(Shape::image(256, 256));
  fill_normal(noisy, 1);
  for (std::int64_t j = 0; j < 256; ++j) {
    for (std::int64_t i = 0; i < 256; ++i) {
      noisy.at(i, j) = static_cast<float>(100.0 + 60.0 * std::sin(0.7 * static_cast<double>(i)) * (j > 128 ? 1.0 : 0.0) + 25.0 * noisy.at(i, j));
    }
  }
  Bm3dDenoiser bm3d;
  for (auto _ : state) benchmark::DoNotOptimize(bm3d.denoise(noisy, 25.0));
}
BENCHMARK(BM_bm3d_256)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// This machine's GEMM peak, the yardstick for the engine's GFLOP/s: 1024³ float matrix products,
// one per thread (Eigen, which never threads itself here) or one threaded call (oneDNN's sgemm).
void BM_gemm_peak(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(1));
  const ThreadLimit limit(threads);
  constexpr Eigen::Index n = 1024;
  const Eigen::MatrixXf a = Eigen::MatrixXf::Constant(n, n, 0.5f), b = Eigen::MatrixXf::Constant(n, n, 0.25f);
  std::vector<Eigen::MatrixXf> c(static_cast<std::size_t>(threads), Eigen::MatrixXf(n, n));
  const bool onednn = state.range(0) == 1;
  if (onednn) omp_set_num_threads(threads);
  for (auto _ : state) {
    if (onednn) {
      dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c[0].data(), n);
    } else {
      tbb::parallel_for(0, threads, [&](int t) { c[static_cast<std::size_t>(t)].noalias() = a * b; });
    }
  }
  set_flops(state, 2.0 * n * n * n * (onednn ? 1 : threads));
}
BENCHMARK(BM_gemm_peak)
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->ArgNames({"onednn", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
