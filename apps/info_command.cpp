// tweedie info: what this build is and what it runs on.
#include "apps/commands.h"
#include "core/threading.h"
#include "pipelines/library_versions.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace tweedie::app {
namespace {

struct InfoOptions {
  bool json = false;
};

NamedValues describe() {
  NamedValues entries = build_description();
  for (auto& entry : library_versions()) entries.push_back(std::move(entry));
  entries.emplace_back("CLI11", CLI11_VERSION);
  entries.emplace_back("threads", std::to_string(active_thread_count()) + " of " +
                                      std::to_string(available_core_count()) + " cores");
  return entries;
}

void run_info(const InfoOptions& options) {
  const NamedValues entries = describe();
  if (options.json) {
    nlohmann::ordered_json json;
    for (const auto& [name, value] : entries) json[name] = value;
    std::cout << json.dump(2) << '\n';
    return;
  }
  for (const auto& [name, value] : entries) {
    std::cout << std::left << std::setw(15) << name << value << '\n';
  }
}

}  // namespace

Command add_info_command(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* parser = app.add_subcommand(
      "info", "Print the version, source revision, compiler, flags, library versions and threads");
  parser->add_flag("--json", options->json, "Print as JSON");
  return {parser, [options] { run_info(*options); }};
}

}  // namespace tweedie::app
