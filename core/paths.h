// Questions about paths that user input names: answered with false, never an exception, for names
// the file system refuses (too long, say), so that the caller's own message names the path.
#pragma once

#include <filesystem>
#include <system_error>

namespace tweedie {

/// Whether `path` names a regular file.
inline bool is_file(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}

/// Whether `path` names a folder.
inline bool is_folder(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_directory(path, error);
}

}  // namespace tweedie
