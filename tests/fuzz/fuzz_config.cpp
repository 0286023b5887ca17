// Configuration files (`tweedie SUBCOMMAND --config FILE.json`, apps/json_config.h) through the
// real option parser of a small program: values land in their options, or the file is refused
// with a CLI11 error naming the key (which the program prints on one line).
#include "apps/json_config.h"
#include "core/error.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = tweedie::fuzz::input_file(data, size, "config.json");
  CLI::App app("fuzz");
  int threads = 0;
  app.add_option("--threads", threads);
  app.config_formatter(std::make_shared<tweedie::app::JsonConfig>(app));
  app.set_config("--config");
  CLI::App* recon = app.add_subcommand("recon");
  double sigma = 0.0;
  int iterations = 0;
  std::string solver;
  bool ensemble = false;
  std::vector<double> window;
  recon->add_option("--sigma-last", sigma);
  recon->add_option("--iterations", iterations);
  recon->add_option("--solver", solver);
  recon->add_flag("--ensemble", ensemble);
  recon->add_option("--window", window);
  const std::string config = path.string();
  const char* argv[] = {"fuzz", "recon", "--config", config.c_str()};
  try {
    app.parse(4, argv);
  } catch (const CLI::Error&) {
  } catch (const tweedie::Error&) {
  }
  return 0;
}
