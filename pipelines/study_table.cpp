#include "pipelines/study_table.h"

#include "core/error.h"

#include <algorithm>
#include <fstream>
#include <map>

namespace tweedie {
namespace {

// One method's means over its cases of one problem.
struct MethodMeans {
  std::string name, parameters;
  std::size_t count = 0, sweep_size = 1;
  double psnr = 0.0, ssim = 0.0, window_psnr = 0.0, seconds = 0.0;
  bool windowed = false;
  std::size_t chosen_count = 0;  ///< cases whose level SURE chose
  double chosen_sigma = 0.0;

  std::string label() const {
    if (sweep_size > 1) return name + " (best of " + std::to_string(sweep_size) + ")";
    return method_label(name, parameters);
  }
  std::string quality() const { return fixed_decimals(psnr, 2) + " / " + fixed_decimals(ssim, 3); }
  std::string chosen() const { return chosen_count ? fixed_decimals(chosen_sigma, 2) : ""; }
};

struct ProblemMeans {
  std::string problem;
  std::vector<MethodMeans> methods;
};

std::vector<ProblemMeans> means_per_problem(const std::vector<StudyRow>& rows) {
  std::vector<ProblemMeans> problems;
  std::map<std::string, std::size_t> problem_index;
  std::map<std::string, std::size_t> method_index;  // PROBLEM \n METHOD LABEL → index in its problem
  for (const StudyRow& r : rows) {
    const auto [p, new_problem] = problem_index.emplace(r.problem, problems.size());
    if (new_problem) problems.push_back({r.problem, {}});
    std::vector<MethodMeans>& methods = problems[p->second].methods;
    const auto [m, new_method] = method_index.emplace(r.problem + "\n" + r.method_label(), methods.size());
    if (new_method) methods.push_back({.name = r.method, .parameters = r.parameters});
    MethodMeans& s = methods[m->second];
    ++s.count;
    s.psnr += r.psnr, s.ssim += r.ssim, s.seconds += r.seconds;
    if (r.window_psnr) s.window_psnr += *r.window_psnr, s.windowed = true;
    if (r.chosen_sigma) s.chosen_sigma += *r.chosen_sigma, ++s.chosen_count;
  }
  for (ProblemMeans& p : problems) {
    for (MethodMeans& s : p.methods) {
      const auto n = static_cast<double>(s.count);
      s.psnr /= n, s.ssim /= n, s.window_psnr /= n, s.seconds /= n;
      if (s.chosen_count) s.chosen_sigma /= static_cast<double>(s.chosen_count);
    }
  }
  return problems;
}

// Keeps, of the methods sharing a name, the one of the best mean PSNR, where the first of them stood.
void keep_best_of_sweeps(ProblemMeans& problem) {
  std::vector<MethodMeans> kept;
  std::map<std::string, std::size_t> index;
  for (const MethodMeans& s : problem.methods) {
    const auto [it, first] = index.emplace(s.name, kept.size());
    if (first) {
      kept.push_back(s);
      continue;
    }
    MethodMeans& best = kept[it->second];
    const std::size_t sweep_size = best.sweep_size + 1;
    if (s.psnr > best.psnr) best = s;
    best.sweep_size = sweep_size;
  }
  problem.methods = std::move(kept);
}

std::string long_tables(const std::vector<ProblemMeans>& problems, const StudyTableOptions& options) {
  std::string text;
  for (const ProblemMeans& p : problems) {
    const bool windowed = p.methods.front().windowed;
    const bool swept = options.best_of_sweeps;
    const bool chosen = std::any_of(p.methods.begin(), p.methods.end(), [](const MethodMeans& s) { return s.chosen_count > 0; });
    text += "### " + p.problem + "\n\n| method |" + (swept ? " best at |" : "") + " cases | PSNR (dB) | SSIM |" +
            (windowed ? " PSNR, W 400 L 40 (dB) |" : "") + (chosen ? " SURE's level |" : "") +
            (options.with_seconds ? " s per case |" : "") + "\n|---|" + (swept ? "---|" : "") + "---|---|---|" +
            (windowed ? "---|" : "") + (chosen ? "---|" : "") + (options.with_seconds ? "---|" : "") + "\n";
    for (const MethodMeans& s : p.methods) {
      text += "| " + s.label() + " |" + (swept ? " " + (s.sweep_size > 1 ? s.parameters : "") + " |" : "") + " " +
              std::to_string(s.count) + " | " + fixed_decimals(s.psnr, 2) + " | " + fixed_decimals(s.ssim, 3) + " |" +
              (windowed ? " " + fixed_decimals(s.window_psnr, 2) + " |" : "") + (chosen ? " " + s.chosen() + " |" : "") +
              (options.with_seconds ? " " + fixed_decimals(s.seconds, 2) + " |" : "") + "\n";
    }
    text += "\n";
  }
  return text;
}

std::string wide_table(const std::vector<ProblemMeans>& problems) {
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> column_index;
  for (const ProblemMeans& p : problems) {
    for (const MethodMeans& s : p.methods) {
      if (column_index.emplace(s.label(), columns.size()).second) columns.push_back(s.label());
    }
  }
  std::string text = "| problem |";
  for (const std::string& c : columns) text += " " + c + " |";
  text += "\n|---|";
  for (std::size_t i = 0; i < columns.size(); ++i) text += "---|";
  text += "\n";
  for (const ProblemMeans& p : problems) {
    std::vector<std::string> cells(columns.size(), "—");
    for (const MethodMeans& s : p.methods) {
      cells[column_index.at(s.label())] =
          s.quality() + (s.sweep_size > 1 ? " at " + s.parameters : "") + (s.chosen_count ? ", SURE's level " + s.chosen() : "");
    }
    text += "| " + p.problem + " |";
    for (const std::string& cell : cells) text += " " + cell + " |";
    text += "\n";
  }
  return text + "\n";
}

}  // namespace

void read_timings_csv(const std::filesystem::path& path, std::vector<StudyRow>& rows) {
  std::ifstream file(path);
  std::string line;
  if (!file || !std::getline(file, line) || line != "case,seconds,threads,rank") {
    throw IoError("'" + path.string() + "' is not a study's timings.csv");
  }
  std::map<std::string, double> seconds;
  while (std::getline(file, line)) {
    const std::size_t comma = line.find(',');
    try {
      seconds[line.substr(0, comma)] = std::stod(line.substr(comma + 1));
    } catch (const std::exception&) {
      throw IoError("'" + path.string() + "' has a line that is not a timing: " + line);
    }
  }
  for (StudyRow& row : rows) {
    if (const auto it = seconds.find(row.case_id); it != seconds.end()) row.seconds = it->second;
  }
}

std::string markdown_tables(const std::vector<StudyRow>& rows, const StudyTableOptions& options) {
  std::vector<ProblemMeans> problems = means_per_problem(rows);
  if (options.best_of_sweeps) {
    for (ProblemMeans& p : problems) keep_best_of_sweeps(p);
  }
  return options.wide ? wide_table(problems) : long_tables(problems, options);
}

}  // namespace tweedie
