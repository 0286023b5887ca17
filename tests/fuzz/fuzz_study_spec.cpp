// Study specs (pipelines/study_spec.h): parsed, or refused with a tweedie::Error.
#include "core/error.h"
#include "fuzz_input.h"
#include "pipelines/study_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tweedie::parse_study_spec(tweedie::fuzz::input_text(data, size), "/nonexistent");
  } catch (const tweedie::Error&) {
  }
  return 0;
}
