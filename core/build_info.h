// What this build of Tweedie is: its version, source revision, compiler and flags, and the
// versions of the libraries it was built against (as `tweedie info` prints them).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tweedie {

using NamedValues = std::vector<std::pair<std::string, std::string>>;

/// "0.1.0": the version stamped into model files and effective configurations.
std::string tweedie_version();

/// Version, git revision, build type, compiler, compile flags.
NamedValues build_description();

/// Versions of the libraries core is built against (Eigen, oneTBB with its runtime, ITK).
NamedValues core_library_versions();

}  // namespace tweedie
