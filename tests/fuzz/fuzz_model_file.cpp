// Model files and training checkpoints (priors/model_file.h): any bytes are read into a model or
// refused with a tweedie::Error. Each input is also tried with a valid checksum line appended, as
// a writer would, so that mutations reach the header and the arrays behind the CRC-32 check.
#include "core/error.h"
#include "fuzz_input.h"
#include "priors/model_file.h"

#include <zlib.h>

#include <cstdio>

namespace {

void read_both_ways(const std::string& bytes) {
  const auto path = tweedie::fuzz::input_file(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "model.tdm");
  try {
    tweedie::read_model(path);
  } catch (const tweedie::Error&) {
  }
  try {
    tweedie::read_checkpoint(path);
  } catch (const tweedie::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes = tweedie::fuzz::input_text(data, size);
  read_both_ways(bytes);
  char checksum[16];
  const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size()));
  std::snprintf(checksum, sizeof checksum, "%08lx\n", crc);
  read_both_ways(bytes + checksum);
  return 0;
}
