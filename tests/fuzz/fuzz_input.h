// The fuzz targets' shared part: the input as a file (Tweedie's parsers read paths) and the rule
// that a parser may refuse its input only with a tweedie::Error. Any other exception escapes
// LLVMFuzzerTestOneInput and aborts, which libFuzzer reports as a crash, as it does for the
// sanitizers' findings.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace tweedie::fuzz {

/// The input written to a file named `name` in a folder of this process (rewritten for every input).
inline std::filesystem::path input_file(const std::uint8_t* data, std::size_t size, const std::string& name) {
  static const std::filesystem::path folder = [] {
    auto path = std::filesystem::temp_directory_path() / ("tweedie-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  const std::filesystem::path path = folder / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                 static_cast<std::streamsize>(size));
  return path;
}

inline std::string input_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace tweedie::fuzz
