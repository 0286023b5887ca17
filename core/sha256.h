// SHA-256 (FIPS 180-4) of bytes and files: the fingerprints a study records of its spec, inputs
// and models, so that a result can be traced to exactly what produced it.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tweedie {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  /// The digest as 64 lower-case hex digits; the object is spent afterwards.
  std::string hex_digest();

 private:
  void compress(const unsigned char* block);

  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

/// The hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

/// The hex SHA-256 of a file's content; throws IoError when it cannot be read.
std::string file_sha256(const std::filesystem::path& path);

}  // namespace tweedie
