#include "apps/option_checks.h"

#include <cmath>
#include <functional>
#include <sstream>

namespace tweedie::app {
namespace {

std::string number_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// A validator that parses the value as a number and asks `accepts`; `requirement` completes
// "must be …".
CLI::Validator number_check(std::function<bool(double)> accepts, const std::string& requirement) {
  return CLI::Validator(
      [accepts, requirement](std::string& input) -> std::string {
        double value = 0.0;
        if (!CLI::detail::lexical_cast(input, value) || std::isnan(value)) return "must be a number, got '" + input + "'";
        if (!std::isfinite(value)) return "must be a finite number, got '" + input + "'";
        if (!accepts(value)) return "must be " + requirement + ", got " + input;
        return {};
      },
      requirement);
}

}  // namespace

CLI::Validator positive() {
  return number_check([](double v) { return v > 0; }, "positive");
}

CLI::Validator non_negative() {
  return number_check([](double v) { return v >= 0; }, "at least 0");
}

CLI::Validator at_least(double bound) {
  return number_check([bound](double v) { return v >= bound; }, "at least " + number_text(bound));
}

CLI::Validator between(double low, double high) {
  return number_check([low, high](double v) { return v >= low && v <= high; },
                      "between " + number_text(low) + " and " + number_text(high));
}

}  // namespace tweedie::app
