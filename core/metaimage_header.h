// A strict reader of MetaImage headers (.mha, .mhd), run before ITK's MetaIO opens a file. MetaIO
// takes a header on trust: names and values go into fixed buffers, counts from the file size its
// loops and allocations, a data file name is used as a printf format, and a byte it cannot place
// ends a value early. Only headers in the documented grammar (itk.org, "MetaIO documentation")
// pass: text lines "Name = Value", every field MetaIO sizes anything by checked, ElementDataFile
// last, naming LOCAL or one data file.
#pragma once

#include <cstdint>
#include <filesystem>

namespace tweedie {

struct MetaImageHeader {
  /// The bytes of the header lines, ElementDataFile's included (those before LOCAL voxels).
  std::uintmax_t bytes = 0;
  /// CompressedDataSize (MetaIO keeps it to itself); 0 when absent.
  std::uintmax_t compressed_data_size = 0;
};

/// Reads and checks the header of the MetaImage file `path`; throws IoError naming the file, the
/// line and what is wrong with it.
MetaImageHeader read_metaimage_header(const std::filesystem::path& path);

}  // namespace tweedie
