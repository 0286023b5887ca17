#include "operators/batched_operator.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>

namespace tweedie {
namespace {

// Thrown out of a task's use of the operator once another task has failed.
struct BatchCancelled {};

// What the tasks share: whose turn it is, the applications waiting to be computed together, and
// the stacked operators made so far (one per operator and stack size).
class Meeting {
 public:
  Meeting(std::vector<SharedOperator> operators, std::size_t tasks)
      : operators_(std::move(operators)), stacks_(operators_.size()), running_(tasks) {}

  const LinearOperator& one_slice(std::size_t op) const { return *operators_[op].one_slice; }

  void take_turn() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return turn_free_; });
    turn_free_ = false;
  }

  // out = A in (or Aᵀ in), A operator `op`, for the task holding the turn, which holds it again
  // on return.
  void apply(std::size_t op, bool adjoint, const Image& in, Image& out) {
    std::unique_lock lock(mutex_);
    if (cancelled_) throw BatchCancelled{};
    waiting_.push_back({op, adjoint, &in, &out});
    if (waiting_.size() < running_) {
      const std::uint64_t meeting = meetings_;
      turn_free_ = true;
      changed_.notify_all();
      changed_.wait(lock, [&] { return turn_free_ && (meetings_ != meeting || cancelled_); });
      turn_free_ = false;
      if (meetings_ == meeting) throw BatchCancelled{};
    } else {
      compute_waiting();
    }
    if (error_) std::rethrow_exception(error_);
  }

  // The task holding the turn has ended; its failure stops the others.
  void finish(bool failed) {
    std::unique_lock lock(mutex_);
    --running_;
    if (failed) {
      cancelled_ = true;
      waiting_.clear();
    } else if (!waiting_.empty() && waiting_.size() == running_) {
      compute_waiting();
    }
    turn_free_ = true;
    changed_.notify_all();
  }

 private:
  struct Waiting {
    std::size_t op;
    bool adjoint;
    const Image* in;
    Image* out;
  };

  // Called with the lock held: every task still running waits here, so none reads the state.
  void compute_waiting() {
    try {
      for (std::size_t op = 0; op < operators_.size(); ++op) {
        for (const bool adjoint : {false, true}) {
          std::vector<Waiting> same;
          std::copy_if(waiting_.begin(), waiting_.end(), std::back_inserter(same),
                       [&](const Waiting& w) { return w.op == op && w.adjoint == adjoint; });
          if (!same.empty()) compute_stacked(op, adjoint, same);
        }
      }
    } catch (...) {
      error_ = std::current_exception();
    }
    waiting_.clear();
    ++meetings_;
  }

  // The applications `calls`, all of operator `index` or all of its adjoint, as one call on a stack.
  void compute_stacked(std::size_t index, bool adjoint, const std::vector<Waiting>& calls) {
    const auto count = static_cast<std::int64_t>(calls.size());
    const auto run = [adjoint](const LinearOperator& op, const Image& in, Image& out) {
      if (adjoint) op.adjoint(in, out);
      else op.apply(in, out);
    };
    if (count == 1) return run(one_slice(index), *calls.front().in, *calls.front().out);
    std::shared_ptr<const LinearOperator>& op = stacks_[index][count];
    if (!op) op = operators_[index].stacked(count);
    Image ins(adjoint ? op->range() : op->domain()), outs(adjoint ? op->domain() : op->range());
    for (std::int64_t k = 0; k < count; ++k) ins.slice(k) = calls[static_cast<std::size_t>(k)].in->slice(0);
    run(*op, ins, outs);
    for (std::int64_t k = 0; k < count; ++k) calls[static_cast<std::size_t>(k)].out->slice(0) = outs.slice(k);
  }

  std::vector<SharedOperator> operators_;
  std::vector<std::map<std::int64_t, std::shared_ptr<const LinearOperator>>> stacks_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool turn_free_ = true;
  bool cancelled_ = false;
  std::size_t running_;
  std::vector<Waiting> waiting_;
  std::uint64_t meetings_ = 0;
  std::exception_ptr error_;
};

// A one-slice operator with its applications computed in the meeting.
class BatchMember final : public LinearOperator {
 public:
  BatchMember(Meeting& meeting, std::size_t op) : meeting_(meeting), op_(op) {}
  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override { return one_slice().domain(); }
  ImageGeometry range() const override { return one_slice().range(); }
  void apply(const Image& x, Image& y) const override {
    require_same_shape(domain().shape, x.shape(), "the operator input");
    require_same_shape(range().shape, y.shape(), "the operator output");
    meeting_.apply(op_, false, x, y);
  }
  void adjoint(const Image& y, Image& x) const override {
    require_same_shape(range().shape, y.shape(), "the adjoint's input");
    require_same_shape(domain().shape, x.shape(), "the adjoint's output");
    meeting_.apply(op_, true, y, x);
  }
  bool solve_shifted_normal(const Image& b, double rho, Image& x) const override {
    return one_slice().solve_shifted_normal(b, rho, x);
  }
  std::shared_ptr<const LinearOperator> normal_preconditioner(double damping) const override {
    return one_slice().normal_preconditioner(damping);
  }

 private:
  const LinearOperator& one_slice() const { return meeting_.one_slice(op_); }

  Meeting& meeting_;
  std::size_t op_;
};

}  // namespace

void run_with_batched_operators(std::vector<SharedOperator> operators, const std::vector<BatchedTask>& tasks) {
  const std::size_t count = operators.size();
  Meeting meeting(std::move(operators), tasks.size());
  std::vector<std::shared_ptr<const LinearOperator>> members;
  for (std::size_t op = 0; op < count; ++op) members.push_back(std::make_shared<const BatchMember>(meeting, op));
  std::vector<std::exception_ptr> failures(tasks.size());
  const auto run = [&](std::size_t k) {
    meeting.take_turn();
    bool failed = true;
    try {
      tasks[k](members);
      failed = false;
    } catch (const BatchCancelled&) {
    } catch (...) {
      failures[k] = std::current_exception();
    }
    meeting.finish(failed);
  };
  {
    // The first task runs on the calling thread, the others on threads of their own.
    std::vector<std::jthread> threads;
    threads.reserve(tasks.size());
    for (std::size_t k = 1; k < tasks.size(); ++k) {
      try {
        threads.emplace_back(run, k);
      } catch (...) {  // no thread for task k: it, those after it and the first end as failed, stopping the others
        const std::size_t unstarted = tasks.size() - k + 1;
        for (std::size_t i = 0; i < unstarted; ++i) {
          meeting.take_turn();
          meeting.finish(true);
        }
        throw;
      }
    }
    if (!tasks.empty()) run(0);
  }
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace tweedie
