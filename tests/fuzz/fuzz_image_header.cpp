// MetaImage files (header and voxels in one .mha): Tweedie's checks before ITK reads anything (the
// header's grammar, core/metaimage_header.h; size against memory, data against the header's size),
// then ITK's reader. Read, or refused with a tweedie::Error.
#include "core/error.h"
#include "core/image_io.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tweedie::read_image(tweedie::fuzz::input_file(data, size, "image.mha"));
  } catch (const tweedie::Error&) {
  }
  return 0;
}
