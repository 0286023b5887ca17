// tweedie study run / compare / table: benchmark studies (pipelines/study_run.h, docs/studies.md).
#include "apps/commands.h"
#include "apps/distribution.h"
#include "core/threading.h"
#include "pipelines/study_compare.h"
#include "pipelines/study_run.h"
#include "pipelines/study_table.h"

#include <iostream>

namespace tweedie::app {
namespace {

struct StudyOptions {
  std::string spec, output;
  bool force = false;
  int jobs = 0;
  StudyTableOptions table;
  std::string a, b;
  std::string folder;
};

void run_study_command(const StudyOptions& o) {
  const StudySpec spec = read_study_spec(o.spec);
  const std::unique_ptr<CaseScheduler> scheduler = make_case_scheduler(o.jobs);
  StudyRunOptions options{.output = o.output, .force = o.force, .scheduler = scheduler.get()};
  if (scheduler->writes_outputs()) {
    options.progress = [](const StudyRow& row, std::size_t done, std::size_t total) {
      std::cout << "[" << done << "/" << total << "] " << row.item << " | " << row.problem << " | " << row.method_label()
                << " | seed " << row.seed << ": " << row.quality_text() << ", " << fixed_decimals(row.seconds, 2) << " s\n"
                << std::flush;
    };
  }
  const StudyRunSummary s = run_study(spec, options);
  if (!scheduler->writes_outputs()) return;
  std::cout << spec.name << ": " << s.cases << " cases (" << s.resumed << " recorded before), " << s.seconds << " s on "
            << active_thread_count() << " threads × " << scheduler->processes() << " processes; wrote " << o.output
            << "/{results.csv,timings.csv,report.html,manifest.json}\n";
}

void run_compare_command(const StudyOptions& o) {
  const auto rows = [](const std::string& folder) { return read_results_csv(std::filesystem::path(folder) / "results.csv"); };
  std::cout << comparison_table(compare_studies(rows(o.a), rows(o.b)));
}

void run_table_command(const StudyOptions& o) {
  const std::filesystem::path folder(o.folder);
  std::vector<StudyRow> rows = read_results_csv(folder / "results.csv");
  read_timings_csv(folder / "timings.csv", rows);
  std::cout << markdown_tables(rows, o.table);
}

}  // namespace

Command add_study_command(CLI::App& app) {
  auto o = std::make_shared<StudyOptions>();
  CLI::App* study = app.add_subcommand("study", "Benchmark studies: run a spec's grid of cases, compare two runs");
  study->require_subcommand(1);
  CLI::App* run = study->add_subcommand("run", "Run every case of a study spec (JSON, docs/studies.md) into a folder");
  run->add_option("spec", o->spec, "Study spec (JSON)")->required()->check(CLI::ExistingFile);
  run->add_option("--output", o->output, "Folder of results.csv, timings.csv, report.html, manifest.json")->required();
  run->add_flag("--force", o->force, "Run into a folder made from another spec, discarding its results");
  run->add_option("--jobs", o->jobs,
                  "Cases at a time, each using every thread (0: as many as threads; 1: each case has the machine, "
                  "for times as a user sees them)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  CLI::App* compare = study->add_subcommand("compare", "Paired differences B − A between two study folders");
  compare->add_option("a", o->a, "Folder of the first run")->required()->check(CLI::ExistingDirectory);
  compare->add_option("b", o->b, "Folder of the second run")->required()->check(CLI::ExistingDirectory);
  CLI::App* table = study->add_subcommand("table", "Markdown tables of a study folder's results (as the docs show them)");
  table->add_option("folder", o->folder, "Study folder")->required()->check(CLI::ExistingDirectory);
  table->add_flag("--no-seconds{false}", o->table.with_seconds, "Leave out the seconds per case");
  table->add_flag("--best-of-sweeps", o->table.best_of_sweeps,
                  "Show a method run at several parameter values once per problem, at its best mean PSNR (an oracle "
                  "tuning)");
  table->add_flag("--wide", o->table.wide, "One table: a row per problem, a column per method, cells PSNR / SSIM");
  return {study, [o, run, compare] {
            if (run->parsed()) {
              run_study_command(*o);
            } else if (compare->parsed()) {
              run_compare_command(*o);
            } else {
              run_table_command(*o);
            }
          }};
}

}  // namespace tweedie::app
