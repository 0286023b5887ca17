#include "core/error.h"
#include "pipelines/prior_spec.h"
#include "priors/ensemble_denoiser.h"
#include "priors/sure_blend.h"
#include "support/temporary_folder.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace tweedie;
namespace fs = std::filesystem;

namespace {

const fs::path kBundled = fs::path(TWEEDIE_SOURCE_DIR) / "models";

// Sets an environment variable for the scope.
class ScopedVariable {
 public:
  ScopedVariable(const char* name, const std::string& value) : name_(name) { setenv(name, value.c_str(), 1); }
  ~ScopedVariable() { unsetenv(name_); }
  ScopedVariable(const ScopedVariable&) = delete;
  ScopedVariable& operator=(const ScopedVariable&) = delete;

 private:
  const char* name_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(prior_spec)

BOOST_AUTO_TEST_CASE(members_split_on_commas_and_refuse_empty_ones) {
  BOOST_TEST(prior_members("natural-gray") == std::vector<std::string>{"natural-gray"});
  BOOST_TEST((prior_members("natural-gray+,bm3d") == std::vector<std::string>{"natural-gray+", "bm3d"}));
  BOOST_CHECK_THROW(prior_members("tv,,bm3d"), ParameterError);
  BOOST_CHECK_THROW(prior_members("tv,"), ParameterError);
  BOOST_TEST(prior_label("models/natural-gray.tdm+,wiener:/a/b/ct.tdm") == "natural-gray.tdm+,wiener:ct.tdm");
}

BOOST_AUTO_TEST_CASE(classical_priors_ensembles_and_blends_are_built_from_text) {
  BOOST_TEST(make_prior("tv")->name() == "tv");
  BOOST_TEST(make_prior("gaussian")->name() == "gaussian");
  BOOST_TEST(make_prior("bm3d")->name() == "bm3d");
  BOOST_TEST(dynamic_cast<EnsembleDenoiser*>(make_prior("tv+").get()) != nullptr);
  BOOST_TEST(dynamic_cast<EnsembleDenoiser*>(make_prior("tv", {.ensemble = true}).get()) != nullptr);
  BOOST_TEST(dynamic_cast<SureBlendDenoiser*>(make_prior("tv,gaussian").get()) != nullptr);
}

BOOST_AUTO_TEST_CASE(a_blend_is_refused_inside_a_solver) {
  BOOST_CHECK_THROW(make_prior("tv,gaussian", {.use = PriorUse::solver}), ParameterError);
  BOOST_CHECK_THROW(make_prior(""), ParameterError);
}

BOOST_AUTO_TEST_CASE(bundled_models_are_found_by_name_and_checked_for_modality) {
  BOOST_TEST(find_model("ct").filename() == "ct.tdm");
  BOOST_CHECK_NO_THROW(make_prior("ct", {.modality = "ct"}));
  BOOST_CHECK_THROW(make_prior("natural-gray", {.modality = "ct"}), ParameterError);
  BOOST_CHECK_THROW(make_prior("no-such-model"), IoError);
}

BOOST_AUTO_TEST_CASE(the_environment_variable_comes_first_in_the_search_path) {
  testing::TemporaryFolder folder;
  fs::copy_file(kBundled / "ct.tdm", folder / "elsewhere.tdm");
  BOOST_CHECK_THROW(find_model("elsewhere"), IoError);
  const ScopedVariable variable("TWEEDIE_MODELS_DIR", folder.path().string());
  BOOST_TEST(model_search_path().front() == folder.path());
  BOOST_TEST(find_model("elsewhere") == folder / "elsewhere.tdm");
  try {
    find_model("nowhere");
    BOOST_FAIL("a missing model was found");
  } catch (const IoError& error) {
    BOOST_TEST(std::string(error.what()).find(folder.path().string()) != std::string::npos);  // the folders searched
  }
}

BOOST_AUTO_TEST_SUITE_END()
