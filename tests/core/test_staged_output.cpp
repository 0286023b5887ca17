#include "core/error.h"
#include "core/staged_output.h"
#include "support/temporary_folder.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>

using namespace tweedie;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t entries(const fs::path& folder) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), {}));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(staged_output)

BOOST_AUTO_TEST_CASE(commit_moves_the_file_and_its_companions_into_place) {
  testing::TemporaryFolder folder;
  {
    StagedOutput output(folder / "volume.mhd");
    write_text(output.path(), "header");
    write_text(output.path().parent_path() / "volume.raw", "data");
    BOOST_TEST(!fs::exists(folder / "volume.mhd"));
    output.commit();
  }
  BOOST_TEST(read_text(folder / "volume.mhd") == "header");
  BOOST_TEST(read_text(folder / "volume.raw") == "data");
  BOOST_TEST(entries(folder.path()) == 2u);  // no staging folder left
}

BOOST_AUTO_TEST_CASE(without_commit_nothing_changes) {
  testing::TemporaryFolder folder;
  write_text(folder / "result.nii", "old");
  {
    StagedOutput output(folder / "result.nii");
    write_text(output.path(), "half-written");
  }
  BOOST_TEST(read_text(folder / "result.nii") == "old");
  BOOST_TEST(entries(folder.path()) == 1u);
}

BOOST_AUTO_TEST_CASE(a_folder_output_replaces_the_old_folder) {
  testing::TemporaryFolder folder;
  fs::create_directory(folder / "series");
  write_text(folder / "series" / "old.dcm", "old");
  {
    StagedOutput output(folder / "series");
    fs::create_directory(output.path());
    write_text(output.path() / "new.dcm", "new");
    output.commit();
  }
  BOOST_TEST(fs::exists(folder / "series" / "new.dcm"));
  BOOST_TEST(!fs::exists(folder / "series" / "old.dcm"));
  BOOST_TEST(entries(folder.path()) == 1u);
}

BOOST_AUTO_TEST_CASE(missing_parent_folders_are_created) {
  testing::TemporaryFolder folder;
  StagedOutput output(folder / "a" / "b" / "x.png");
  write_text(output.path(), "x");
  output.commit();
  BOOST_TEST(fs::exists(folder / "a" / "b" / "x.png"));
}

BOOST_AUTO_TEST_CASE(unwritable_folders_and_empty_commits_are_reported) {
  testing::TemporaryFolder folder;
  write_text(folder / "file", "x");
  // A regular file where a folder is needed.
  BOOST_CHECK_THROW(StagedOutput(folder / "file" / "out.nii"), IoError);
  StagedOutput output(folder / "never.nii");
  BOOST_CHECK_THROW(output.commit(), IoError);
}

BOOST_AUTO_TEST_SUITE_END()
