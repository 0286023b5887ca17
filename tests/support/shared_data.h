// Access to ../shared/data (real training and validation images). Tests that need it are skipped,
// with the reason printed, when it is absent.
#pragma once

#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace tweedie::testing {

inline std::filesystem::path shared_data() { return TWEEDIE_SHARED_DATA; }

/// Boost.Test precondition: the test runs only if `relative` exists under the shared data folder.
struct SharedDataPresent {
  const char* relative;
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    const std::filesystem::path path = shared_data() / relative;
    boost::test_tools::assertion_result present(std::filesystem::exists(path));
    if (!present) present.message() << "shared data '" << path.string() << "' is absent";
    return present;
  }
};

}  // namespace tweedie::testing
