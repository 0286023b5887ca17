#include "pipelines/study_table.h"

#include "core/error.h"

#include <fstream>
#include <map>

namespace tweedie {
namespace {

struct Sums {
  std::size_t count = 0;
  double psnr = 0.0, ssim = 0.0, window_psnr = 0.0, seconds = 0.0;
  bool windowed = false;
};

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

std::string markdown_tables(const std::vector<StudyRow>& rows, bool with_seconds) {
  std::vector<std::string> problems;
  std::map<std::string, std::vector<std::string>> methods;
  std::map<std::string, Sums> sums;
  for (const StudyRow& r : rows) {
    if (!methods.count(r.problem)) problems.push_back(r.problem);
    std::vector<std::string>& list = methods[r.problem];
    const std::string key = r.problem + "\n" + r.method_label();
    if (!sums.count(key)) list.push_back(r.method_label());
    Sums& s = sums[key];
    ++s.count;
    s.psnr += r.psnr, s.ssim += r.ssim, s.seconds += r.seconds;
    if (r.window_psnr) s.window_psnr += *r.window_psnr, s.windowed = true;
  }
  std::string text;
  for (const std::string& problem : problems) {
    const bool windowed = sums[problem + "\n" + methods[problem].front()].windowed;
    text += "### " + problem + "\n\n| method | cases | PSNR (dB) | SSIM |" + (windowed ? " PSNR, W 400 L 40 (dB) |" : "") +
            (with_seconds ? " s per case |" : "") + "\n|---|---|---|---|" + (windowed ? "---|" : "") + (with_seconds ? "---|" : "") + "\n";
    for (const std::string& method : methods[problem]) {
      const Sums& s = sums[problem + "\n" + method];
      const auto n = static_cast<double>(s.count);
      text += "| " + method + " | " + std::to_string(s.count) + " | " + fixed_decimals(s.psnr / n, 2) + " | " + fixed_decimals(s.ssim / n, 3) +
              " |" + (windowed ? " " + fixed_decimals(s.window_psnr / n, 2) + " |" : "") +
              (with_seconds ? " " + fixed_decimals(s.seconds / n, 2) + " |" : "") + "\n";
    }
    text += "\n";
  }
  return text;
}

}  // namespace tweedie
