// Write-then-rename for every output Tweedie produces, so that a failure or a kill never leaves a
// half-written file behind and never destroys an older result.
//
// Writers put their files under `path()` — the destination's own name inside a private staging
// folder next to the destination — and `commit()` moves them into place with rename(2), which is
// atomic within one file system. Multi-file formats (MetaImage .mhd + .raw, DICOM series folders)
// keep their internal references because the file names never change. Without a commit, the
// destructor removes the staging folder.
//
//   StagedOutput out(destination);
//   writer->SetFileName(out.path());
//   writer->Update();
//   out.commit();
#pragma once

#include <filesystem>
#include <string>

namespace tweedie {

class StagedOutput {
 public:
  /// Creates the destination's parent folders and a staging folder beside the destination.
  explicit StagedOutput(const std::filesystem::path& destination);
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  /// Where the writer must write: the destination's name inside the staging folder.
  const std::filesystem::path& path() const { return staged_; }
  /// Moves what was written into place; the destination file or folder is replaced.
  void commit();

 private:
  std::filesystem::path destination_;
  std::filesystem::path staging_folder_;
  std::filesystem::path staged_;
  bool committed_ = false;
};

/// Writes `text` to `destination` through a StagedOutput; throws IoError naming the file when the
/// write fails (a full disk, say), leaving any older file in place.
void write_text_file(const std::filesystem::path& destination, const std::string& text);

}  // namespace tweedie
