// A benchmark study: datasets × problems × methods × seeds, described by a JSON spec (docs/studies.md).
// Reading a spec checks every key and value and names the bad one ("methods[2].iterations: …");
// a list where one value is expected expands into a sweep, one problem or method per value.
//
//   StudySpec spec = read_study_spec("bench/studies/quick.json");
//   for (const StudyCase& c : study_cases(spec)) …;   // canonical order, the rows of results.csv
#pragma once

#include "operators/ct_geometry.h"
#include "operators/fbp.h"
#include "pipelines/restoration.h"
#include "pipelines/solver_choice.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tweedie {

/// "NAME" or "NAME (PARAMETERS)": how tables, the report and results name a method.
std::string method_label(const std::string& name, const std::string& parameters);

/// How a dataset's values read: CT in Hounsfield units, or pictures on the 0–255 scale; measured
/// sinograms are reconstructed in HU or in attenuation (mm⁻¹).
enum class DatasetUnits { hounsfield, gray, attenuation };

/// One 2D item of a dataset: a reference image (a picture, or a slice of a volume), or one slice of
/// a measured sinogram stack, which has no reference.
struct StudyItem {
  std::string dataset;
  std::filesystem::path file;
  std::optional<std::int64_t> slice;  ///< of a volume or sinogram stack
  DatasetUnits units = DatasetUnits::gray;
  double scale = 1.0;                 ///< resized by this factor (core/resize.h) before use
  std::filesystem::path geometry;     ///< measured sinogram: its CT geometry file (empty for images)
  std::filesystem::path weights;      ///< measured sinogram: its statistical weights (optional)

  bool measured() const { return !geometry.empty(); }
  /// "DATASET/FILE" or "DATASET/FILE:SLICE".
  std::string label() const;
};

/// held_out_views: measured sinograms judged without a reference (pipelines/held_out_views.h).
enum class StudyProblemKind { ct, denoising, restoration, held_out_views };

/// One problem of the grid (a sweep already expanded).
struct StudyProblem {
  std::string label;                  ///< the name, with the swept values ("ct dose=5000")
  std::string type, name;             ///< as the spec gave them (name: the type when none)
  StudyProblemKind kind = StudyProblemKind::ct;
  std::vector<std::string> datasets;  ///< the datasets it applies to (empty: every one)
  // CT: the scan of each item, on the item's own grid.
  CtScanSpec scan;
  double dose = 1e4;                  ///< I0, photons per bin and view
  double electronic_noise = 0.0;      ///< counts
  // Denoising and restoration: Gaussian noise of σ `noise_sigma` (image units) after the operator.
  RestorationProblem restoration;     ///< degradation none for denoising
  double missing = 0.5;               ///< inpainting: fraction of pixels not measured
  double noise_sigma = kDefaultRestorationNoise;
};

enum class StudyMethodKind { fbp, post_filter, solver };

/// One method of the grid (a sweep already expanded).
struct StudyMethod {
  std::string name;        ///< "fbp", "post-filter", a solver's name, or the name the spec gave
  std::string parameters;  ///< the spec's other keys, "key=value" sorted by key, space-separated
  StudyMethodKind kind = StudyMethodKind::solver;
  FbpFilter filter = FbpFilter::hann;  ///< fbp, and the FBP that CT post-filters start from
  std::string prior;                   ///< post-filter: the denoiser (pipelines/prior_spec.h)
  std::optional<double> filter_sigma;  ///< post-filter: its level in the image's units (none: the problem's noise σ)
  SolverChoice choice;                 ///< solver
  std::vector<std::string> problems;   ///< the types or names of the problems it applies to (empty: all it can solve)

  /// "NAME" or "NAME (PARAMETERS)": how tables and the report name it.
  std::string label() const;
  /// FBP solves CT problems (simulated and measured) only, post-filters every problem but measured
  /// CT, solvers every problem.
  bool solves(const StudyProblem& problem) const;
};

struct StudySpec {
  std::string name;
  std::filesystem::path file;          ///< where it was read from
  std::string text;                    ///< the file's bytes, as hashed
  std::string sha256;                  ///< of `text`
  std::vector<StudyItem> items;        ///< every dataset's items, in the spec's order
  std::vector<StudyProblem> problems;
  std::vector<StudyMethod> methods;
  std::vector<std::uint64_t> seeds{1};
  std::string baseline;                ///< the label of the method others are compared with
  bool save_images = false;
};

/// Parses a spec; relative paths are taken from `folder`. Throws ParameterError naming the bad key
/// and what it should be, IoError for a dataset file or folder that is not there.
StudySpec parse_study_spec(const std::string& text, const std::filesystem::path& folder);
/// Reads and parses a spec file (paths relative to its folder).
StudySpec read_study_spec(const std::filesystem::path& path);

/// One run of the grid: a method on a problem made from an item, with a seed.
struct StudyCase {
  std::size_t item = 0, problem = 0, method = 0;
  std::uint64_t seed = 0;
  std::string key;  ///< "ITEM | PROBLEM | METHOD | seed S": what identifies it
  std::string id;   ///< 16 hex digits of the key's SHA-256: its record's file name
};

/// Every case, items × problems × methods × seeds in the spec's order, leaving out the pairs a
/// method cannot solve or a problem does not apply to (held-out views apply to measured sinograms,
/// every other problem to reference images).
std::vector<StudyCase> study_cases(const StudySpec& spec);

/// A seed drawn from (seed, `context`): the measurement of a case depends on its item, problem and
/// seed only (every method sees the same data), the solver's randomness on the whole case.
std::uint64_t derived_seed(std::uint64_t seed, const std::string& context);

}  // namespace tweedie
