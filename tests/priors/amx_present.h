// Boost.Test precondition for the amx-bf16 backend's tests: they are skipped, with the reason in
// the log, where the CPU or operating system offers no AMX-BF16.
#pragma once

#include "priors/amx_convolution.h"

#include <boost/test/unit_test.hpp>

namespace tweedie::testing {

inline boost::test_tools::assertion_result amx_present(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result result(amx_bf16_available());
  result.message() << "this CPU or operating system does not offer AMX-BF16: the amx-bf16 backend is not tested";
  return result;
}

}  // namespace tweedie::testing
