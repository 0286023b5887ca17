// Training recipes (priors/training_recipe.h): parsed, or refused with a tweedie::Error.
#include "core/error.h"
#include "fuzz_input.h"
#include "priors/training_recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tweedie::TrainingRecipe::parse(tweedie::fuzz::input_text(data, size), "/nonexistent");
  } catch (const tweedie::Error&) {
  }
  return 0;
}
