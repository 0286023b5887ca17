#include "pipelines/study_spec.h"

#include "core/error.h"
#include "core/paths.h"
#include "core/image_io.h"
#include "core/sha256.h"
#include "pipelines/ct_volume.h"
#include "solvers/solver_registry.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace tweedie {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

/// Reads the keys of one JSON object, naming the object's path in every error, and refuses keys
/// it was not asked for (a misspelt key must not be ignored silently).
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) fail("", "must be an object {…}");
  }

  bool has(const std::string& key) {
    known_.insert(key);
    return object_.contains(key);
  }
  const json& at(const std::string& key) {
    known_.insert(key);
    return object_.at(key);
  }
  std::string where(const std::string& key) const { return key.empty() ? path_ : path_ + "." + key; }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw ParameterError("study spec: " + where(key) + " " + what);
  }

  std::string text(const std::string& key, const std::string& otherwise) {
    if (!has(key)) return otherwise;
    if (!at(key).is_string()) fail(key, "must be a text, not " + at(key).dump());
    return at(key).get<std::string>();
  }
  double number(const std::string& key, double otherwise, double minimum, bool inclusive = true) {
    if (!has(key)) return otherwise;
    const json& v = at(key);
    if (!v.is_number()) fail(key, "must be a number, not " + v.dump());
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < minimum || (!inclusive && x == minimum)) {
      fail(key, std::string("must be ") + (inclusive ? "at least " : "above ") + json(minimum).dump() + ", not " + v.dump());
    }
    return x;
  }
  std::int64_t integer(const std::string& key, std::int64_t otherwise, std::int64_t minimum) {
    if (!has(key)) return otherwise;
    const json& v = at(key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < minimum) {
      fail(key, "must be a whole number of at least " + std::to_string(minimum) + ", not " + v.dump());
    }
    return v.get<std::int64_t>();
  }
  bool flag(const std::string& key, bool otherwise) {
    if (!has(key)) return otherwise;
    if (!at(key).is_boolean()) fail(key, "must be true or false, not " + at(key).dump());
    return at(key).get<bool>();
  }
  std::string choice(const std::string& key, const std::string& otherwise, const std::vector<std::string>& allowed) {
    const std::string value = text(key, otherwise);
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(key, "must be one of " + list + ", not \"" + value + "\"");
    }
    return value;
  }
  std::vector<std::string> texts(const std::string& key) {
    std::vector<std::string> values;
    if (!has(key)) return values;
    const json& v = at(key);
    if (!v.is_array() || v.empty()) fail(key, "must be a non-empty list of texts, not " + v.dump());
    for (const json& entry : v) {
      if (!entry.is_string()) fail(key, "must hold texts only, not " + entry.dump());
      values.push_back(entry.get<std::string>());
    }
    return values;
  }
  /// Throws for a key no reader asked about, listing the keys that are known here.
  void finish() const {
    for (const auto& [key, value] : object_.items()) {
      if (known_.count(key)) continue;
      std::string list;
      for (const std::string& k : known_) list += (list.empty() ? "" : ", ") + k;
      fail("", "has an unknown key \"" + key + "\" (known here: " + list + ")");
    }
  }

 private:
  const json& object_;
  std::string path_;
  std::set<std::string> known_;
};

/// A value as it reads in labels: texts without quotes, whole numbers without a decimal point
/// (1e4 → 10000), other numbers as JSON writes them.
std::string value_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) {
    const double x = value.get<double>();
    if (std::abs(x) < 1e15 && x == std::trunc(x)) return std::to_string(static_cast<long long>(x));
  }
  return value.dump();
}

/// One point of a sweep: the object with one value for each listed key, and the keys that varied.
struct SweepPoint {
  json object;
  std::vector<std::string> swept;
};

/// The Cartesian product over the keys whose value is a list (except `list_keys`, lists by
/// nature), in key order, the last key varying fastest.
std::vector<SweepPoint> expand_sweeps(const json& object, const std::string& path, const std::set<std::string>& list_keys) {
  std::vector<SweepPoint> points{{object, {}}};
  if (!object.is_object()) return points;  // the reader reports it
  for (const auto& [key, value] : object.items()) {
    if (!value.is_array() || list_keys.count(key)) continue;
    if (value.empty()) throw ParameterError("study spec: " + path + "." + key + " is an empty list");
    std::vector<SweepPoint> next;
    for (const SweepPoint& point : points) {
      for (const json& v : value) {
        SweepPoint p = point;
        p.object[key] = v;
        p.swept.push_back(key);
        next.push_back(std::move(p));
      }
    }
    points = std::move(next);
  }
  return points;
}

std::string swept_suffix(const SweepPoint& point) {
  std::string s;
  for (const std::string& key : point.swept) s += " " + key + "=" + value_text(point.object.at(key));
  return s;
}

fs::path resolve(const fs::path& folder, const std::string& path) {
  const fs::path p(path);
  return p.is_absolute() ? p : folder / p;
}

std::vector<std::int64_t> read_slices(ObjectReader& r) {
  std::vector<std::int64_t> slices;
  if (!r.has("slices")) return slices;
  const json& s = r.at("slices");
  if (!s.is_array() || s.empty()) r.fail("slices", "must be a non-empty list of slice numbers, not " + s.dump());
  for (const json& z : s) {
    if (!z.is_number_integer() || z.get<std::int64_t>() < 0) r.fail("slices", "must hold slice numbers ≥ 0, not " + z.dump());
    slices.push_back(z.get<std::int64_t>());
  }
  return slices;
}

/// The slices of `image` (read from `file`) that `slices` chooses: all of a stack when none are
/// listed, nothing (the 2D image itself) for a 2D image.
std::vector<std::optional<std::int64_t>> chosen_slices(const ObjectReader& r, const Image& image, const fs::path& file,
                                                       const std::vector<std::int64_t>& slices) {
  const std::int64_t depth = image.shape().dimension == 3 ? image.shape().nz : 0;
  if (depth == 0 && !slices.empty()) r.fail("slices", "applies to stacks, and '" + file.string() + "' is 2D");
  std::vector<std::optional<std::int64_t>> chosen;
  if (depth == 0) chosen.push_back(std::nullopt);
  if (depth > 0 && slices.empty()) for (std::int64_t z = 0; z < depth; ++z) chosen.push_back(z);
  for (const std::int64_t z : slices) {
    if (z >= depth) r.fail("slices", "asks for slice " + std::to_string(z) + " of '" + file.string() + "', which has " + std::to_string(depth));
    chosen.push_back(z);
  }
  return chosen;
}

/// A reference image (or slice `z` of a stack) must vary: PSNR and SSIM are taken over its range,
/// which a uniform one (a slice of air) does not have. Refused when the spec is read, not hours
/// into the run.
void require_varying_reference(const ObjectReader& r, const Image& image, const fs::path& file, std::optional<std::int64_t> z) {
  const std::int64_t plane = image.shape().nx * image.shape().ny;
  const auto first = image.values().begin() + (z ? *z * plane : 0);
  const auto [lowest, highest] = std::minmax_element(first, first + plane);
  if (*lowest == *highest) {
    r.fail(z ? "slices" : "", (z ? "slice " + std::to_string(*z) + " of '" : "'") + file.string() + "' is uniform (every voxel " +
                                 std::to_string(*lowest) + "): a reference needs a range to measure PSNR over; choose others");
  }
}

fs::path existing_file(const ObjectReader& r, const std::string& key, const fs::path& file) {
  if (!is_file(file)) throw IoError("study spec: " + r.where(key) + ": no file '" + file.string() + "'");
  return file;
}

/// A measured sinogram (stack) with its geometry and, optionally, weights: one item per slice.
std::vector<StudyItem> read_sinogram_dataset(ObjectReader& r, const std::string& name, const fs::path& folder) {
  StudyItem item;
  item.dataset = name;
  item.file = existing_file(r, "sinogram", resolve(folder, r.text("sinogram", "")));
  if (!r.has("geometry")) r.fail("geometry", "is missing: a measured sinogram needs its CT geometry file");
  item.geometry = existing_file(r, "geometry", resolve(folder, r.text("geometry", "")));
  if (r.has("weights")) item.weights = existing_file(r, "weights", resolve(folder, r.text("weights", "")));
  item.units = r.choice("units", "attenuation", {"attenuation", "hu"}) == "hu" ? DatasetUnits::hounsfield : DatasetUnits::attenuation;
  const std::vector<std::int64_t> slices = read_slices(r);
  r.finish();

  const Image sinogram = read_sinogram(item.file.string(), read_geometry(item.geometry));
  if (!item.weights.empty() && read_image(item.weights).shape() != sinogram.shape()) {
    r.fail("weights", "'" + item.weights.string() + "' is not of the sinogram's shape " + sinogram.shape().to_string());
  }
  std::vector<StudyItem> items;
  for (const auto& z : chosen_slices(r, sinogram, item.file, slices)) {
    items.push_back(item);
    items.back().slice = z;
  }
  return items;
}

std::vector<StudyItem> read_dataset(const json& entry, const std::string& path, const fs::path& folder,
                                    std::set<std::string>& names) {
  ObjectReader r(entry, path);
  const std::string name = r.text("name", "");
  if (name.empty()) r.fail("name", "is missing: every dataset needs a name");
  if (!names.insert(name).second) r.fail("name", "\"" + name + "\" names two datasets");
  const int sources = int(r.has("volume")) + int(r.has("files")) + int(r.has("folder")) + int(r.has("sinogram"));
  if (sources != 1) r.fail("", "needs exactly one of \"volume\", \"files\", \"folder\" or \"sinogram\"");
  if (r.has("sinogram")) return read_sinogram_dataset(r, name, folder);

  const bool is_volume = r.has("volume");
  const DatasetUnits units = r.choice("units", is_volume ? "hu" : "gray", {"hu", "gray"}) == "hu"
                                 ? DatasetUnits::hounsfield : DatasetUnits::gray;
  const double scale = r.number("scale", 1.0, 0.0, false);
  if (scale > 1.0) r.fail("scale", "must be at most 1 (a resize factor that shrinks), not " + json(scale).dump());

  std::vector<fs::path> files;
  if (is_volume) files.push_back(resolve(folder, r.text("volume", "")));
  for (const std::string& f : r.texts("files")) files.push_back(resolve(folder, f));
  if (r.has("folder")) {
    const fs::path dir = resolve(folder, r.text("folder", ""));
    const std::string extension = r.text("extension", ".png");
    if (!is_folder(dir)) throw IoError("study spec: " + r.where("folder") + ": no folder '" + dir.string() + "'");
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == extension) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) throw IoError("study spec: " + r.where("folder") + ": no " + extension + " file in '" + dir.string() + "'");
  }
  const std::int64_t limit = r.integer("limit", static_cast<std::int64_t>(files.size()), 1);
  if (static_cast<std::size_t>(limit) < files.size()) files.resize(static_cast<std::size_t>(limit));
  const std::vector<std::int64_t> slices = read_slices(r);
  r.finish();

  std::vector<StudyItem> items;
  for (const fs::path& file : files) {
    if (!is_file(file)) throw IoError("study spec: " + path + ": no file '" + file.string() + "'");
    StudyItem item;
    item.dataset = name, item.file = file, item.units = units, item.scale = scale;
    const Image image = read_image(file);
    for (const auto& z : chosen_slices(r, image, file, slices)) {
      require_varying_reference(r, image, file, z);
      items.push_back(item);
      items.back().slice = z;
    }
  }
  return items;
}

StudyProblem read_problem(const SweepPoint& point, const std::string& path) {
  ObjectReader r(point.object, path);
  StudyProblem p;
  const std::string type =
      r.choice("type", "", {"ct", "held-out-views", "denoising", "blur", "super-resolution", "inpainting"});
  p.type = type;
  p.name = r.text("name", type);
  p.label = p.name + swept_suffix(point);
  p.datasets = r.texts("datasets");
  if (type == "held-out-views") {
    p.kind = StudyProblemKind::held_out_views;
  } else if (type == "ct") {
    p.kind = StudyProblemKind::ct;
    p.scan.beam = r.choice("beam", "parallel", {"parallel", "fan"}) == "fan" ? BeamShape::fan : BeamShape::parallel;
    p.scan.views = r.integer("views", 720, 2);
    if (r.has("arc")) p.scan.arc_deg = r.number("arc", 0.0, 0.0, false);
    p.scan.detector_shape = r.choice("detector-shape", "arc", {"arc", "flat"}) == "arc" ? DetectorShape::arc : DetectorShape::flat;
    p.scan.source_distance_mm = r.number("source-distance", p.scan.source_distance_mm, 0.0, false);
    p.scan.detector_distance_mm = r.number("detector-distance", p.scan.detector_distance_mm, 0.0, false);
    p.dose = r.number("dose", p.dose, 0.0, false);
    p.electronic_noise = r.number("electronic-noise", 0.0, 0.0);
  } else {
    p.kind = type == "denoising" ? StudyProblemKind::denoising : StudyProblemKind::restoration;
    p.noise_sigma = r.number("noise-sigma", type == "denoising" ? 25.0 : kDefaultRestorationNoise, 0.0, type != "denoising");
    RestorationProblem& rp = p.restoration;
    if (type == "blur") {
      rp.degradation = Degradation::blur;
      rp.blur_sigma = r.number("blur-sigma", rp.blur_sigma, 0.0, false);
    } else if (type == "super-resolution") {
      rp.degradation = Degradation::decimate;
      rp.factor = r.integer("factor", 2, 2);
      if (r.has("antialias-sigma")) rp.antialias_sigma = r.number("antialias-sigma", 0.0, 0.0, false);
    } else if (type == "inpainting") {
      rp.degradation = Degradation::mask;
      p.missing = r.number("missing", p.missing, 0.0, false);
      if (p.missing >= 1.0) r.fail("missing", "must be below 1 (the fraction of pixels not measured)");
    }
  }
  r.finish();
  return p;
}

/// The method's parameters as one text: every key but its name, kind and problem list.
std::string parameter_text(const json& object) {
  std::string s;
  for (const auto& [key, value] : object.items()) {
    if (key == "method" || key == "name" || key == "problems") continue;
    s += (s.empty() ? "" : " ") + key + "=" + value_text(value);
  }
  return s;
}

StudyMethod read_method(const SweepPoint& point, const std::string& path) {
  ObjectReader r(point.object, path);
  StudyMethod m;
  const std::string method = r.text("method", "");
  if (method.empty()) r.fail("method", "is missing: fbp, post-filter or a solver's name");
  m.name = r.text("name", method);
  m.parameters = parameter_text(point.object);
  m.problems = r.texts("problems");
  if (method == "fbp" || method == "post-filter") {
    m.kind = method == "fbp" ? StudyMethodKind::fbp : StudyMethodKind::post_filter;
    m.filter = parse_fbp_filter(r.choice("filter", "hann", {"hann", "ram-lak", "shepp-logan", "cosine"}));
    if (m.kind == StudyMethodKind::post_filter) {
      m.prior = r.text("prior", "");
      if (m.prior.empty()) r.fail("prior", "is missing: the denoiser a post-filter applies (tv, bm3d, a model)");
      if (r.has("sigma")) m.filter_sigma = r.number("sigma", 0.0, 0.0, false);
    }
    r.finish();
    return m;
  }
  SolverChoice& c = m.choice;
  c.solver = method;
  c.prior = r.text("prior", "");
  if (r.has("iterations")) c.iterations = static_cast<int>(r.integer("iterations", 0, 1));
  if (r.has("cg-iterations")) c.cg_iterations = static_cast<int>(r.integer("cg-iterations", 0, 1));
  if (r.has("half-resolution-iterations")) {
    c.half_resolution_iterations = static_cast<int>(r.integer("half-resolution-iterations", 0, 0));
  }
  if (r.has("noise-sigma")) c.noise_sigma = r.number("noise-sigma", 0.0, 0.0, false);
  if (r.has("sigma-first")) c.sigma_first = r.number("sigma-first", 0.0, 0.0, false);
  if (r.has("sigma-last")) c.sigma_last = r.number("sigma-last", 0.0, 0.0, false);
  c.sure_prior_level = r.choice("prior-sigma", "schedule", {"schedule", "sure"}) == "sure";
  if (r.has("lambda")) c.tv_lambda = r.number("lambda", 0.0, 0.0, false);
  if (r.has("penalty-scale")) c.penalty_scale = r.number("penalty-scale", 0.0, 0.0, false);
  c.red_form = r.choice("red-form", "fixed-point", {"fixed-point", "gradient"}) == "gradient" ? RedForm::gradient : RedForm::fixed_point;
  if (r.has("ensemble")) c.ensemble = r.flag("ensemble", false);
  c.samples = static_cast<int>(r.integer("samples", c.samples, 1));
  if (r.has("steps-per-level")) c.steps_per_level = static_cast<int>(r.integer("steps-per-level", 0, 1));
  if (r.has("step-scale")) c.step_scale = r.number("step-scale", 0.0, 0.0, false);
  r.finish();
  try {
    c.validate();
  } catch (const ParameterError& e) {
    r.fail("", std::string("is not a valid solver choice: ") + e.what());
  }
  return m;
}

template <typename Read>
auto read_list(ObjectReader& top, const std::string& key, const std::set<std::string>& list_keys, Read read) {
  if (!top.has(key) || !top.at(key).is_array() || top.at(key).empty()) {
    top.fail(key, "must be a non-empty list");
  }
  std::vector<decltype(read(SweepPoint{}, std::string()))> values;
  const json& list = top.at(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = key + "[" + std::to_string(i) + "]";
    for (const SweepPoint& point : expand_sweeps(list[i], path, list_keys)) values.push_back(read(point, path));
  }
  return values;
}

}  // namespace

std::string StudyItem::label() const {
  return dataset + "/" + file.filename().string() + (slice ? ":" + std::to_string(*slice) : "");
}

std::string method_label(const std::string& name, const std::string& parameters) {
  return parameters.empty() ? name : name + " (" + parameters + ")";
}

std::string StudyMethod::label() const { return method_label(name, parameters); }

bool StudyMethod::solves(const StudyProblem& problem) const {
  const bool ct = problem.kind == StudyProblemKind::ct || problem.kind == StudyProblemKind::held_out_views;
  if (kind == StudyMethodKind::fbp && !ct) return false;
  if (kind == StudyMethodKind::post_filter && problem.kind == StudyProblemKind::held_out_views) return false;
  if (problems.empty()) return true;
  return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
    return p == problem.type || p == problem.name || p == problem.label;
  });
}

StudySpec parse_study_spec(const std::string& text, const fs::path& folder) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number beyond double's range
    throw ParameterError(std::string("study spec: not valid JSON: ") + e.what());
  }
  StudySpec spec;
  spec.text = text;
  spec.sha256 = sha256_hex(text);
  ObjectReader top(document, "the spec");
  spec.name = top.text("name", "study");

  if (!top.has("datasets") || !top.at("datasets").is_array() || top.at("datasets").empty()) {
    top.fail("datasets", "must be a non-empty list");
  }
  std::set<std::string> dataset_names;
  for (std::size_t i = 0; i < top.at("datasets").size(); ++i) {
    for (StudyItem& item : read_dataset(top.at("datasets")[i], "datasets[" + std::to_string(i) + "]", folder, dataset_names)) {
      spec.items.push_back(std::move(item));
    }
  }
  std::set<std::string> labels;
  for (const StudyItem& item : spec.items) {
    if (!labels.insert(item.label()).second) {
      top.fail("datasets", "lists \"" + item.label() + "\" twice (items are named by dataset, file name and slice)");
    }
  }
  spec.problems = read_list(top, "problems", {"datasets"}, read_problem);
  spec.methods = read_list(top, "methods", {"problems"}, read_method);
  for (std::size_t i = 0; i < spec.problems.size(); ++i) {
    for (const std::string& d : spec.problems[i].datasets) {
      if (!dataset_names.count(d)) top.fail("problems", "[" + std::to_string(i) + "] names a dataset \"" + d + "\" the spec does not have");
    }
  }
  if (top.has("seeds")) {
    const json& seeds = top.at("seeds");
    if (!seeds.is_array() || seeds.empty()) top.fail("seeds", "must be a non-empty list of whole numbers ≥ 0");
    spec.seeds.clear();
    for (const json& s : seeds) {
      if (!s.is_number_unsigned()) top.fail("seeds", "must hold whole numbers ≥ 0, not " + s.dump());
      spec.seeds.push_back(s.get<std::uint64_t>());
    }
  }
  spec.baseline = top.text("baseline", spec.methods.front().label());
  if (std::none_of(spec.methods.begin(), spec.methods.end(), [&](const StudyMethod& m) { return m.label() == spec.baseline; })) {
    top.fail("baseline", "\"" + spec.baseline + "\" is not the label of a method (\"NAME\" or \"NAME (PARAMETERS)\")");
  }
  spec.save_images = top.flag("save_images", false);
  top.finish();
  return spec;
}

StudySpec read_study_spec(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw IoError("cannot read the study spec '" + path.string() + "'");
  std::ostringstream text;
  text << file.rdbuf();
  StudySpec spec = parse_study_spec(text.str(), path.parent_path().empty() ? fs::path(".") : path.parent_path());
  spec.file = path;
  return spec;
}

std::vector<StudyCase> study_cases(const StudySpec& spec) {
  std::vector<StudyCase> cases;
  for (std::size_t i = 0; i < spec.items.size(); ++i) {
    for (std::size_t p = 0; p < spec.problems.size(); ++p) {
      const StudyProblem& problem = spec.problems[p];
      if (!problem.datasets.empty() &&
          std::find(problem.datasets.begin(), problem.datasets.end(), spec.items[i].dataset) == problem.datasets.end()) {
        continue;
      }
      if (spec.items[i].measured() != (problem.kind == StudyProblemKind::held_out_views)) continue;
      for (std::size_t m = 0; m < spec.methods.size(); ++m) {
        if (!spec.methods[m].solves(problem)) continue;
        for (const std::uint64_t seed : spec.seeds) {
          StudyCase c{i, p, m, seed, "", ""};
          c.key = spec.items[i].label() + " | " + problem.label + " | " + spec.methods[m].label() + " | seed " + std::to_string(seed);
          c.id = sha256_hex(c.key).substr(0, 16);
          cases.push_back(std::move(c));
        }
      }
    }
  }
  return cases;
}

std::uint64_t derived_seed(std::uint64_t seed, const std::string& context) {
  return std::stoull(sha256_hex(std::to_string(seed) + " | " + context).substr(0, 16), nullptr, 16);
}

}  // namespace tweedie
