#include "core/staged_output.h"

#include "core/error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace tweedie {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw IoError("cannot " + what + " '" + path.string() + "': " + std::strerror(error));
}

void rename_or_fail(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::rename(from, to, error);
  if (error) throw IoError("cannot move '" + from.string() + "' to '" + to.string() + "': " + error.message());
}

}  // namespace

StagedOutput::StagedOutput(const fs::path& destination) : destination_(destination) {
  if (destination.filename().empty()) {
    throw IoError("output path '" + destination.string() + "' names no file or folder");
  }
  const fs::path folder = destination.has_parent_path() ? destination.parent_path() : fs::path(".");
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw IoError("cannot create folder '" + folder.string() + "': " + error.message());

  std::string pattern = (folder / ("." + destination.filename().string() + ".partial-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) fail("write to folder", folder, errno);
  staging_folder_ = pattern;
  staged_ = staging_folder_ / destination.filename();
}

StagedOutput::~StagedOutput() {
  std::error_code ignored;
  fs::remove_all(staging_folder_, ignored);
}

void StagedOutput::commit() {
  if (committed_) return;
  if (!fs::exists(staged_)) {
    throw IoError("nothing was written for '" + destination_.string() + "'");
  }
  if (fs::is_directory(staged_)) {
    // A folder cannot be renamed over a non-empty one: move the old folder aside first.
    const fs::path old = staging_folder_ / ".replaced";
    if (fs::exists(destination_)) rename_or_fail(destination_, old);
    rename_or_fail(staged_, destination_);
  } else {
    // Companion files first (e.g. MetaImage .raw), the named file last, so that a reader never
    // finds the new header before its data.
    const fs::path folder = destination_.parent_path();
    std::vector<fs::path> companions;
    for (const auto& entry : fs::directory_iterator(staging_folder_)) {
      if (entry.path() != staged_) companions.push_back(entry.path());
    }
    for (const fs::path& file : companions) rename_or_fail(file, folder / file.filename());
    rename_or_fail(staged_, destination_);
  }
  committed_ = true;
}

void write_text_file(const fs::path& destination, const std::string& text) {
  StagedOutput out(destination);
  {
    std::ofstream file(out.path(), std::ios::binary);
    file << text;
    if (!file.flush()) throw IoError("could not write '" + destination.string() + "'");
  }
  out.commit();
}

}  // namespace tweedie
