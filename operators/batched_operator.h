// Several solves on the same operators, each of its own slice (the slices of a CT volume), run
// side by side so that their projections and back-projections go as calls on stacks of slices:
// the Joseph projector shares each vector of rays' positions among the slices of a stack, and in
// fan beam each image row's ray tables (JosephProjector::slices_sharing_work).
//
// Each task runs on a thread of its own, but they take turns: one computes at a time (with every
// thread of oneTBB inside), and it hands the turn on when it applies an operator or its adjoint.
// When every task still running waits there, the last to arrive computes them all: the waiting
// projections of each operator as one stacked call, its waiting back-projections as another. A
// stacked operator must equal its one-slice operator slice for slice, bit for bit; a task's
// results are then exactly those of running it alone, and callbacks made from the tasks never run
// at the same time.
//
//   run_with_batched_operators({{projector, [&](std::int64_t n) { return stack_of(n); }}}, tasks);
#pragma once

#include "operators/linear_operator.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace tweedie {

/// The same operator on a stack of n slices (n ≥ 2): domain and range of n slices each.
using StackedOperatorFactory = std::function<std::shared_ptr<const LinearOperator>(std::int64_t slices)>;

/// An operator the tasks share: the one-slice operator and how to make it for stacks.
struct SharedOperator {
  std::shared_ptr<const LinearOperator> one_slice;
  StackedOperatorFactory stacked;
};

/// A task, given the operators it must use: each `one_slice`, with its applications batched, in
/// the order given. They are valid while the tasks run.
using BatchedTask = std::function<void(std::span<const std::shared_ptr<const LinearOperator>> operators)>;

/// Runs every task to its end as described above. If tasks throw, the others stop at their next
/// use of an operator, and the exception of the first task (in order) that failed by itself is
/// rethrown.
void run_with_batched_operators(std::vector<SharedOperator> operators, const std::vector<BatchedTask>& tasks);

}  // namespace tweedie
