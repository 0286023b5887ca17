// Validators for numeric options whose messages read well in one line ("--views: must be at least
// 1, got 0"), where CLI11's own print the range's bound as a 300-digit number.
#pragma once

#include <CLI/CLI.hpp>

namespace tweedie::app {

/// A number > 0.
CLI::Validator positive();
/// A number ≥ 0.
CLI::Validator non_negative();
/// A number ≥ `bound` (integers: at least 1 view, one slice, …).
CLI::Validator at_least(double bound);
/// A number in [low, high].
CLI::Validator between(double low, double high);

}  // namespace tweedie::app
