#include "core/error.h"
#include "priors/model_file.h"
#include "support/temporary_folder.h"

#include "random_network.h"

#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <iterator>

using namespace tweedie;

namespace {

Model small_model() {
  Model model;
  model.architecture = {.depth = 3, .width = 8, .kernel = 3, .unshuffle = 2};
  model.normalisation = {"HU", -1000.0, 2000.0};
  model.modality = "ct";
  model.sigma_min = 5, model.sigma_max = 120;
  model.recipe_json = R"({"steps":10})";
  model.data_checksum = "abc";
  model.parameters = testing::random_parameters(model.architecture, 3);
  return model;
}

std::string contents(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

void overwrite(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void require_refusal(const std::filesystem::path& path, const std::string& words) {
  try {
    read_model(path);
    BOOST_FAIL("the file was accepted");
  } catch (const IoError& e) {
    BOOST_TEST_INFO("message: " << e.what());
    BOOST_TEST(std::string(e.what()).find(words) != std::string::npos);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_file)

BOOST_AUTO_TEST_CASE(a_model_reads_back_exactly) {
  const testing::TemporaryFolder folder;
  const Model model = small_model();
  write_model(model, folder.path() / "m.tdm");
  const Model back = read_model(folder.path() / "m.tdm");
  BOOST_TEST(back.parameters == model.parameters);
  BOOST_TEST(back.architecture.depth == 3);
  BOOST_TEST(back.architecture.width == 8);
  BOOST_TEST(back.normalisation.units == "HU");
  BOOST_TEST(back.normalisation.offset == -1000.0);
  BOOST_TEST(back.modality == "ct");
  BOOST_TEST(back.sigma_max == 120.0);
  BOOST_TEST(back.recipe_json == model.recipe_json);
}

// A 2.5D model keeps its context; a 2D model's header says nothing of it, as before there were any.
BOOST_AUTO_TEST_CASE(a_model_with_neighbouring_slices_reads_back_with_them) {
  const testing::TemporaryFolder folder;
  Model model = small_model();
  write_model(model, folder.path() / "flat.tdm");
  BOOST_TEST(contents(folder.path() / "flat.tdm").find("context") == std::string::npos);
  model.architecture.context = 1;
  model.parameters = testing::random_parameters(model.architecture, 4);
  write_model(model, folder.path() / "wide.tdm");
  const Model back = read_model(folder.path() / "wide.tdm");
  BOOST_TEST((back.architecture == model.architecture));
  BOOST_TEST(back.parameters == model.parameters);
}

BOOST_AUTO_TEST_CASE(a_checkpoint_reads_back_exactly_and_is_not_a_model) {
  const testing::TemporaryFolder folder;
  Checkpoint checkpoint{small_model(), 1234, {}, {}};
  checkpoint.first_moment.assign(checkpoint.model.parameters.size(), 0.5f);
  checkpoint.second_moment.assign(checkpoint.model.parameters.size(), 0.25f);
  write_checkpoint(checkpoint, folder.path() / "c.tdm");
  const Checkpoint back = read_checkpoint(folder.path() / "c.tdm");
  BOOST_TEST(back.step == 1234);
  BOOST_TEST(back.model.parameters == checkpoint.model.parameters);
  BOOST_TEST(back.second_moment == checkpoint.second_moment);
  require_refusal(folder.path() / "c.tdm", "checkpoint, not a model");
}

BOOST_AUTO_TEST_CASE(a_checkpoint_header_without_its_training_state_is_refused) {
  // Found by fuzzing: a checkpoint whose header lacks "gradient_norm_average" (under a valid
  // checksum) let a JSON exception escape.
  const testing::TemporaryFolder folder;
  Checkpoint checkpoint{small_model(), 7, {}, {}};
  checkpoint.first_moment.assign(checkpoint.model.parameters.size(), 0.0f);
  checkpoint.second_moment = checkpoint.first_moment;
  write_checkpoint(checkpoint, folder.path() / "c.tdm");
  std::string bytes = contents(folder.path() / "c.tdm");
  bytes.resize(bytes.size() - 9);  // the checksum line
  bytes.replace(bytes.find("gradient_norm_average"), 21, "gradient_norm_avXrage");
  char checksum[16];
  std::snprintf(checksum, sizeof checksum, "%08lx\n", crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
  overwrite(folder.path() / "c.tdm", bytes + checksum);
  try {
    read_checkpoint(folder.path() / "c.tdm");
    BOOST_FAIL("the checkpoint was accepted");
  } catch (const IoError& e) {
    BOOST_TEST(std::string(e.what()).find("has an incomplete header") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(truncated_altered_and_foreign_files_are_refused) {
  const testing::TemporaryFolder folder;
  const auto path = folder.path() / "m.tdm";
  write_model(small_model(), path);
  const std::string good = contents(path);

  overwrite(path, good.substr(0, good.size() - 100));
  require_refusal(path, "checksum mismatch");
  overwrite(path, good.substr(0, 40));
  require_refusal(path, "truncated");
  std::string altered = good;
  altered[altered.size() - 200] ^= 0x01;  // one bit of one weight
  overwrite(path, altered);
  require_refusal(path, "checksum mismatch");
  overwrite(path, "P5\n1 1\n255\n\x01");
  require_refusal(path, "not a Tweedie model");
  std::string future = good;
  future.replace(good.find(" 1 model"), 8, " 9 model");
  overwrite(path, future);
  require_refusal(path, "format version 9");
  require_refusal(folder.path() / "missing.tdm", "cannot read");
  // Numbers that are not numbers (found by fuzzing: std::stoul threw past the IoError).
  overwrite(path, good.substr(0, good.size() - 9) + "zzzzzzzz\n");
  require_refusal(path, "checksum mismatch");
  std::string length = good;
  length.replace(length.find('\n') + 1, 1, "x");
  overwrite(path, length);
  require_refusal(path, "damaged header");
  std::string huge = good;
  huge.insert(huge.find('\n') + 1, "99999999999999999999");
  overwrite(path, huge);
  require_refusal(path, "damaged header");
}

BOOST_AUTO_TEST_SUITE_END()
