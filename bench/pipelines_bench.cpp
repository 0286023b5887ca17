// The default CT reconstruction of 512² slices, end to end as `tweedie recon` runs it (FBP start,
// PnP-HQS with the bundled ct model, the defaults of pipelines/ct_defaults.cpp): the four slices of
// the bundled abdomen sample as one volume, 720 views at I0 = 1e4, parallel and fan beam; the time
// per slice is the counter `seconds_per_slice`.
#include "core/image_io.h"
#include "operators/ct_geometry.h"
#include "operators/low_dose.h"
#include "pipelines/ct_reconstruction.h"
#include "pipelines/ct_volume.h"

#include <benchmark/benchmark.h>

#include <filesystem>

namespace {

using namespace tweedie;

void BM_default_ct_reconstruction(benchmark::State& state, BeamShape beam) {
  CtScanSpec spec;
  spec.beam = beam;
  spec.pixel_spacing_mm = 0.9765625;
  const CtGeometry geometry = make_geometry(spec);
  const Image volume = read_attenuation_image(
      (std::filesystem::path(TWEEDIE_SOURCE_DIR) / "data/ct/abdomen_siemens_4sl.nii.gz").string(), geometry,
      ImageUnits::hounsfield);
  const LowDoseSinogram scan = simulate_low_dose(project_volume(geometry, volume), {.incident_photons = 1e4, .seed = 1});
  for (auto _ : state) {
    const CtReconstruction r = reconstruct_ct(geometry, scan.line_integrals, &scan.weights, nullptr, {});
    benchmark::DoNotOptimize(r.volume.data());
  }
  const auto slices = static_cast<double>(volume.shape().nz);
  state.counters["seconds_per_slice"] =
      benchmark::Counter(slices * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK_CAPTURE(BM_default_ct_reconstruction, parallel, BeamShape::parallel)
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
BENCHMARK_CAPTURE(BM_default_ct_reconstruction, fan, BeamShape::fan)
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
