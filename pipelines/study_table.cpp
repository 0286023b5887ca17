#include "pipelines/study_table.h"

#include "core/error.h"
#include "pipelines/study_metrics.h"

#include <algorithm>
#include <fstream>
#include <map>

namespace tweedie {
namespace {

// One method's means over its cases of one problem.
// A problem's rows carry PSNR and SSIM against a reference, or (measured sinograms) the held-out
// RMS with the noise's own RMS where weights gave it.
struct MethodMeans {
  std::string name, parameters;
  std::size_t count = 0, sweep_size = 1;
  double psnr = 0.0, ssim = 0.0, window_psnr = 0.0, held_out = 0.0, noise = 0.0, seconds = 0.0;
  bool windowed = false, measured = false, with_noise = false;
  std::size_t chosen_count = 0;  ///< cases whose level SURE chose
  double chosen_sigma = 0.0;

  std::string label() const {
    if (sweep_size > 1) return name + " (best of " + std::to_string(sweep_size) + ")";
    return method_label(name, parameters);
  }
  bool better_than(const MethodMeans& other) const {
    return measured ? kHeldOutMetric.better(held_out, other.held_out) : kPsnrMetric.better(psnr, other.psnr);
  }
  std::string quality() const {
    if (measured) return "RMS " + fixed_decimals(held_out, 4);
    return fixed_decimals(psnr, 2) + " / " + fixed_decimals(ssim, 3);
  }
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
    s.psnr += r.psnr.value_or(0.0), s.ssim += r.ssim.value_or(0.0), s.seconds += r.seconds;
    if (r.window_psnr) s.window_psnr += *r.window_psnr, s.windowed = true;
    if (r.held_out_rms) s.held_out += *r.held_out_rms, s.measured = true;
    if (r.noise_rms) s.noise += *r.noise_rms, s.with_noise = true;
    if (r.chosen_sigma) s.chosen_sigma += *r.chosen_sigma, ++s.chosen_count;
  }
  for (ProblemMeans& p : problems) {
    for (MethodMeans& s : p.methods) {
      const auto n = static_cast<double>(s.count);
      s.psnr /= n, s.ssim /= n, s.window_psnr /= n, s.held_out /= n, s.noise /= n, s.seconds /= n;
      if (s.chosen_count) s.chosen_sigma /= static_cast<double>(s.chosen_count);
    }
  }
  return problems;
}

// Keeps, of the methods sharing a name, the one of the best mean PSNR (held-out RMS), where the first
// of them stood.
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
    if (s.better_than(best)) best = s;
    best.sweep_size = sweep_size;
  }
  problem.methods = std::move(kept);
}

// A column of a table: its heading and its cell of a method.
using Column = std::pair<std::string, std::string (*)(const MethodMeans&)>;

// The quality columns of a problem: PSNR and SSIM (and the soft-tissue window's PSNR), or the
// held-out RMS (and the noise's own).
std::vector<Column> quality_columns(const MethodMeans& first) {
  if (first.measured) {
    std::vector<Column> columns{
        {"held-out RMS", [](const MethodMeans& s) { return fixed_decimals(s.held_out, 4); }}};
    if (first.with_noise) columns.emplace_back("noise alone", [](const MethodMeans& s) { return fixed_decimals(s.noise, 4); });
    return columns;
  }
  std::vector<Column> columns{
      {"PSNR (dB)", [](const MethodMeans& s) { return fixed_decimals(s.psnr, 2); }},
      {"SSIM", [](const MethodMeans& s) { return fixed_decimals(s.ssim, 3); }}};
  if (first.windowed) {
    columns.emplace_back("PSNR, W 400 L 40 (dB)", [](const MethodMeans& s) { return fixed_decimals(s.window_psnr, 2); });
  }
  return columns;
}

std::string long_tables(const std::vector<ProblemMeans>& problems, const StudyTableOptions& options) {
  std::string text;
  for (const ProblemMeans& p : problems) {
    const auto columns = quality_columns(p.methods.front());
    const bool swept = options.best_of_sweeps;
    const bool chosen = std::any_of(p.methods.begin(), p.methods.end(), [](const MethodMeans& s) { return s.chosen_count > 0; });
    std::string head = "| method |" + std::string(swept ? " best at |" : "") + " cases |";
    for (const auto& [name, cell] : columns) head += " " + name + " |";
    head += std::string(chosen ? " SURE's level |" : "") + (options.with_seconds ? " s per case |" : "");
    const std::size_t column_count = static_cast<std::size_t>(std::count(head.begin(), head.end(), '|')) - 1;
    text += "### " + p.problem + "\n\n" + head + "\n|";
    for (std::size_t i = 0; i < column_count; ++i) text += "---|";
    text += "\n";
    for (const MethodMeans& s : p.methods) {
      text += "| " + s.label() + " |" + (swept ? " " + (s.sweep_size > 1 ? s.parameters : "") + " |" : "") + " " +
              std::to_string(s.count) + " |";
      for (const auto& [name, cell] : columns) text += " " + cell(s) + " |";
      text += (chosen ? " " + s.chosen() + " |" : "") + (options.with_seconds ? " " + fixed_decimals(s.seconds, 2) + " |" : "") + "\n";
    }
    text += "\n";
  }
  return text;
}

// Measured sinograms add the noise's own held-out RMS, the same for every method of a problem.
std::string wide_table(const std::vector<ProblemMeans>& problems) {
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> column_index;
  bool with_noise = false;
  for (const ProblemMeans& p : problems) {
    for (const MethodMeans& s : p.methods) {
      if (column_index.emplace(s.label(), columns.size()).second) columns.push_back(s.label());
      with_noise = with_noise || s.with_noise;
    }
  }
  std::string text = "| problem |";
  for (const std::string& c : columns) text += " " + c + " |";
  text += with_noise ? " noise alone |\n|---|" : "\n|---|";
  for (std::size_t i = 0; i < columns.size() + (with_noise ? 1 : 0); ++i) text += "---|";
  text += "\n";
  for (const ProblemMeans& p : problems) {
    std::vector<std::string> cells(columns.size(), "—");
    for (const MethodMeans& s : p.methods) {
      cells[column_index.at(s.label())] =
          s.quality() + (s.sweep_size > 1 ? " at " + s.parameters : "") + (s.chosen_count ? ", SURE's level " + s.chosen() : "");
    }
    if (with_noise) {
      const auto noisy = std::find_if(p.methods.begin(), p.methods.end(), [](const MethodMeans& s) { return s.with_noise; });
      cells.push_back(noisy == p.methods.end() ? "—" : fixed_decimals(noisy->noise, 4));
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
