// Running a study into a folder: every case of the grid, each recorded atomically as it finishes
// (DIR/cases/ID.json) so that a killed run started again finishes the rest; then results.csv,
// timings.csv, report.html and manifest.json. Cases run in parallel on the machine's threads, or
// over MPI ranks through a CaseScheduler; each case's randomness comes from its seed and its
// identity, so neither the order of execution nor the thread or rank count changes a result.
//
//   StudySpec spec = read_study_spec("bench/studies/quick.json");
//   StudyRunSummary s = run_study(spec, {.output = "out"});
#pragma once

#include "pipelines/study_results.h"
#include "pipelines/study_spec.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace tweedie {

/// Where the cases of a study run. `run` is called with the pending case indices, `work(i, rank)`
/// runs case i and returns its record (on any thread, on the rank it names), and `finished(i,
/// record)` is called on the process that writes the outputs, one call at a time, as each case ends.
class CaseScheduler {
 public:
  virtual ~CaseScheduler() = default;
  using Work = std::function<std::string(std::size_t, int)>;
  using Finished = std::function<void(std::size_t, const std::string&)>;
  virtual void run(const std::vector<std::size_t>& pending, const Work& work, const Finished& finished) = 0;
  /// Whether this process writes the outputs (rank 0; always, without MPI).
  virtual bool writes_outputs() const { return true; }
  /// How many processes share the work.
  virtual int processes() const { return 1; }
};

/// Cases on this process's threads, `jobs` at a time (0: as many as threads), each case's own
/// parallel loops on every thread: one at a time gives each case the whole machine (times as a
/// user sees them), several keep the cores busy through a case's serial parts.
class ThreadScheduler final : public CaseScheduler {
 public:
  explicit ThreadScheduler(int jobs = 0) : jobs_(jobs) {}
  void run(const std::vector<std::size_t>& pending, const Work& work, const Finished& finished) override;

 private:
  int jobs_;
};

struct StudyRunOptions {
  std::filesystem::path output;
  /// Run into a folder made from another spec (its cases are discarded).
  bool force = false;
  CaseScheduler* scheduler = nullptr;  ///< null: ThreadScheduler
  /// After each case: its row, how many are done (resumed ones included), how many in all.
  std::function<void(const StudyRow&, std::size_t done, std::size_t total)> progress = {};
};

struct StudyRunSummary {
  std::size_t cases = 0;
  std::size_t resumed = 0;  ///< recorded by an earlier run
  double seconds = 0.0;
};

/// Runs `spec` into options.output. Throws IoError when the folder holds a study of another spec
/// (unless force) or cannot be written, and the first error of a case (cases finished before it
/// stay recorded).
StudyRunSummary run_study(const StudySpec& spec, const StudyRunOptions& options);

}  // namespace tweedie
