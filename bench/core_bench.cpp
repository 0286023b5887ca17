// Throughput of core: image IO per format and the quality metrics, over image sizes.
#include "core/image_io.h"
#include "core/metrics.h"
#include "core/random.h"

#include <benchmark/benchmark.h>

#include <filesystem>

namespace {

using namespace tweedie;
namespace fs = std::filesystem;

Image noisy_image(std::int64_t n, std::uint64_t seed) {
  Image image(Shape::image(n, n));
  const CounterRng rng(seed);
  for (std::int64_t i = 0; i < image.size(); ++i) {
    image.data()[i] = static_cast<float>(100.0 + 20.0 * rng.normal(static_cast<std::uint64_t>(i)));
  }
  return image;
}

void BM_mse(benchmark::State& state) {
  const Image a = noisy_image(state.range(0), 1), b = noisy_image(state.range(0), 2);
  for (auto _ : state) benchmark::DoNotOptimize(mse(a, b));
  state.SetItemsProcessed(state.iterations() * a.size());
}
BENCHMARK(BM_mse)->RangeMultiplier(2)->Range(256, 2048)->UseRealTime();

void BM_ssim(benchmark::State& state) {
  const Image a = noisy_image(state.range(0), 1), b = noisy_image(state.range(0), 2);
  for (auto _ : state) benchmark::DoNotOptimize(ssim(a, b, 255.0));
  state.SetItemsProcessed(state.iterations() * a.size());
}
BENCHMARK(BM_ssim)->RangeMultiplier(2)->Range(256, 2048)->UseRealTime();

// Write then read back the bundled 512×512×4 CT sample in the format the extension names.
void BM_write_read(benchmark::State& state, const char* name) {
  const fs::path path = fs::temp_directory_path() / (std::string("tweedie-bench-") + name);
  const Image volume = read_image(fs::path(TWEEDIE_SOURCE_DIR) / "data/ct/abdomen_siemens_4sl.nii.gz");
  for (auto _ : state) {
    write_image(volume, path);
    benchmark::DoNotOptimize(read_image(path).data());
  }
  state.SetBytesProcessed(state.iterations() * volume.size() * static_cast<std::int64_t>(sizeof(float)));
  fs::remove_all(path);
  fs::remove(fs::path(path).replace_extension(".raw"));
}
BENCHMARK_CAPTURE(BM_write_read, mha, "volume.mha")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_write_read, nii, "volume.nii")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_write_read, nii_gz, "volume.nii.gz")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_write_read, dicom_series, "dicom")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
