#include "solvers/solver_history.h"

#include "core/error.h"
#include "core/staged_output.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace tweedie {
namespace {

nlohmann::json iterations_of(const SolverResult& result) {
  nlohmann::json iterations = nlohmann::json::array();
  for (const IterationRecord& r : result.history) {
    nlohmann::json entry{{"iteration", r.iteration}, {"objective", r.objective}, {"relative_change", r.relative_change},
                         {"step", r.step},           {"seconds", r.seconds}};
    if (r.psnr) entry["psnr"] = *r.psnr;
    if (r.ssim) entry["ssim"] = *r.ssim;
    iterations.push_back(entry);
  }
  return iterations;
}

SolverResult run_of(const nlohmann::json& run) {
  SolverResult result;
  result.termination = parse_termination(run.at("termination").get<std::string>());
  for (const nlohmann::json& entry : run.at("iterations")) {
    IterationRecord r;
    r.iteration = entry.at("iteration").get<int>();
    r.objective = entry.at("objective").get<double>();
    r.relative_change = entry.at("relative_change").get<double>();
    r.step = entry.at("step").get<double>();
    r.seconds = entry.at("seconds").get<double>();
    if (entry.contains("psnr")) r.psnr = entry.at("psnr").get<double>();
    if (entry.contains("ssim")) r.ssim = entry.at("ssim").get<double>();
    result.history.push_back(r);
  }
  return result;
}

}  // namespace

std::string history_text(const SolverHistory& history) {
  nlohmann::json document{{"solver", history.solver}};
  if (history.runs.size() == 1) {
    document["termination"] = to_string(history.runs.front().termination);
    document["iterations"] = iterations_of(history.runs.front());
  } else {
    document["slices"] = nlohmann::json::array();
    for (const SolverResult& run : history.runs) {
      document["slices"].push_back({{"termination", to_string(run.termination)}, {"iterations", iterations_of(run)}});
    }
  }
  return document.dump(2) + "\n";
}

SolverHistory parse_history(const std::string& text) {
  try {
    const nlohmann::json document = nlohmann::json::parse(text);
    SolverHistory history;
    history.solver = document.at("solver").get<std::string>();
    if (document.contains("slices")) {
      for (const nlohmann::json& run : document.at("slices")) history.runs.push_back(run_of(run));
    } else {
      history.runs.push_back(run_of(document));
    }
    return history;
  } catch (const nlohmann::json::exception& error) {
    throw IoError(std::string("not a solver history: ") + error.what());
  }
}

void write_history(const std::string& path, const SolverHistory& history) { write_text_file(path, history_text(history)); }

SolverHistory read_history(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw IoError("cannot open the history '" + path + "'");
  std::ostringstream text;
  text << file.rdbuf();
  try {
    return parse_history(text.str());
  } catch (const Error& error) {
    throw IoError("the history '" + path + "': " + error.what());
  }
}

}  // namespace tweedie
