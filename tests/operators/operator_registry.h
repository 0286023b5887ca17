// Every operator of Tweedie, by name, with a small instance: the property tests run on each, so a
// new operator is tested by being registered here.
#pragma once

#include "operators/linear_operator.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tweedie::testing {

struct RegisteredOperator {
  std::string name;
  std::function<std::shared_ptr<LinearOperator>()> make;
};

const std::vector<RegisteredOperator>& operator_registry();

}  // namespace tweedie::testing
