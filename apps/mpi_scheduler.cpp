#include "apps/mpi_scheduler.h"

#include "core/error.h"

#include <mpi.h>

#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

namespace tweedie::app {
namespace {

// Messages from a worker rank: READY (first), RESULT ("INDEX\nRECORD"), FAILED ("INDEX\nMESSAGE").
// From rank 0: ASSIGN (a case index; −1: no more work).
enum Tag : int { kReady = 1, kResult = 2, kFailed = 3, kAssign = 4 };

void send_text(const std::string& text, int to, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

std::string receive_text(MPI_Status& status) {
  MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
  int size = 0;
  MPI_Get_count(&status, MPI_CHAR, &size);
  std::string text(static_cast<std::size_t>(size), '\0');
  MPI_Recv(text.data(), size, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

void finalize_at_exit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

}  // namespace

bool launched_by_mpi() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_STEP_NUM_TASKS"}) {
    if (std::getenv(variable)) return true;
  }
  return false;
}

MpiScheduler::MpiScheduler() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    std::atexit(finalize_at_exit);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
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
    MPI_Status status;
    const std::string text = receive_text(status);
    if (status.MPI_TAG != kReady) {
      const std::size_t index = std::stoull(text.substr(0, text.find('\n')));
      const std::string body = text.substr(text.find('\n') + 1);
      if (status.MPI_TAG == kFailed) {
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
    MPI_Send(&assign, 1, MPI_LONG_LONG, status.MPI_SOURCE, kAssign, MPI_COMM_WORLD);
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
