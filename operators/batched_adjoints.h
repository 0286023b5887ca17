// Several solves on one operator, each of its own slice (the slices of a CT volume), run side by
// side so that their adjoints go as one call on a stack of slices: the fan-beam back-projection of
// a stack shares each image row's ray tables among its slices and costs about half as much per
// slice as one slice alone (JosephProjector::slices_sharing_work).
//
// Each task runs on a thread of its own, but they take turns: one computes at a time (with every
// thread of oneTBB inside), and it hands the turn on when it reaches an adjoint. When every task
// still running is waiting at an adjoint, the last to arrive computes all of them as one stacked
// call. The stacked adjoint must equal the one-slice adjoint slice for slice, bit for bit; a task's
// results are then exactly those of running it alone, and callbacks made from the tasks never
// run at the same time.
//
//   run_with_batched_adjoints(projector, [&](std::int64_t n) { return stack_of(n); }, tasks);
#pragma once

#include "operators/linear_operator.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace tweedie {

/// The same operator on a stack of n slices (n ≥ 2): domain and range of n slices each.
using StackedOperatorFactory = std::function<std::shared_ptr<const LinearOperator>(std::int64_t slices)>;

/// A task, given the operator whose adjoint it must use: `one_slice` with the adjoint batched.
using BatchedTask = std::function<void(const std::shared_ptr<const LinearOperator>& op)>;

/// Runs every task to its end as described above. If tasks throw, the others stop at their next
/// adjoint, and the exception of the first task (in order) that failed by itself is rethrown.
void run_with_batched_adjoints(std::shared_ptr<const LinearOperator> one_slice, StackedOperatorFactory stacked,
                               const std::vector<BatchedTask>& tasks);

}  // namespace tweedie
