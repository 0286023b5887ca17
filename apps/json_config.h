// Options from a JSON file: `tweedie SUBCOMMAND --config FILE.json`, where FILE holds
// {"long-option-name": value, …} for the subcommand named on the command line (and "threads"). Values
// given on the command line win. The effective configuration of a run — every option with its value
// or default — is written in the same form, so that `--config` repeats the run exactly.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace tweedie::app {

class JsonConfig final : public CLI::Config {
 public:
  /// `root`: the main app, whose parsed subcommand receives the file's keys.
  explicit JsonConfig(const CLI::App& root) : root_(root) {}
  std::string to_config(const CLI::App* app, bool default_also, bool write_description, std::string prefix) const override;
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

 private:
  const CLI::App& root_;
};

/// The effective configuration of `command` (a subcommand of `root`) as JSON, with root's options.
std::string effective_configuration(const CLI::App& root, const CLI::App& command);

}  // namespace tweedie::app
