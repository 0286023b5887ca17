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
// at the same time. Tasks may also share nonlinear maps whose results depend on every task's input
// (SharedMap), computed once all of them have asked.
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

/// One call of a shared map: the task making it (its index among the tasks), a parameter (such as
/// a noise level), its input and where its output goes.
struct MapCall {
  std::size_t task;
  double parameter;
  const Image* in;
  Image* out;
};

/// A nonlinear map the tasks share (a 2.5D denoiser: each slice's result depends on its
/// neighbours' inputs). It is computed only when every task still running waits on it, with all
/// their calls in task order.
using SharedMap = std::function<void(std::span<const MapCall> calls)>;
/// How a task applies a shared map: out = map(parameter, in), computed in a meeting.
using MapMember = std::function<void(double parameter, const Image& in, Image& out)>;
/// A task, given its operators (as BatchedTask) and its members of the shared maps.
using BatchedMapTask = std::function<void(std::span<const std::shared_ptr<const LinearOperator>> operators,
                                          std::span<const MapMember> maps)>;

/// Runs every task to its end as described above. If tasks throw, the others stop at their next
/// use of an operator, and the exception of the first task (in order) that failed by itself is
/// rethrown.
void run_with_batched_operators(std::vector<SharedOperator> operators, const std::vector<BatchedTask>& tasks);
/// As above, with shared maps too: a meeting computes the waiting operator applications when there
/// are any, and the maps' calls when every task still running waits on a map.
void run_with_batched_operators(std::vector<SharedOperator> operators, std::vector<SharedMap> maps,
                                const std::vector<BatchedMapTask>& tasks);

}  // namespace tweedie
