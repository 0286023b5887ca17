#include "pipelines/study_run.h"

#include "core/error.h"
#include "core/image_io.h"
#include "core/sha256.h"
#include "core/staged_output.h"
#include "core/threading.h"
#include "pipelines/study_case.h"
#include "pipelines/study_manifest.h"
#include "pipelines/study_report.h"
#include "solvers/solver_history.h"

#include <tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <thread>
#include <fstream>
#include <mutex>
#include <sstream>

namespace tweedie {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// Makes `folder` the home of this spec: a new folder, one made from the same spec, or (forced) one
/// of another spec whose cases are discarded.
void claim_folder(const StudySpec& spec, const fs::path& folder, bool force) {
  const fs::path spec_copy = folder / "spec.json";
  if (fs::exists(spec_copy) && sha256_hex(read_file(spec_copy)) != spec.sha256) {
    if (!force) {
      throw IoError("'" + folder.string() + "' holds a study of another spec (its spec.json differs from '" +
                    spec.file.string() + "'); choose another --output, or --force to discard its results");
    }
    for (const char* part : {"cases", "images", "histories"}) fs::remove_all(folder / part);
  } else if (!fs::exists(spec_copy) && fs::exists(folder) && !fs::is_empty(folder) && !force) {
    throw IoError("'" + folder.string() + "' is not empty and holds no study; choose another --output, or --force");
  }
  fs::create_directories(folder / "cases");
  write_text_file(spec_copy, spec.text);
}

/// What a case leaves besides its record: its history and, when asked, its images.
void keep_case_files(const StudySpec& spec, const StudyCase& c, const CaseResult& result, const fs::path& folder) {
  if (!result.run.history.empty()) {
    SolverHistory history{spec.methods[c.method].name, {}};
    history.runs.push_back(SolverResult{Image(), result.run.history, result.run.termination});
    write_history((folder / "histories" / (c.id + ".json")).string(), history);
  }
  if (!spec.save_images || spec.items[c.item].measured()) return;  // a measured sinogram's check keeps no image
  write_image(result.image, folder / "images" / (c.id + ".mha"));
  const fs::path reference = folder / "images" / reference_image_name(spec, c);
  if (!fs::exists(reference)) write_image(result.reference, reference);
}

}  // namespace

void ThreadScheduler::run(const std::vector<std::size_t>& pending, const Work& work, const Finished& finished) {
  std::mutex mutex;
  const auto run_one = [&](std::size_t k) {
    const std::string record = work(pending[k], 0);
    const std::lock_guard lock(mutex);
    finished(pending[k], record);
  };
  if (jobs_ == 0) {
    tbb::parallel_for(std::size_t{0}, pending.size(), run_one);
    return;
  }
  // `jobs` workers taking the next case in turn; the first error stops them and is rethrown.
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::vector<std::thread> workers;
  for (int j = 0; j < jobs_; ++j) {
    workers.emplace_back([&] {
      for (std::size_t k; (k = next++) < pending.size();) {
        try {
          run_one(k);
        } catch (...) {
          const std::lock_guard lock(mutex);
          if (!failure) failure = std::current_exception();
          next = pending.size();
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
}

StudyRunSummary run_study(const StudySpec& spec, const StudyRunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ThreadScheduler threads;
  CaseScheduler& scheduler = options.scheduler ? *options.scheduler : threads;
  const fs::path& folder = options.output;
  const std::vector<StudyCase> cases = study_cases(spec);
  if (scheduler.writes_outputs()) claim_folder(spec, folder, options.force);

  std::vector<std::optional<StudyRow>> rows(cases.size());
  std::vector<int> ranks(cases.size(), 0);
  std::vector<std::size_t> pending;
  StudyRunSummary summary;
  summary.cases = cases.size();
  if (scheduler.writes_outputs()) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      rows[i] = read_case_record(folder / "cases" / (cases[i].id + ".json"), cases[i], &ranks[i]);
      if (rows[i]) {
        ++summary.resumed;
      } else {
        pending.push_back(i);
      }
    }
  }
  std::size_t done = summary.resumed;
  scheduler.run(
      pending,
      [&](std::size_t i, int rank) {
        CaseResult result;
        try {
          result = run_study_case(spec, cases[i]);
        } catch (const Error& e) {
          throw Error("case " + cases[i].key + ": " + e.what());
        }
        keep_case_files(spec, cases[i], result, folder);
        return case_record(cases[i], study_row(spec, cases[i], result), rank);
      },
      [&](std::size_t i, const std::string& record) {
        const fs::path path = folder / "cases" / (cases[i].id + ".json");
        write_text_file(path, record);
        rows[i] = parse_case_record(record, cases[i], &ranks[i]);
        if (!rows[i]) throw IoError("the record of case " + cases[i].key + " is not whole: " + record.substr(0, 200));
        if (options.progress) options.progress(*rows[i], ++done, cases.size());
      });
  if (!scheduler.writes_outputs()) return summary;

  std::vector<StudyRow> all;
  for (std::optional<StudyRow>& row : rows) all.push_back(std::move(*row));
  write_results_csv(all, folder / "results.csv");
  write_timings_csv(all, active_thread_count(), ranks, folder / "timings.csv");
  write_study_report(spec, all, folder);
  write_study_manifest(spec, scheduler.processes(), folder / "manifest.json");
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace tweedie
