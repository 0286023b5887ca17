// The default CT reconstruction of one 512² slice, end to end as `tweedie recon` runs it (FBP
// start, PnP-HQS with the bundled ct model, the defaults of pipelines/ct_defaults.cpp): slice 2 of
// the bundled abdomen sample, 720 views at I0 = 1e4, parallel and fan beam.
#include "core/image_io.h"
#include "operators/ct_geometry.h"
#include "operators/joseph_projector.h"
#include "operators/low_dose.h"
#include "pipelines/ct_reconstruction.h"
#include "pipelines/ct_volume.h"

#include <benchmark/benchmark.h>

#include <filesystem>

namespace {

using namespace tweedie;

void BM_default_ct_reconstruction(benchmark::State& state, BeamShape beam) {
  const CtGeometry geometry = make_geometry({.beam = beam, .views = 720, .image_size = 512, .pixel_spacing_mm = 0.9765625});
  const Image volume = read_attenuation_image(
      (std::filesystem::path(TWEEDIE_SOURCE_DIR) / "data/ct/abdomen_siemens_4sl.nii.gz").string(), geometry,
      ImageUnits::hounsfield);
  const Image slice = slice_of(volume, 2, geometry.image_geometry());
  const LowDoseSinogram scan =
      simulate_low_dose(JosephProjector(geometry).apply(slice), {.incident_photons = 1e4, .seed = 1});
  for (auto _ : state) {
    const CtReconstruction r = reconstruct_ct(geometry, scan.line_integrals, &scan.weights, nullptr, {});
    benchmark::DoNotOptimize(r.volume.data());
  }
}
BENCHMARK_CAPTURE(BM_default_ct_reconstruction, parallel, BeamShape::parallel)
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
BENCHMARK_CAPTURE(BM_default_ct_reconstruction, fan, BeamShape::fan)
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
