#include "pipelines/study_manifest.h"

#include "core/error.h"
#include "core/sha256.h"
#include "core/staged_output.h"
#include "core/threading.h"
#include "pipelines/library_versions.h"
#include "pipelines/prior_spec.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

namespace tweedie {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

/// The "model name" line of /proc/cpuinfo (Linux), else "unknown".
std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

/// The model files the spec's priors name (bundled names resolved), each once.
std::set<fs::path> model_files(const StudySpec& spec) {
  std::set<fs::path> files;
  for (const StudyMethod& method : spec.methods) {
    const std::string prior = method.kind == StudyMethodKind::solver ? method.choice.prior : method.prior;
    if (prior.empty()) continue;
    for (std::string member : prior_members(prior)) {
      if (member.rfind("wiener:", 0) == 0) member = member.substr(7);
      if (!member.empty() && member.back() == '+') member.pop_back();
      if (member == "tv" || member == "gaussian" || member == "bm3d") continue;
      files.insert(fs::absolute(find_model(member)));
    }
  }
  return files;
}

}  // namespace

void write_study_manifest(const StudySpec& spec, int processes, const fs::path& path) {
  ordered_json m;
  for (const auto& [name, value] : build_description()) m["build"][name] = value;
  for (const auto& [name, value] : library_versions()) m["libraries"][name] = value;
  m["cpu"] = cpu_model();
  m["threads"] = active_thread_count();
  m["mpi_ranks"] = processes;
  m["spec"] = {{"file", spec.file.string()}, {"sha256", spec.sha256}, {"content", ordered_json::parse(spec.text)}};
  std::set<fs::path> inputs;
  for (const StudyItem& item : spec.items) inputs.insert(fs::absolute(item.file));
  for (const fs::path& file : inputs) m["inputs"][file.string()] = file_sha256(file);
  m["models"] = ordered_json::object();
  for (const fs::path& file : model_files(spec)) m["models"][file.string()] = file_sha256(file);

  write_text_file(path, m.dump(2) + "\n");
}

}  // namespace tweedie
