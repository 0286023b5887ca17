#include "core/error.h"
#include "core/image_io.h"
#include "core/threading.h"
#include "operators/hounsfield.h"
#include "operators/joseph_projector.h"
#include "operators/low_dose.h"
#include "operators/phantom.h"
#include "pipelines/study_compare.h"
#include "pipelines/study_run.h"
#include "pipelines/study_statistics.h"
#include "pipelines/study_table.h"
#include "support/temporary_folder.h"
#include "support/test_pictures.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <tuple>

using namespace tweedie;
using tweedie::testing::TemporaryFolder;
namespace fs = std::filesystem;

namespace {

/// A small study over a 128² slice of the bundled CT sample and two 64² pictures.
std::string small_spec(const std::string& extra_method = "") {
  return R"({
    "name": "small",
    "datasets": [
      {"name": "ct", "volume": ")" TWEEDIE_SOURCE_DIR R"(/data/ct/abdomen_siemens_4sl.nii.gz", "slices": [1], "scale": 0.25},
      {"name": "pictures", "files": ["a.png", "b.png"]}
    ],
    "problems": [
      {"type": "ct", "views": 90, "dose": 1e4, "datasets": ["ct"]},
      {"type": "blur", "name": "blurred", "blur-sigma": 1.2, "datasets": ["pictures"]},
      {"type": "denoising", "noise-sigma": [10, 20], "datasets": ["pictures"]}
    ],
    "methods": [
      )" + extra_method + R"(
      {"method": "fbp"},
      {"method": "post-filter", "prior": "tv", "sigma": 30, "problems": ["ct"]},
      {"method": "post-filter", "prior": "gaussian", "problems": ["blurred", "denoising"]},
      {"method": "tv-pdhg", "iterations": 20}
    ],
    "seeds": [1, 2],
    "save_images": true
  })";
}

std::string file_text(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The folder holds the two pictures the spec names; returns the spec read from there.
StudySpec spec_in(const TemporaryFolder& folder, const std::string& text = small_spec()) {
  write_image(tweedie::testing::test_picture(64), folder / "a.png");
  Image b = tweedie::testing::test_picture(64);
  b.array() = 255.0f - b.array();
  write_image(b, folder / "b.png");
  std::ofstream(folder / "spec.json") << text;
  return read_study_spec(folder / "spec.json");
}

void require_refused(const std::string& text, const std::string& message_part) {
  const TemporaryFolder folder;
  BOOST_TEST_CONTEXT(message_part) {
    try {
      spec_in(folder, text);
      BOOST_ERROR("the spec was accepted");
    } catch (const Error& e) {
      BOOST_TEST(std::string(e.what()).find(message_part) != std::string::npos, e.what());
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(study)

BOOST_AUTO_TEST_CASE(lists_expand_into_sweeps_and_methods_meet_only_the_problems_they_solve) {
  const TemporaryFolder folder;
  const StudySpec spec = spec_in(folder);
  BOOST_TEST(spec.items.size() == 3u);
  BOOST_REQUIRE(spec.problems.size() == 4u);
  BOOST_TEST(spec.problems[2].label == "denoising noise-sigma=10");
  BOOST_TEST(spec.problems[3].label == "denoising noise-sigma=20");
  BOOST_TEST(spec.baseline == "fbp");
  // ct: fbp, tv post-filter, tv-pdhg; each picture: 3 problems × (gaussian post-filter, tv-pdhg),
  // the post-filter naming one problem by its name and two by their type; × 2 seeds.
  const std::vector<StudyCase> cases = study_cases(spec);
  BOOST_TEST(cases.size() == (3u + 2u * 3u * 2u) * 2u);
  BOOST_TEST(cases.front().key == "ct/abdomen_siemens_4sl.nii.gz:1 | ct | fbp | seed 1");

  std::string doses = small_spec();
  const std::string one_dose = "\"dose\": 1e4";
  doses.replace(doses.find(one_dose), one_dose.size(), "\"dose\": [1e4, 2.5e3, 1.5e2]");
  const StudySpec swept = spec_in(folder, doses);
  BOOST_TEST(swept.problems[0].label == "ct dose=10000");
  BOOST_TEST(swept.problems[1].label == "ct dose=2500");
  BOOST_TEST(swept.problems[2].label == "ct dose=150");
}

BOOST_AUTO_TEST_CASE(a_bad_spec_is_refused_naming_the_key) {
  const std::string good = small_spec();
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    BOOST_REQUIRE(text.find(from) != std::string::npos);
    return text.replace(text.find(from), from.size(), to);
  };
  require_refused(with("\"views\": 90", "\"veiws\": 90"), "problems[0] has an unknown key \"veiws\"");
  require_refused(with("\"dose\": 1e4", "\"dose\": -5"), "problems[0].dose must be above 0");
  require_refused(with("\"iterations\": 20", "\"iterations\": \"many\""), "methods[3].iterations must be a whole number");
  require_refused(with("\"noise-sigma\": [10, 20]", "\"noise-sigma\": []"), "problems[2].noise-sigma is an empty list");
  require_refused(with("\"tv-pdhg\"", "\"tv-pgdh\""), "methods[3] is not a valid solver choice");
  require_refused(with("\"b.png\"", "\"c.png\""), "no file");
  require_refused(with("\"datasets\": [\"ct\"]", "\"datasets\": [\"lungs\"]"), "dataset \"lungs\"");
  require_refused(with("\"seeds\": [1, 2]", "\"seeds\": [1, 2], \"baseline\": \"fbp (filter=ramp)\""), "baseline");
  require_refused(with("\"slices\": [1]", "\"slices\": [9]"), "slice 9");
  require_refused(with("\"b.png\"", "\"a.png\""), "lists \"pictures/a.png\" twice");
  require_refused(with("{\"method\": \"fbp\"}", "{\"method\": \"fbp\", \"filter\": \"ramp\"}"), "methods[0].filter must be one of");
  require_refused("{\"name\": ", "not valid JSON");
  require_refused("{\"name\": 1e4444444}", "not valid JSON");  // found by fuzzing: escaped as a JSON exception
}

// PSNR and SSIM are taken over the reference's range: a uniform reference (a slice of air) has none,
// and is refused when the spec is read, not when its case comes up.
BOOST_AUTO_TEST_CASE(a_uniform_reference_is_refused_when_the_spec_is_read) {
  const TemporaryFolder folder;
  Image flat(ImageGeometry{.shape = Shape::image(64, 64)});
  flat.array() = 40.0f;
  write_image(flat, folder / "flat.png");
  std::string text = small_spec();
  text.replace(text.find("\"b.png\""), 7, "\"flat.png\"");
  try {
    spec_in(folder, text);
    BOOST_ERROR("the spec was accepted");
  } catch (const Error& e) {
    const std::string message = e.what();
    BOOST_TEST(message.find("datasets[1]") != std::string::npos, message);
    BOOST_TEST(message.find("flat.png' is uniform (every voxel 40") != std::string::npos, message);
  }
}

BOOST_AUTO_TEST_CASE(a_rerun_at_another_thread_count_or_one_case_at_a_time_gives_the_same_bytes) {
  const TemporaryFolder folder;
  const StudySpec spec = spec_in(folder);
  {
    const ThreadLimit limit(1);
    run_study(spec, {.output = folder / "one"});
  }
  {
    const ThreadLimit limit(2);
    run_study(spec, {.output = folder / "two"});
  }
  ThreadScheduler one_case_at_a_time(1);
  run_study(spec, {.output = folder / "sequential", .scheduler = &one_case_at_a_time});
  const std::string results = file_text(folder / "one" / "results.csv");
  BOOST_TEST(results == file_text(folder / "two" / "results.csv"));
  BOOST_TEST(results == file_text(folder / "sequential" / "results.csv"));
  BOOST_TEST(read_results_csv(folder / "one" / "results.csv").size() == study_cases(spec).size());
  for (const char* file : {"timings.csv", "report.html", "manifest.json"}) BOOST_TEST(fs::exists(folder / "one" / file));
  BOOST_TEST(file_text(folder / "one" / "manifest.json").find(spec.sha256) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_method_sees_the_same_measurement) {
  // Adding a method to the spec changes no number of the others: measurements depend on the item,
  // the problem and the seed only.
  const TemporaryFolder folder;
  run_study(spec_in(folder), {.output = folder / "base"});
  run_study(spec_in(folder, small_spec(R"({"method": "post-filter", "prior": "bm3d", "sigma": 30, "problems": ["ct"]},)")),
            {.output = folder / "more"});
  const std::vector<StudyRow> base = read_results_csv(folder / "base" / "results.csv");
  std::vector<StudyRow> more = read_results_csv(folder / "more" / "results.csv");
  std::erase_if(more, [](const StudyRow& r) { return r.parameters.find("bm3d") != std::string::npos; });
  BOOST_REQUIRE(more.size() == base.size());
  for (std::size_t i = 0; i < base.size(); ++i) BOOST_TEST(results_csv_line(more[i]) == results_csv_line(base[i]));
}

BOOST_AUTO_TEST_CASE(a_run_resumes_from_its_records_and_refuses_another_spec) {
  const TemporaryFolder folder;
  const StudySpec spec = spec_in(folder);
  run_study(spec, {.output = folder / "out"});
  const std::string complete = file_text(folder / "out" / "results.csv");
  // As a kill would leave it: some cases recorded, no results yet.
  const std::vector<StudyCase> cases = study_cases(spec);
  fs::remove(folder / "out" / "results.csv");
  for (std::size_t i = 0; i < cases.size(); i += 3) fs::remove(folder / "out" / "cases" / (cases[i].id + ".json"));
  std::ofstream(folder / "out" / "cases" / (cases[1].id + ".json")) << "{\"key\": \"trunc";  // not a whole record
  const StudyRunSummary resumed = run_study(spec, {.output = folder / "out"});
  BOOST_TEST(resumed.resumed == cases.size() - (cases.size() + 2) / 3 - 1);
  BOOST_TEST(file_text(folder / "out" / "results.csv") == complete);

  std::string other = small_spec();
  other.replace(other.find("\"views\": 90"), 11, "\"views\": 60");
  const StudySpec changed = spec_in(folder, other);
  BOOST_CHECK_THROW(run_study(changed, {.output = folder / "out"}), IoError);
  BOOST_TEST(run_study(changed, {.output = folder / "out", .force = true}).resumed == 0u);
}

BOOST_AUTO_TEST_CASE(results_csv_reads_back_what_it_wrote) {
  StudyRow row{"0123456789abcdef", "set, 12", "set, 12/x.png", "blur", "pnp-hqs", "prior=\"a,b\" iterations=8"};
  row.seed = 7, row.psnr = 31.23456, row.ssim = 0.876543, row.iterations = 8, row.chosen_sigma = 12.5;
  const TemporaryFolder folder;
  write_results_csv({row}, folder / "results.csv");
  const std::vector<StudyRow> read = read_results_csv(folder / "results.csv");
  BOOST_REQUIRE(read.size() == 1u);
  BOOST_TEST(results_csv_line(read[0]) == results_csv_line(row));
  BOOST_TEST(read[0].parameters == row.parameters);
  BOOST_TEST(!read[0].window_psnr.has_value());
  std::ofstream(folder / "bad.csv") << results_csv_header() << "\nnot,a,row\n";
  BOOST_CHECK_THROW(read_results_csv(folder / "bad.csv"), IoError);
}

BOOST_AUTO_TEST_CASE(bootstrap_intervals_cover_the_mean_and_shrink_with_more_cases) {
  std::vector<double> few, many;
  for (int i = 0; i < 400; ++i) (i < 10 ? few : many).push_back(30.0 + std::sin(1.7 * i));
  const MeanInterval a = bootstrap_mean(few), b = bootstrap_mean(many);
  BOOST_TEST(a.low < a.mean);
  BOOST_TEST(a.mean < a.high);
  BOOST_TEST((b.high - b.low) < 0.5 * (a.high - a.low));
  BOOST_TEST(bootstrap_mean(few).low == a.low);  // the same values, the same interval
  // Standard error of the mean ≈ s/√n: the 95 % interval is about ±1.96 s/√n.
  double s2 = 0.0;
  for (const double v : many) s2 += (v - b.mean) * (v - b.mean);
  const double n = static_cast<double>(many.size());
  const double standard_error = std::sqrt(s2 / (n - 1.0) / n);
  BOOST_TEST((b.high - b.low) / (2 * 1.96 * standard_error) == 1.0, boost::test_tools::tolerance(0.15));
}

BOOST_AUTO_TEST_CASE(paired_differences_and_comparisons_see_a_shift_and_no_shift) {
  const TemporaryFolder folder;
  const StudySpec spec = spec_in(folder);
  run_study(spec, {.output = folder / "a"});
  const std::vector<StudyRow> a = read_results_csv(folder / "a" / "results.csv");
  std::vector<StudyRow> b = a;
  for (StudyRow& r : b) if (r.method == "fbp") *r.psnr += 0.25 + 0.01 * static_cast<double>(r.seed);
  for (const MethodComparison& c : compare_studies(a, b)) {
    BOOST_TEST_CONTEXT(c.problem << " " << c.method) {
      BOOST_TEST(c.ranking.exceeds_interval() == (c.method.rfind("fbp", 0) == 0));
      BOOST_TEST(c.ranking.wins == (c.method.rfind("fbp", 0) == 0 ? c.ranking.difference.count : 0u));
      BOOST_TEST(!c.ssim.exceeds_interval());
    }
  }
}

BOOST_AUTO_TEST_CASE(tables_show_means_and_a_sweep_at_its_best_value) {
  // Two problems; "tv" swept over three levels (the best differs per problem), "fbp" run once.
  std::vector<StudyRow> rows;
  const auto add = [&rows](const std::string& problem, const std::string& method, const std::string& parameters, double psnr) {
    for (std::uint64_t seed : {1, 2}) {
      StudyRow row;
      row.item = "x", row.problem = problem, row.method = method, row.parameters = parameters, row.seed = seed;
      row.psnr = psnr + (seed == 1 ? -0.5 : 0.5), row.ssim = 0.5;
      rows.push_back(row);
    }
  };
  add("p", "fbp", "", 20.0);
  add("p", "sure", "", 22.0);
  for (StudyRow& r : rows) if (r.method == "sure") r.chosen_sigma = r.seed == 1 ? 14.0 : 16.0;
  add("q", "fbp", "", 25.0);
  for (const auto& [level, p_psnr, q_psnr] : {std::tuple{"sigma=10", 21.0, 28.0}, {"sigma=20", 23.0, 27.0}, {"sigma=40", 22.0, 26.0}}) {
    add("p", "tv", level, p_psnr);
    add("q", "tv", level, q_psnr);
  }
  const std::string all = markdown_tables(rows, {.with_seconds = false});
  BOOST_TEST(all.find("### p\n") != std::string::npos);
  BOOST_TEST(all.find("| tv (sigma=20) | 2 | 23.00 | 0.500 |  |") != std::string::npos, all);
  BOOST_TEST(all.find("| sure | 2 | 22.00 | 0.500 | 15.00 |") != std::string::npos, all);
  const std::string best = markdown_tables(rows, {.with_seconds = false, .best_of_sweeps = true});
  BOOST_TEST(best.find("| tv (best of 3) | sigma=20 | 2 | 23.00 |") != std::string::npos, best);
  BOOST_TEST(best.find("| tv (best of 3) | sigma=10 | 2 | 28.00 |") != std::string::npos, best);
  BOOST_TEST(best.find("| fbp |  | 2 | 25.00 |") != std::string::npos, best);
  BOOST_TEST(best.find("sigma=40") == std::string::npos, best);
  const std::string wide = markdown_tables(rows, {.best_of_sweeps = true, .wide = true});
  BOOST_TEST(wide.find("| problem | fbp | sure | tv (best of 3) |\n") == 0, wide);
  BOOST_TEST(wide.find("| p | 20.00 / 0.500 | 22.00 / 0.500, SURE's level 15.00 | 23.00 / 0.500 at sigma=20 |") != std::string::npos, wide);
  BOOST_TEST(wide.find("| q | 25.00 / 0.500 | — | 28.00 / 0.500 at sigma=10 |") != std::string::npos, wide);
}

BOOST_AUTO_TEST_CASE(a_measured_sinogram_is_judged_by_its_held_out_views) {
  // A noisy scan of a phantom given as a measured sinogram (no reference): FBP and a TV solver run
  // on it, judged by the views each half left out; the pictures keep their denoising problem.
  const TemporaryFolder folder;
  const CtGeometry geometry = parallel_geometry(96, 2.0, 180);
  Image phantom = rasterize(shepp_logan(85.0), geometry.image_geometry());
  phantom.array() *= static_cast<float>(kWaterAttenuationPerMm);
  const LowDoseSinogram scan = simulate_low_dose(JosephProjector(geometry).apply(phantom), {.incident_photons = 3e3, .seed = 8});
  write_image(scan.line_integrals, folder / "scan.mha");
  write_image(scan.weights, folder / "weights.mha");
  write_geometry(geometry, folder / "scan.json");
  const std::string spec_text = R"({
    "datasets": [
      {"name": "scan", "sinogram": "scan.mha", "weights": "weights.mha", "geometry": "scan.json"},
      {"name": "pictures", "files": ["a.png"]}
    ],
    "problems": [{"type": "held-out-views"}, {"type": "denoising", "noise-sigma": 20}],
    "methods": [{"method": "fbp"}, {"method": "pnp-hqs", "prior": "tv"}, {"method": "post-filter", "prior": "gaussian"}],
    "save_images": true
  })";
  const StudySpec spec = spec_in(folder, spec_text);
  std::vector<std::string> keys;
  for (const StudyCase& c : study_cases(spec)) keys.push_back(c.key);
  BOOST_TEST(keys == (std::vector<std::string>{"scan/scan.mha | held-out-views | fbp | seed 1",
                                               "scan/scan.mha | held-out-views | pnp-hqs (prior=tv) | seed 1",
                                               "pictures/a.png | denoising | pnp-hqs (prior=tv) | seed 1",
                                               "pictures/a.png | denoising | post-filter (prior=gaussian) | seed 1"}),
             boost::test_tools::per_element());

  run_study(spec, {.output = folder / "out"});
  const std::vector<StudyRow> rows = read_results_csv(folder / "out" / "results.csv");
  BOOST_REQUIRE(rows.size() == 4u);
  const StudyRow &fbp = rows[0], &tv = rows[1];
  BOOST_REQUIRE(fbp.held_out_rms && tv.held_out_rms && tv.noise_rms);
  BOOST_TEST(!tv.psnr.has_value());
  BOOST_TEST(*tv.held_out_rms < 0.9 * *fbp.held_out_rms);
  BOOST_TEST(*tv.noise_rms < *tv.held_out_rms);
  BOOST_TEST(rows[2].psnr.has_value());
  BOOST_TEST(!rows[2].held_out_rms.has_value());

  const std::string tables = markdown_tables(rows, {.with_seconds = false});
  BOOST_TEST(tables.find("| method | cases | held-out RMS | noise alone |") != std::string::npos, tables);
  BOOST_TEST(tables.find("| pnp-hqs (prior=tv) | 1 | " + fixed_decimals(*tv.held_out_rms, 4) + " |") != std::string::npos, tables);
  BOOST_TEST(tables.find("| method | cases | PSNR (dB) | SSIM |") != std::string::npos, tables);
  const std::string wide = markdown_tables(rows, {.wide = true});
  BOOST_TEST(wide.find("| held-out-views | RMS " + fixed_decimals(*fbp.held_out_rms, 4) + " | RMS " + fixed_decimals(*tv.held_out_rms, 4) +
                       " | — | " + fixed_decimals(*tv.noise_rms, 4) + " |\n") != std::string::npos, wide);
  BOOST_TEST(wide.find("| denoising | — | ") != std::string::npos, wide);
  BOOST_TEST(file_text(folder / "out" / "report.html").find("Δheld-out RMS vs fbp") != std::string::npos);
  std::vector<StudyRow> worse = rows;
  for (StudyRow& r : worse) if (r.held_out_rms) *r.held_out_rms *= 1.5;
  for (const MethodComparison& c : compare_studies(rows, worse)) BOOST_TEST(c.measured == (c.problem == "held-out-views"));
}

BOOST_AUTO_TEST_CASE(a_measured_sinogram_needs_its_geometry_and_weights_of_its_shape) {
  const TemporaryFolder folder;
  const CtGeometry geometry = parallel_geometry(32, 2.0, 40);
  write_image(Image(JosephProjector(geometry).range()), folder / "scan.mha");
  write_image(Image(Shape::image(32, 32)), folder / "small.mha");
  write_geometry(geometry, folder / "scan.json");
  write_geometry(parallel_geometry(32, 2.0, 60), folder / "other.json");
  const auto spec_with = [](const std::string& dataset) {
    return R"({"datasets": [)" + dataset + R"(], "problems": [{"type": "held-out-views"}], "methods": [{"method": "fbp"}]})";
  };
  const auto refused = [&](const std::string& dataset, const std::string& message_part) {
    std::ofstream(folder / "spec.json") << spec_with(dataset);
    BOOST_TEST_CONTEXT(message_part) {
      try {
        read_study_spec(folder / "spec.json");
        BOOST_ERROR("the spec was accepted");
      } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find(message_part) != std::string::npos, e.what());
      }
    }
  };
  refused(R"({"name": "s", "sinogram": "scan.mha"})", "datasets[0].geometry is missing");
  refused(R"({"name": "s", "sinogram": "scan.mha", "geometry": "scan.json", "weights": "small.mha"})", "not of the sinogram's shape");
  refused(R"({"name": "s", "sinogram": "scan.mha", "geometry": "other.json"})", "scan.mha");
  refused(R"({"name": "s", "sinogram": "scan.mha", "geometry": "scan.json", "slices": [0]})", "applies to stacks");
  refused(R"({"name": "s", "sinogram": "scan.mha", "geometry": "scan.json", "scale": 0.5})", "unknown key \"scale\"");
  refused(R"({"name": "s", "sinogram": "scan.mha", "volume": "small.mha"})", "exactly one of");
  refused(R"({"name": "s", "geometry": "scan.json", "sinogram": ")" + std::string(5000, 's') + "\"}", "datasets[0].sinogram: no file");
}

BOOST_AUTO_TEST_SUITE_END()
