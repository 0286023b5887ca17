// Model files and training checkpoints (priors/model_file.h): any bytes are read into a model or
// refused with a tweedie::Error.
#include "core/error.h"
#include "fuzz_input.h"
#include "priors/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = tweedie::fuzz::input_file(data, size, "model.tdm");
  try {
    tweedie::read_model(path);
  } catch (const tweedie::Error&) {
  }
  try {
    tweedie::read_checkpoint(path);
  } catch (const tweedie::Error&) {
  }
  return 0;
}
