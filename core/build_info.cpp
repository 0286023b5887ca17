#include "core/build_info.h"

#include "tweedie/build_config.h"
#include "tweedie/git_revision.h"

#include <Eigen/Core>
#include <itkConfigure.h>
#include <tbb/version.h>

namespace tweedie {

NamedValues build_description() {
  return {{"version", TWEEDIE_VERSION},
          {"git revision", TWEEDIE_GIT_REVISION},
          {"build type", TWEEDIE_BUILD_TYPE},
          {"compiler", TWEEDIE_COMPILER},
          {"compile flags", TWEEDIE_COMPILE_FLAGS}};
}

std::string tweedie_version() { return TWEEDIE_VERSION; }

NamedValues core_library_versions() {
  const auto number = [](int value) { return std::to_string(value); };
  return {{"Eigen", number(EIGEN_WORLD_VERSION) + "." + number(EIGEN_MAJOR_VERSION) + "." +
                        number(EIGEN_MINOR_VERSION)},
          {"oneTBB", std::string(TBB_VERSION_STRING) + " (runtime " + TBB_runtime_version() + ")"},
          {"ITK", number(ITK_VERSION_MAJOR) + "." + number(ITK_VERSION_MINOR) + "." +
                      number(ITK_VERSION_PATCH)}};
}

}  // namespace tweedie
