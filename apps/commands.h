// The subcommands of the `tweedie` program. Each one registers its options on the main CLI11 app
// and returns the function that runs it; main() picks the one the user named.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace tweedie::app {

struct Command {
  CLI::App* parser;
  std::function<void()> run;
  /// Writes its effective configuration beside its --output (OUTPUT.config.json) after a run.
  bool records_configuration = false;
};

Command add_info_command(CLI::App& app);
Command add_metrics_command(CLI::App& app);
Command add_convert_command(CLI::App& app);
Command add_geometry_command(CLI::App& app);
Command add_project_command(CLI::App& app);
Command add_backproject_command(CLI::App& app);
Command add_fbp_command(CLI::App& app);
Command add_simulate_command(CLI::App& app);
Command add_train_command(CLI::App& app);
Command add_denoise_command(CLI::App& app);
Command add_sure_command(CLI::App& app);
Command add_degrade_command(CLI::App& app);
Command add_restore_command(CLI::App& app);
Command add_recon_command(CLI::App& app);
Command add_normalize_command(CLI::App& app);
Command add_study_command(CLI::App& app);

}  // namespace tweedie::app
