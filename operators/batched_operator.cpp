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

// What the tasks share: whose turn it is, the calls waiting to be computed together, and the
// stacked operators made so far (one per operator and stack size).
class Meeting {
 public:
  Meeting(std::vector<SharedOperator> operators, std::vector<SharedMap> maps, std::size_t tasks)
      : operators_(std::move(operators)), maps_(std::move(maps)), stacks_(operators_.size()), running_(tasks) {}

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
    bool done = false;
    waiting_.push_back({Kind::apply, op, adjoint, 0, 0.0, &in, &out, &done});
    await(lock, done);
  }

  // out = map `map`(parameter, in) for task `task`, which holds the turn, as apply().
  void map(std::size_t map, std::size_t task, double parameter, const Image& in, Image& out) {
    std::unique_lock lock(mutex_);
    if (cancelled_) throw BatchCancelled{};
    bool done = false;
    waiting_.push_back({Kind::map, map, false, task, parameter, &in, &out, &done});
    await(lock, done);
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
  enum class Kind { apply, map };
  struct Waiting {
    Kind kind;
    std::size_t index;  ///< of the operator or the map
    bool adjoint;
    std::size_t task;
    double parameter;
    const Image* in;
    Image* out;
    bool* done;
  };

  // Waits, with the turn given up, until the caller's call is computed, and takes the turn again.
  // The last task to arrive computes what is waiting.
  void await(std::unique_lock<std::mutex>& lock, const bool& done) {
    if (waiting_.size() == running_) compute_waiting();
    if (!done) {
      turn_free_ = true;
      changed_.notify_all();
      changed_.wait(lock, [&] { return turn_free_ && (done || cancelled_); });
      turn_free_ = false;
      if (!done) throw BatchCancelled{};
    }
    if (error_) std::rethrow_exception(error_);
  }

  // Called with the lock held when every task still running waits here, so none reads the state.
  // Operator applications first, each operator's and each adjoint's on a stack of their own; the
  // maps only once every task waits on one, so that each sees all of their inputs.
  void compute_waiting() {
    const bool applications = std::ranges::any_of(waiting_, [](const Waiting& w) { return w.kind == Kind::apply; });
    try {
      if (applications) {
        for (std::size_t op = 0; op < operators_.size(); ++op) {
          for (const bool adjoint : {false, true}) {
            compute_stacked(op, adjoint, calls_of(Kind::apply, op, adjoint));
          }
        }
      } else {
        for (std::size_t m = 0; m < maps_.size(); ++m) compute_map(m, calls_of(Kind::map, m, false));
      }
    } catch (...) {
      error_ = std::current_exception();
    }
    const Kind computed = applications ? Kind::apply : Kind::map;
    for (const Waiting& w : waiting_) {
      if (w.kind == computed) *w.done = true;
    }
    std::erase_if(waiting_, [&](const Waiting& w) { return w.kind == computed; });
  }

  std::vector<Waiting> calls_of(Kind kind, std::size_t index, bool adjoint) const {
    std::vector<Waiting> same;
    std::copy_if(waiting_.begin(), waiting_.end(), std::back_inserter(same),
                 [&](const Waiting& w) { return w.kind == kind && w.index == index && w.adjoint == adjoint; });
    return same;
  }

  // The applications `calls`, all of operator `index` or all of its adjoint, as one call on a stack.
  void compute_stacked(std::size_t index, bool adjoint, const std::vector<Waiting>& calls) {
    if (calls.empty()) return;
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

  // The calls of map `index`, in task order.
  void compute_map(std::size_t index, std::vector<Waiting> waiting) {
    if (waiting.empty()) return;
    std::ranges::sort(waiting, {}, &Waiting::task);
    std::vector<MapCall> calls;
    for (const Waiting& w : waiting) calls.push_back({w.task, w.parameter, w.in, w.out});
    maps_[index](calls);
  }

  std::vector<SharedOperator> operators_;
  std::vector<SharedMap> maps_;
  std::vector<std::map<std::int64_t, std::shared_ptr<const LinearOperator>>> stacks_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool turn_free_ = true;
  bool cancelled_ = false;
  std::size_t running_;
  std::vector<Waiting> waiting_;
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

void run_with_batched_operators(std::vector<SharedOperator> operators, std::vector<SharedMap> maps,
                                const std::vector<BatchedMapTask>& tasks) {
  const std::size_t count = operators.size(), map_count = maps.size();
  Meeting meeting(std::move(operators), std::move(maps), tasks.size());
  std::vector<std::shared_ptr<const LinearOperator>> members;
  for (std::size_t op = 0; op < count; ++op) members.push_back(std::make_shared<const BatchMember>(meeting, op));
  std::vector<std::exception_ptr> failures(tasks.size());
  const auto run = [&](std::size_t k) {
    std::vector<MapMember> map_members;
    for (std::size_t m = 0; m < map_count; ++m) {
      map_members.push_back([&meeting, m, k](double parameter, const Image& in, Image& out) { meeting.map(m, k, parameter, in, out); });
    }
    meeting.take_turn();
    bool failed = true;
    try {
      tasks[k](members, map_members);
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

void run_with_batched_operators(std::vector<SharedOperator> operators, const std::vector<BatchedTask>& tasks) {
  std::vector<BatchedMapTask> without_maps;
  for (const BatchedTask& task : tasks) {
    without_maps.push_back([&task](std::span<const std::shared_ptr<const LinearOperator>> ops, std::span<const MapMember>) { task(ops); });
  }
  run_with_batched_operators(std::move(operators), {}, without_maps);
}

}  // namespace tweedie
