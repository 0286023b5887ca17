// tweedie: imaging inverse problems with learned denoisers as priors, from the command line.
#include "apps/commands.h"
#include "apps/distribution.h"
#include "apps/option_checks.h"
#include "apps/json_config.h"
#include "core/error.h"
#include "core/image_io.h"
#include "core/staged_output.h"
#include "core/threading.h"

#include <iostream>
#include <new>
#include <vector>

namespace {

// OUTPUT.config.json beside the command's --output: `tweedie … --config` with it repeats the run.
void write_configuration(const CLI::App& app, const CLI::App& command) {
  std::string output = command.get_option("--output")->as<std::string>();
  while (output.size() > 1 && output.back() == '/') output.pop_back();
  tweedie::write_text_file(output + ".config.json", tweedie::app::effective_configuration(app, command));
}

// CLI11 names a failed validation "--views: must be …"; one sentence reads better.
std::string usage_message(const CLI::ParseError& error) {
  std::string message = error.what();
  if (dynamic_cast<const CLI::ValidationError*>(&error)) {
    if (const auto colon = message.find(": "); colon != std::string::npos && message.starts_with("--")) {
      message.replace(colon, 2, " ");
    }
  }
  return message;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tweedie::app;
  CLI::App app{"Tweedie: imaging inverse problems (CT, deblurring, super-resolution, inpainting)\n"
               "solved with learned denoisers as priors.",
               "tweedie"};
  app.require_subcommand(1);
  app.fallthrough();
  int threads = 0;
  app.add_option("--threads", threads, "Worker threads (0: all cores)")
      ->check(non_negative())
      ->capture_default_str();
  app.config_formatter(std::make_shared<JsonConfig>(app));
  app.set_config("--config", "", "JSON file of option values, {\"long-option-name\": value} (the command line wins)");

  const std::vector<Command> commands{
      add_info_command(app),     add_metrics_command(app), add_convert_command(app),
      add_geometry_command(app), add_normalize_command(app), add_simulate_command(app), add_project_command(app),
      add_backproject_command(app), add_fbp_command(app), add_train_command(app),
      add_denoise_command(app), add_sure_command(app), add_degrade_command(app), add_restore_command(app), add_recon_command(app),
      add_study_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    std::cerr << "tweedie: error: " << usage_message(error) << '\n';
    return 1;
  }

  try {
    const tweedie::ThreadLimit limit(threads);
    tweedie::silence_io_library_warnings();
    for (const Command& command : commands) {
      if (!command.parser->parsed()) continue;
      command.run();
      if (command.records_configuration && writes_outputs()) write_configuration(app, *command.parser);
    }
  } catch (const tweedie::Error& error) {
    std::cerr << "tweedie: error: " << error.what() << '\n';
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "tweedie: error: out of memory\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "tweedie: internal error: " << error.what() << '\n';
    return 2;
  }
  return 0;
}
