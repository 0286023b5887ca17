#include "pipelines/study_case.h"

#include "core/error.h"
#include "core/image_io.h"
#include "core/resize.h"
#include "operators/hounsfield.h"
#include "operators/low_dose.h"
#include "operators/sampling.h"
#include "pipelines/ct_reconstruction.h"
#include "pipelines/ct_volume.h"
#include "pipelines/prior_spec.h"

#include <chrono>
#include <cmath>

namespace tweedie {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// The measurement seed: the same for every method of an item, problem and seed.
std::uint64_t measurement_seed(const StudySpec& spec, const StudyCase& c) {
  return derived_seed(c.seed, spec.items[c.item].label() + " | " + spec.problems[c.problem].label);
}

void record_quality(DatasetUnits units, CaseResult& r) {
  if (units == DatasetUnits::gray) {
    r.quality = compare(r.reference, r.image, 255.0);
    return;
  }
  r.quality = compare(r.reference, r.image, value_range(r.reference));
  r.window = compare_in_window(r.reference, r.image, DisplayWindow{});
}

void run_ct_case(const StudySpec& spec, const StudyCase& c, CaseResult& r) {
  const StudyItem& item = spec.items[c.item];
  const StudyProblem& problem = spec.problems[c.problem];
  const StudyMethod& method = spec.methods[c.method];
  if (item.units != DatasetUnits::hounsfield) {
    throw ParameterError("study: CT problem \"" + problem.label + "\" needs a dataset in HU, and " + item.label() + " is gray");
  }
  const ImageGeometry& grid = r.reference.geometry();
  if (grid.shape.nx != grid.shape.ny || std::abs(grid.spacing[0] - grid.spacing[1]) > 1e-6 * grid.spacing[0]) {
    throw ShapeError("study: CT needs a square grid of square pixels, and " + item.label() + " is " + grid.shape.to_string());
  }
  CtScanSpec scan = problem.scan;
  scan.image_size = grid.shape.nx;
  scan.pixel_spacing_mm = grid.spacing[0];
  const CtGeometry geometry = make_geometry(scan);
  r.reference.set_geometry(geometry.image_geometry());

  Image attenuation = r.reference.clone();
  hounsfield_to_attenuation(attenuation);
  const LowDoseSinogram scanned = simulate_low_dose(
      project_volume(geometry, attenuation),
      {.incident_photons = problem.dose, .electronic_noise_counts = problem.electronic_noise, .seed = measurement_seed(spec, c)});

  const Clock::time_point start = Clock::now();
  if (method.kind == StudyMethodKind::post_filter) {
    if (!method.filter_sigma) {
      throw ParameterError("study: post-filter " + method.label() + " needs a \"sigma\" (HU) on CT problem \"" + problem.label + "\"");
    }
    const Image fbp = fbp_volume(geometry, scanned.line_integrals, method.filter, ImageUnits::hounsfield);
    r.image = make_prior(method.prior, {.modality = "ct"})->denoise(fbp, *method.filter_sigma);
  } else {
    CtReconstructionOptions options;
    options.filter = method.filter;
    if (method.kind == StudyMethodKind::fbp) {
      options.solver.solver = kFbpMethod;
    } else {
      options.solver = method.choice;
      options.solver.seed = derived_seed(c.seed, c.key);
    }
    CtReconstruction recon = reconstruct_ct(geometry, scanned.line_integrals, &scanned.weights, &r.reference, options);
    r.image = std::move(recon.volume);
    if (method.kind == StudyMethodKind::solver) r.run = std::move(recon.runs.front());
    if (!recon.slices.empty() && recon.slices.front().prior_level) {
      r.chosen_sigma = recon.slices.front().prior_level->choice.sigma / kAttenuationPerHu;
    }
  }
  r.seconds = seconds_since(start);
}

void run_restoration_case(const StudySpec& spec, const StudyCase& c, CaseResult& r) {
  const StudyProblem& problem = spec.problems[c.problem];
  const StudyMethod& method = spec.methods[c.method];
  const std::uint64_t seed = measurement_seed(spec, c);
  RestorationProblem p = problem.restoration.clone();
  if (p.degradation == Degradation::mask) p.mask = random_mask(r.reference.geometry(), 1.0 - problem.missing, seed);
  const Image measured = measure(p, r.reference, problem.noise_sigma, seed);

  const Clock::time_point start = Clock::now();
  if (method.kind == StudyMethodKind::post_filter) {
    const Image naive = naive_start(p, *forward_operator(p, r.reference.geometry()), measured);
    r.image = make_prior(method.prior)->denoise(naive, method.filter_sigma.value_or(problem.noise_sigma));
  } else {
    SolverChoice choice = method.choice;
    choice.seed = derived_seed(c.seed, c.key);
    if (!choice.noise_sigma) choice.noise_sigma = problem.noise_sigma;
    Restoration restored = restore(p, measured, &r.reference, choice);
    r.image = std::move(restored.image);
    r.run = std::move(restored.run);
    if (restored.prior_level) r.chosen_sigma = restored.prior_level->choice.sigma;
  }
  r.seconds = seconds_since(start);
}

/// Slice `slice` of a stack as a 2D image, or the 2D image itself.
Image item_slice(const Image& file, std::optional<std::int64_t> slice) {
  if (!slice) return file.clone();
  ImageGeometry grid = file.geometry();
  grid.shape = Shape::image(grid.shape.nx, grid.shape.ny);
  grid.spacing[2] = 1.0;
  return slice_of(file, *slice, grid);
}

void run_held_out_case(const StudySpec& spec, const StudyCase& c, CaseResult& r) {
  const StudyItem& item = spec.items[c.item];
  const StudyMethod& method = spec.methods[c.method];
  const CtGeometry geometry = read_geometry(item.geometry);
  const Image sinogram = item_slice(read_sinogram(item.file.string(), geometry), item.slice);
  const std::optional<Image> weights =
      item.weights.empty() ? std::nullopt : std::optional<Image>(item_slice(read_image(item.weights), item.slice));
  CtReconstructionOptions options;
  options.units = item.units == DatasetUnits::hounsfield ? ImageUnits::hounsfield : ImageUnits::attenuation;
  options.filter = method.filter;
  if (method.kind == StudyMethodKind::fbp) {
    options.solver.solver = kFbpMethod;
  } else {
    options.solver = method.choice;
    options.solver.seed = derived_seed(c.seed, c.key);
  }
  const Clock::time_point start = Clock::now();
  r.held_out = check_held_out_views(geometry, sinogram, weights ? &*weights : nullptr, options);
  r.seconds = seconds_since(start);
}

}  // namespace

Image study_reference(const StudyItem& item) {
  Image image = item_slice(read_image(item.file), item.slice);
  return item.scale < 1.0 ? resize(image, item.scale) : std::move(image);
}

CaseResult run_study_case(const StudySpec& spec, const StudyCase& c) {
  CaseResult r;
  const StudyItem& item = spec.items[c.item];
  if (item.measured()) {
    run_held_out_case(spec, c, r);
    return r;
  }
  r.reference = study_reference(item);
  if (spec.problems[c.problem].kind == StudyProblemKind::ct) {
    run_ct_case(spec, c, r);
  } else {
    run_restoration_case(spec, c, r);
  }
  r.run.image = Image();
  r.iterations = static_cast<int>(r.run.history.size());
  record_quality(item.units, r);
  return r;
}

}  // namespace tweedie
