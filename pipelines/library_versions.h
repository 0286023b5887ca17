// The versions of every library the pipelines are built against, as `tweedie info` prints them and
// a study's manifest records them.
#pragma once

#include "core/build_info.h"

namespace tweedie {

/// Eigen, oneTBB (with its runtime), ITK, FFTW and nlohmann_json.
NamedValues library_versions();

}  // namespace tweedie
