#include "apps/mpi_scheduler.h"

#include "apps/mpi_session.h"
#include "core/error.h"

#include <mpi.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace tweedie::app {
namespace {

// Messages from a worker rank: READY (first), RESULT ("INDEX\nRECORD"), FAILED ("INDEX\nMESSAGE").
// From rank 0: ASSIGN (a case index; −1: no more work).
enum Tag : int { kReady = 1, kResult = 2, kFailed = 3, kAssign = 4 };

}  // namespace

MpiScheduler::MpiScheduler() {
  start_mpi();
  rank_ = mpi_rank();
  size_ = mpi_size();
}

void MpiScheduler::run(const std::vector<std::size_t>& pending, const Work& work, const Finished& finished) {
  if (rank_ == 0) {
    serve(pending, work, finished);
  } else {
    ask_for_cases(work);
  }
  MPI_Barrier(MPI_COMM_WORLD);  // no rank leaves before every output is written
}

void MpiScheduler::serve(const std::vector<std::size_t>& pending, const Work& work, const Finished& finished) {
  std::atomic<std::size_t> next{0};
  std::mutex finishing;
  std::string failure;
  std::atomic<bool> failed{false};
  const auto fail = [&](const std::string& message) {
    const std::lock_guard lock(finishing);
    if (!failed.exchange(true)) failure = message;
  };
  // Rank 0 runs cases too, on a thread of its own that never calls MPI.
  std::thread local([&] {
    for (std::size_t k; !failed && (k = next++) < pending.size();) {
      try {
        const std::string record = work(pending[k], 0);
        const std::lock_guard lock(finishing);
        finished(pending[k], record);
      } catch (const std::exception& e) {
        fail(e.what());
      }
    }
  });
  for (int active = size_ - 1; active > 0;) {
    int source = 0, tag = 0;
    const std::string text = receive_text(-1, -1, &source, &tag);
    if (tag != kReady) {
      const std::size_t index = std::stoull(text.substr(0, text.find('\n')));
      const std::string body = text.substr(text.find('\n') + 1);
      if (tag == kFailed) {
        fail(body);
      } else {
        try {
          const std::lock_guard lock(finishing);
          finished(index, body);
        } catch (const std::exception& e) {
          failure = failure.empty() ? e.what() : failure;
          failed = true;
        }
      }
    }
    const std::size_t k = failed ? pending.size() : next++;
    const long long assign = k < pending.size() ? static_cast<long long>(pending[k]) : -1;
    MPI_Send(&assign, 1, MPI_LONG_LONG, source, kAssign, MPI_COMM_WORLD);
    if (assign < 0) --active;
  }
  local.join();
  if (failed) throw Error(failure);
}

void MpiScheduler::ask_for_cases(const Work& work) {
  send_text("", 0, kReady);
  for (;;) {
    long long index = -1;
    MPI_Recv(&index, 1, MPI_LONG_LONG, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (index < 0) return;
    const auto i = static_cast<std::size_t>(index);
    try {
      send_text(std::to_string(i) + "\n" + work(i, rank_), 0, kResult);
    } catch (const std::exception& e) {
      send_text(std::to_string(i) + "\n" + e.what(), 0, kFailed);
    }
  }
}

}  // namespace tweedie::app
