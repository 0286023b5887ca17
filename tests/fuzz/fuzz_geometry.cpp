// CT geometry files (operators/ct_geometry.h): read, or refused with a tweedie::Error.
#include "core/error.h"
#include "fuzz_input.h"
#include "operators/ct_geometry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tweedie::read_geometry(tweedie::fuzz::input_file(data, size, "geometry.json"));
  } catch (const tweedie::Error&) {
  }
  return 0;
}
