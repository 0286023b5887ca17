// A low-dose scan of a Shepp–Logan phantom reconstructed by Tweedie's default (PnP-HQS with the
// bundled ct model), all through the installed library: what `tweedie simulate` and `tweedie recon`
// do, in a dozen calls.
//
//   reconstruct_ct [OUTPUT.nii.gz]
#include <core/image_io.h>
#include <operators/hounsfield.h>
#include <operators/low_dose.h>
#include <operators/phantom.h>
#include <pipelines/ct_reconstruction.h>

#include <iostream>

int main(int argc, char** argv) {
  try {
    const tweedie::CtGeometry geometry = tweedie::parallel_geometry(128, 2.0, 180);
    tweedie::Image phantom = tweedie::rasterize(tweedie::shepp_logan(128.0), geometry.image_geometry());
    phantom.array() *= static_cast<float>(tweedie::kWaterAttenuationPerMm);  // 1 → water
    const tweedie::LowDoseSinogram scan =
        tweedie::simulate_low_dose(tweedie::project_volume(geometry, phantom), {.incident_photons = 1e4, .seed = 1});

    tweedie::Image reference = phantom.clone();
    tweedie::attenuation_to_hounsfield(reference);
    const tweedie::CtReconstructionOptions options;  // PnP-HQS, ct model, HU out
    const tweedie::CtReconstruction r =
        tweedie::reconstruct_ct(geometry, scan.line_integrals, &scan.weights, &reference, options);
    std::cout << r.summary.full_report();
    if (argc > 1) tweedie::write_image(r.volume, argv[1]);
    return 0;
  } catch (const tweedie::Error& error) {
    std::cerr << "reconstruct_ct: " << error.what() << '\n';
    return 1;
  }
}
