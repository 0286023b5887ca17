#include "apps/ct_options.h"

namespace tweedie::app {

void add_ct_options(CLI::App& parser, CtOptions& options) {
  parser.add_option("--geometry", options.geometry, "CT geometry file (JSON; see `tweedie geometry`)")
      ->required();
  parser.add_option("--units", options.units,
                    "Image units: hu (Hounsfield, μ = 0.0193 mm⁻¹·(1 + HU/1000)) or attenuation (mm⁻¹)")
      ->check(CLI::IsMember({"hu", "attenuation"}))
      ->capture_default_str();
}

}  // namespace tweedie::app
