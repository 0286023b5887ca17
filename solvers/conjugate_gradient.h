// Conjugate gradients for M x = b with M symmetric positive definite, given as a function.
#pragma once

#include "core/image.h"

#include <functional>

namespace tweedie {

using SymmetricOperator = std::function<void(const Image& x, Image& mx)>;

/// Improves `x` (the warm start) for at most `iterations` steps or until ‖b − Mx‖ ≤ tolerance·‖b‖;
/// returns the number of steps taken.
int conjugate_gradient(const SymmetricOperator& m, const Image& b, Image& x, int iterations, double tolerance);

}  // namespace tweedie
