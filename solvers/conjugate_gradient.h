// Conjugate gradients for M x = b with M symmetric positive definite, given as a function, optionally
// preconditioned by a symmetric positive definite P ≈ M⁻¹ (Shewchuk 1994, §B3: each step minimises
// the M-norm error over a Krylov space of PM, whose spectrum is flatter when P is good).
#pragma once

#include "core/image.h"

#include <functional>

namespace tweedie {

using SymmetricOperator = std::function<void(const Image& x, Image& mx)>;

/// Improves `x` (the warm start) for at most `iterations` steps or until ‖b − Mx‖ ≤ tolerance·‖b‖;
/// returns the number of steps taken. An empty `preconditioner` is the identity. `mx`, if given
/// and not empty, is M x on entry (which saves one application of M); on return it holds M x for
/// the returned x, as b minus the recursively updated residual.
int conjugate_gradient(const SymmetricOperator& m, const Image& b, Image& x, int iterations, double tolerance,
                       const SymmetricOperator& preconditioner = {}, Image* mx = nullptr);

}  // namespace tweedie
