// Several solves on one operator, each of its own slice (the slices of a CT volume), run side by
// side so that their projections and back-projections go as calls on stacks of slices: the Joseph
// projector shares each vector of rays' positions among the slices of a stack, and in fan beam
// each image row's ray tables (JosephProjector::slices_sharing_work).
//
// Each task runs on a thread of its own, but they take turns: one computes at a time (with every
// thread of oneTBB inside), and it hands the turn on when it applies the operator or its adjoint.
// When every task still running waits there, the last to arrive computes them all: the waiting
// projections as one stacked call, the waiting back-projections as another. The stacked operator
// must equal the one-slice operator slice for slice, bit for bit; a task's results are then
// exactly those of running it alone, and callbacks made from the tasks never run at the same time.
//
//   run_with_batched_operator(projector, [&](std::int64_t n) { return stack_of(n); }, tasks);
#pragma once

#include "operators/linear_operator.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace tweedie {

/// The same operator on a stack of n slices (n ≥ 2): domain and range of n slices each.
using StackedOperatorFactory = std::function<std::shared_ptr<const LinearOperator>(std::int64_t slices)>;

/// A task, given the operator it must use: `one_slice`, with its applications batched. The
/// operator is valid while the tasks run.
using BatchedTask = std::function<void(const std::shared_ptr<const LinearOperator>& op)>;

/// Runs every task to its end as described above. If tasks throw, the others stop at their next
/// use of the operator, and the exception of the first task (in order) that failed by itself is
/// rethrown.
void run_with_batched_operator(std::shared_ptr<const LinearOperator> one_slice, StackedOperatorFactory stacked,
                               const std::vector<BatchedTask>& tasks);

}  // namespace tweedie
