#include "operators/batched_adjoints.h"

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace tweedie {
namespace {

// Thrown out of a task's adjoint once another task has failed.
struct BatchCancelled {};

// What the tasks share: whose turn it is, the adjoints waiting to be computed together, and the
// stacked operators made so far (one per stack size).
class Meeting {
 public:
  Meeting(std::shared_ptr<const LinearOperator> one_slice, StackedOperatorFactory stacked, std::size_t tasks)
      : one_slice_(std::move(one_slice)), stacked_(std::move(stacked)), running_(tasks) {}

  const LinearOperator& one_slice() const { return *one_slice_; }

  void take_turn() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return turn_free_; });
    turn_free_ = false;
  }

  // x = Aᵀy for the task holding the turn, which holds it again on return.
  void adjoint(const Image& y, Image& x) {
    std::unique_lock lock(mutex_);
    if (cancelled_) throw BatchCancelled{};
    waiting_.push_back({&y, &x});
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
    const Image* y;
    Image* x;
  };

  // Called with the lock held: every task still running waits here, so none reads the state.
  void compute_waiting() {
    try {
      const auto count = static_cast<std::int64_t>(waiting_.size());
      if (count == 1) {
        one_slice_->adjoint(*waiting_.front().y, *waiting_.front().x);
      } else {
        std::shared_ptr<const LinearOperator>& op = stacks_[count];
        if (!op) op = stacked_(count);
        Image ys(op->range());
        for (std::int64_t k = 0; k < count; ++k) ys.slice(k) = waiting_[static_cast<std::size_t>(k)].y->slice(0);
        Image xs(op->domain());
        op->adjoint(ys, xs);
        for (std::int64_t k = 0; k < count; ++k) waiting_[static_cast<std::size_t>(k)].x->slice(0) = xs.slice(k);
      }
    } catch (...) {
      error_ = std::current_exception();
    }
    waiting_.clear();
    ++meetings_;
  }

  std::shared_ptr<const LinearOperator> one_slice_;
  StackedOperatorFactory stacked_;
  std::map<std::int64_t, std::shared_ptr<const LinearOperator>> stacks_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool turn_free_ = true;
  bool cancelled_ = false;
  std::size_t running_;
  std::vector<Waiting> waiting_;
  std::uint64_t meetings_ = 0;
  std::exception_ptr error_;
};

// The one-slice operator with its adjoint computed in the meeting.
class BatchMember final : public LinearOperator {
 public:
  explicit BatchMember(Meeting& meeting) : meeting_(meeting) {}
  using LinearOperator::adjoint;
  using LinearOperator::apply;
  ImageGeometry domain() const override { return meeting_.one_slice().domain(); }
  ImageGeometry range() const override { return meeting_.one_slice().range(); }
  void apply(const Image& x, Image& y) const override { meeting_.one_slice().apply(x, y); }
  void adjoint(const Image& y, Image& x) const override {
    require_same_shape(range().shape, y.shape(), "the sinogram to back-project");
    require_same_shape(domain().shape, x.shape(), "the image buffer");
    meeting_.adjoint(y, x);
  }
  bool solve_shifted_normal(const Image& b, double rho, Image& x) const override {
    return meeting_.one_slice().solve_shifted_normal(b, rho, x);
  }
  std::shared_ptr<const LinearOperator> normal_preconditioner(double damping) const override {
    return meeting_.one_slice().normal_preconditioner(damping);
  }

 private:
  Meeting& meeting_;
};

}  // namespace

void run_with_batched_adjoints(std::shared_ptr<const LinearOperator> one_slice, StackedOperatorFactory stacked,
                               const std::vector<BatchedTask>& tasks) {
  Meeting meeting(std::move(one_slice), std::move(stacked), tasks.size());
  const auto member = std::make_shared<const BatchMember>(meeting);
  std::vector<std::exception_ptr> failures(tasks.size());
  const auto run = [&](std::size_t k) {
    meeting.take_turn();
    bool failed = true;
    try {
      tasks[k](member);
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
