#include "pipelines/library_versions.h"

#include <fftw3.h>
#include <nlohmann/json.hpp>

namespace tweedie {

NamedValues library_versions() {
  NamedValues entries = core_library_versions();
  entries.emplace_back("FFTW", fftwf_version);
  entries.emplace_back("nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                            std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                            std::to_string(NLOHMANN_JSON_VERSION_PATCH));
  return entries;
}

}  // namespace tweedie
