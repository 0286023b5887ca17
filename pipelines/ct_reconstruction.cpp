#include "pipelines/ct_reconstruction.h"

#include "core/error.h"
#include "core/metrics.h"
#include "operators/batched_operator.h"
#include "operators/ct_half_resolution.h"
#include "operators/joseph_projector.h"
#include "pipelines/ct_defaults.h"
#include "pipelines/ct_slice_outcome.h"
#include "pipelines/prior_spec.h"
#include "pipelines/sinogram_noise.h"
#include "pipelines/truncation.h"
#include "priors/ensemble_denoiser.h"
#include "priors/scaled_denoiser.h"
#include "solvers/data_fidelity.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <map>
#include <span>
#include <sstream>

namespace tweedie {
namespace {

bool is_fbp(const SolverChoice& choice) { return choice.solver == kFbpMethod; }

// Slices solved side by side with a 2.5D prior, in groups of consecutive slices from the first:
// those at the ends of a group see one neighbour fewer. As many as a projection shares its work
// among: larger groups cost more in memory traffic than their fewer ends gain (docs/ct.md).
constexpr std::int64_t kNeighbourGroup = 8;

// FBP alone: the start as the result, its time as one step of history.
SolverOutput fbp_output(const Image& start, std::chrono::steady_clock::time_point started) {
  SolverOutput out;
  out.result.image = start.clone();
  IterationRecord record;
  record.iteration = 1;
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out.result.history.push_back(record);
  out.result.termination = Termination::direct;
  return out;
}

std::string prior_text(const CtReconstructionOptions& o) {
  return o.solver.prior.empty() ? CtReconstructionOptions::default_choice().prior : o.solver.prior;
}

// The prior, which works in HU, in attenuation units (TV and Gaussian smoothing are equivariant
// and would work in any units; BM3D's thresholds are not shift-invariant, and models know HU only),
// then averaged over the flips and rotations if asked.
std::unique_ptr<Denoiser> attenuation_prior(const CtReconstructionOptions& o) {
  if (is_fbp(o.solver) || !solver_traits(o.solver.solver).uses_prior) return nullptr;
  std::unique_ptr<Denoiser> prior =
      in_attenuation_units(make_prior(prior_text(o), {.use = PriorUse::solver, .modality = "ct"}));
  if (use_ensemble(o.solver, false)) prior = std::make_unique<EnsembleDenoiser>(std::move(prior));
  return prior;
}

void check_inputs(const CtGeometry& geometry, const Image& sinogram, const Image* weights, const Image* reference) {
  require_matching_sinogram(geometry, sinogram);
  require_finite(sinogram, "the sinogram");
  if (weights) require_statistical_weights(*weights, sinogram.shape());
  if (reference) {
    require_matching_image(geometry, *reference);
    require_finite(*reference, "the reference");
    if (slices_of(*reference) != slices_of(sinogram)) {
      throw ShapeError("the reference has " + std::to_string(reference->shape().nz) + " slices, the sinogram " +
                       std::to_string(sinogram.shape().nz));
    }
  }
}

// Slice z of a sinogram stack with its weights (given, or estimated from the slice's own noise when
// `estimate`), in solver units: line integrals ×scale, weights ÷scale².
struct SliceMeasurement {
  Image sinogram;
  std::optional<Image> weights;
  std::optional<double> estimated_photons;
};

SliceMeasurement measured_slice(const Image& sinogram, const Image* weights, std::int64_t z, const ImageGeometry& grid,
                                bool estimate, double scale) {
  SliceMeasurement slice{slice_of(sinogram, z, grid), std::nullopt, std::nullopt};
  if (weights) slice.weights = slice_of(*weights, z, grid);
  if (estimate) {
    if (std::optional<EstimatedWeights> e = estimate_statistical_weights(slice.sinogram)) {
      slice.estimated_photons = e->incident_photons;
      slice.weights = std::move(e->weights);
    }
  }
  slice.sinogram.array() *= static_cast<float>(scale);
  if (slice.weights) slice.weights->array() /= static_cast<float>(scale * scale);
  return slice;
}

void to_units(Image& attenuation, ImageUnits units) {
  if (units == ImageUnits::hounsfield) attenuation_to_hounsfield(attenuation);
}

// What every slice of one reconstruction shares.
struct StackContext {
  const CtGeometry& geometry;
  const Image& sinogram;
  const Image* weights;
  const std::optional<Image>& reference;  ///< attenuation
  const CtReconstructionOptions& o;
  const SolverTraits* traits;             ///< null for FBP alone
  Denoiser* prior;
  bool estimate_weights;
  double scale;                           ///< solver units per mm⁻¹
  std::shared_ptr<JosephProjector> projector;
  std::shared_ptr<const NormalCalibration> calibration;  ///< the projector's, shared by the slices
  StartOf start_of;
  int half_resolution_iterations;                        ///< the first iterations on the half grid
  std::shared_ptr<JosephProjector> half_projector;       ///< on half_resolution(geometry), if they are any
  std::shared_ptr<const NormalCalibration> half_calibration;
};

// A slice's solver settings before any SURE choice of the prior level: the defaults for its
// measurement with the user's choices applied; `truth` (if any) goes into the history.
SolverSettings slice_settings(const StackContext& c, const SliceMeasurement& slice, const Image* truth) {
  if (!c.traits) return {};
  SolverChoice choice = c.o.solver;
  if (choice.noise_sigma) *choice.noise_sigma *= c.scale;
  const SolverSettings defaults =
      ct_defaults(*c.traits, c.geometry, slice.weights ? &*slice.weights : nullptr, 0.05 * c.scale);
  return resolve_settings(choice, defaults, truth, kAttenuationPerHu);
}

// `data` on the half grid (operators/ct_half_resolution.h): the means of its bin pairs, with their
// weights (unweighted rays, W = I, become weights of 2).
DataFidelity half_resolution_data(const StackContext& c, const DataFidelity& data,
                                  std::shared_ptr<const LinearOperator> half_projector) {
  Image weights = data.weights() ? paired_bin_weights(*data.weights()) : Image(half_projector->range());
  if (!data.weights()) weights.array() = 2.0f;
  return DataFidelity(std::move(half_projector), paired_bins(data.measurement()), std::move(weights), c.half_calibration);
}

// The solver's run on `data` from `first`. With a `half_projector`, the schedule's first
// c.half_resolution_iterations go on the half grid (a quarter of the projector's work each) and
// the others on the full grid from the bilinear doubling of where the half left off; one history.
SolverOutput run_on_grids(const StackContext& c, Denoiser* prior, const DataFidelity& data,
                          const std::shared_ptr<const LinearOperator>& half_projector, const Image& first, const SolverSettings& settings) {
  if (!half_projector) return c.traits->run(data, prior, first, settings);
  const int k = c.half_resolution_iterations;
  const PnpOptions& pnp = settings.pnp;
  SolverSettings half = settings, full = settings;
  half.pnp.control.iterations = k;
  half.pnp.sigma_last = pnp.sigma_at(k - 1);
  half.pnp.control.reference = nullptr;  // on the full grid
  full.pnp.control.iterations = pnp.control.iterations - k;
  full.pnp.sigma_first = pnp.sigma_at(k);
  if (pnp.control.callback) {
    full.pnp.control.callback = [&pnp, k](const IterationRecord& record, const Image& x) {
      IterationRecord numbered = record;
      numbered.iteration += k;
      return pnp.control.callback(numbered, x);
    };
  }
  const DataFidelity half_data = half_resolution_data(c, data, half_projector);
  SolverOutput out = c.traits->run(half_data, prior, block_means(first, half_data.op().domain()), half);
  if (out.result.termination == Termination::stopped_by_callback) return out;
  SolverOutput rest = c.traits->run(data, prior, bilinear_doubling(out.result.image, data.op().domain()), full);
  const double half_seconds = out.result.history.empty() ? 0.0 : out.result.history.back().seconds;
  for (IterationRecord& record : rest.result.history) {
    record.iteration += k;
    record.seconds += half_seconds;
    out.result.history.push_back(record);
  }
  rest.result.history = std::move(out.result.history);
  return rest;
}

// Reconstructs slice z with `projector` (c.projector, or it batched with other slices'),
// `half_projector` (c.half_projector, likewise, or null) and `prior` (c.prior, or it seeing the
// neighbouring slices solved beside it); `settings` receives the settings it ran with. SURE's
// trial runs take c.prior, each slice alone.
CtSliceOutcome reconstruct_slice(const StackContext& c, std::int64_t z, std::shared_ptr<const LinearOperator> projector,
                                 std::shared_ptr<const LinearOperator> half_projector, Denoiser* prior, SolverSettings& settings) {
  const auto slice_started = std::chrono::steady_clock::now();
  SliceMeasurement slice = measured_slice(c.sinogram, c.weights, z, c.projector->range(), c.estimate_weights, c.scale);
  CtSliceOutcome outcome;
  outcome.estimated_photons = slice.estimated_photons;
  std::optional<Image> truth;
  if (c.reference) {
    truth = slice_of(*c.reference, z, c.projector->domain());
    truth->array() *= static_cast<float>(c.scale);
  }
  settings = slice_settings(c, slice, truth ? &*truth : nullptr);
  const DataFidelity data(std::move(projector), slice.sinogram, std::move(slice.weights), c.calibration);
  if (c.o.solver.sure_prior_level) {
    const ScheduleRun run = [&](const DataFidelity& d, const SolverSettings& s) {
      return run_on_grids(c, c.prior, d, half_projector, c.start_of(d.measurement()), s).result.image;
    };
    outcome.prior_level = choose_prior_level(run, data, settings);
    apply_prior_level(*outcome.prior_level, settings);
  }
  const Image first = c.start_of(data.measurement());
  bool stopped = false;
  if (c.o.iteration_progress) {
    const int iterations = settings.pnp.control.iterations;
    settings.pnp.control.callback = [&, z, iterations](const IterationRecord& record, const Image&) {
      stopped = !c.o.iteration_progress(z, record.iteration, iterations);
      return !stopped;
    };
  }
  SolverOutput out = c.traits ? run_on_grids(c, prior, data, half_projector, first, settings) : fbp_output(first, slice_started);
  if (stopped) throw OperationStopped("reconstruction stopped in slice " + std::to_string(z + 1));
  settings.pnp.control.callback = nullptr;
  settings.pnp.control.reference = nullptr;  // `truth` ends here
  const float to_attenuation = static_cast<float>(1.0 / c.scale);
  outcome.start = first.clone();
  outcome.start.array() *= to_attenuation;
  outcome.volume = std::move(out.result.image);
  outcome.volume.array() *= to_attenuation;
  if (out.standard_deviation) {
    outcome.spread = std::move(*out.standard_deviation);
    outcome.spread->array() *= to_attenuation;
  }
  outcome.run = std::move(out.result);
  return outcome;
}

// Slices solved side by side each clocked the others' turns too: their histories' times are scaled
// so that they add up to the `seconds` the group took.
void share_group_time(std::span<const std::int64_t> group, std::vector<std::optional<CtSliceOutcome>>& outcomes,
                      double seconds) {
  double clocked = 0.0;
  for (const std::int64_t z : group) {
    const std::vector<IterationRecord>& history = outcomes[static_cast<std::size_t>(z)]->run.history;
    if (!history.empty()) clocked += history.back().seconds;
  }
  if (!(clocked > 0.0)) return;
  for (const std::int64_t z : group) {
    for (IterationRecord& record : outcomes[static_cast<std::size_t>(z)]->run.history) record.seconds *= seconds / clocked;
  }
}

// Whether the slices solved side by side denoise each with its neighbours among them: a 2.5D prior,
// in a solver that does not differentiate it.
bool denoises_with_neighbours(const StackContext& c) {
  return c.traits && c.prior && c.prior->neighbouring_slices() > 0 && !c.traits->differentiates_prior;
}

// The prior's denoising of the slices `group` solved side by side (calls in group order), each
// seeing the current images of its neighbours among them: runs of consecutive slices on the same
// grid are stacked; a slice whose neighbour has ended or is not in the group goes without it.
SharedMap denoising_with_neighbours(Denoiser& prior, std::span<const std::int64_t> group) {
  return [&prior, group](std::span<const MapCall> calls) {
    const auto z_of = [&](std::size_t k) { return group[calls[k].task]; };
    for (std::size_t first = 0; first < calls.size();) {
      const Shape shape = calls[first].in->shape();
      std::size_t end = first + 1;
      while (end < calls.size() && z_of(end) == z_of(end - 1) + 1 && calls[end].in->shape() == shape) ++end;
      Image stack(Shape::volume(shape.nx, shape.ny, static_cast<std::int64_t>(end - first)));
      for (std::size_t k = first; k < end; ++k) stack.slice(static_cast<std::int64_t>(k - first)) = calls[k].in->slice(0);
      for (std::size_t k = first; k < end; ++k) {
        calls[k].out->slice(0) = prior.denoise_slice(stack, static_cast<std::int64_t>(k - first), calls[k].parameter).slice(0);
      }
      first = end;
    }
  };
}

// The prior as a slice solved side by side uses it: each denoising meets the other slices'.
class DenoiserInMeeting final : public Denoiser {
 public:
  DenoiserInMeeting(const Denoiser& prior, MapMember member) : prior_(prior), member_(std::move(member)) {}
  std::string name() const override { return prior_.name(); }
  Image denoise(const Image& x, double sigma) override {
    require_noise_level(sigma);
    Image out(x.geometry());
    member_(sigma, x, out);
    return out;
  }

 private:
  const Denoiser& prior_;
  MapMember member_;
};

// Reconstructs the slices `group` into `outcomes` and `settings` (indexed by slice). A group of
// several is solved side by side, their projections and back-projections computed on stacks, and
// with a 2.5D prior each denoising seeing the neighbouring slices' current images.
void reconstruct_group(const StackContext& c, std::span<const std::int64_t> group,
                       std::vector<std::optional<CtSliceOutcome>>& outcomes, std::vector<SolverSettings>& settings) {
  const auto solve = [&](std::int64_t z, std::shared_ptr<const LinearOperator> projector,
                         std::shared_ptr<const LinearOperator> half_projector, Denoiser* prior) {
    const auto k = static_cast<std::size_t>(z);
    outcomes[k] = reconstruct_slice(c, z, std::move(projector), std::move(half_projector), prior, settings[k]);
  };
  if (group.size() == 1) return solve(group.front(), c.projector, c.half_projector, c.prior);
  const auto shared = [](const std::shared_ptr<JosephProjector>& one_slice) {
    return SharedOperator{one_slice, [&geometry = one_slice->geometry()](std::int64_t slices) {
                            return std::make_shared<JosephProjector>(geometry, slices);
                          }};
  };
  std::vector<SharedOperator> projectors{shared(c.projector)};
  if (c.half_projector) projectors.push_back(shared(c.half_projector));
  std::vector<SharedMap> maps;
  if (denoises_with_neighbours(c)) maps.push_back(denoising_with_neighbours(*c.prior, group));
  std::vector<BatchedMapTask> tasks;
  for (const std::int64_t z : group) {
    tasks.push_back([&, z](std::span<const std::shared_ptr<const LinearOperator>> ops, std::span<const MapMember> members) {
      std::optional<DenoiserInMeeting> in_meeting;
      if (!members.empty()) in_meeting.emplace(*c.prior, members.front());
      solve(z, ops[0], ops.size() > 1 ? ops[1] : nullptr, in_meeting ? &*in_meeting : c.prior);
    });
  }
  const auto started = std::chrono::steady_clock::now();
  run_with_batched_operators(std::move(projectors), std::move(maps), tasks);
  share_group_time(group, outcomes, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

// The settings another process ran slice z with: the same defaults from the same measurement, and
// the prior level SURE chose there.
SolverSettings settings_of_remote_slice(const StackContext& c, std::int64_t z, const CtSliceOutcome& outcome) {
  const SliceMeasurement slice = measured_slice(c.sinogram, c.weights, z, c.projector->range(), c.estimate_weights, c.scale);
  SolverSettings settings = slice_settings(c, slice, nullptr);
  if (outcome.prior_level) apply_prior_level(*outcome.prior_level, settings);
  return settings;
}

}  // namespace

CtStart parse_ct_start(const std::string& name) {
  if (name == "fbp") return CtStart::fbp;
  if (name == "zero") return CtStart::zero;
  throw ParameterError("the start must be fbp or zero, got '" + name + "'");
}

SolverChoice CtReconstructionOptions::default_choice() {
  SolverChoice choice;
  choice.solver = "pnp-hqs";
  choice.prior = "ct";
  return choice;
}

void CtReconstructionOptions::validate() const {
  if (reference_attenuation) {
    if (units != ImageUnits::attenuation) throw ParameterError("a reference attenuation applies to attenuation units only");
    if (!(*reference_attenuation > 0) || !std::isfinite(*reference_attenuation)) {
      throw ParameterError("the reference attenuation must be positive, got " + std::to_string(*reference_attenuation));
    }
  }
  if (is_fbp(solver)) {
    if (start != CtStart::fbp) throw ParameterError("the fbp method is the FBP start itself: it needs the fbp start");
    return;
  }
  solver.validate();
}

CtReconstruction reconstruct_ct(const CtGeometry& geometry, const Image& sinogram, const Image* weights,
                                const Image* reference_in_units, const CtReconstructionOptions& o) {
  o.validate();
  check_inputs(geometry, sinogram, weights, reference_in_units);
  std::optional<Image> reference;
  if (reference_in_units) {
    reference = reference_in_units->clone();
    if (o.units == ImageUnits::hounsfield) hounsfield_to_attenuation(*reference);
  }
  const bool fbp_only = is_fbp(o.solver);
  const SolverTraits* traits = fbp_only ? nullptr : &solver_traits(o.solver.solver);
  std::unique_ptr<Denoiser> prior = attenuation_prior(o);
  // Neither weights nor σ_n given: each slice weighted by weights estimated from its own noise
  // (slice by slice, so that a piece of a stack is reconstructed as in the whole). Defaults
  // follow each slice's dose.
  const bool estimate_weights = !fbp_only && !weights && !o.solver.noise_sigma;
  // Attenuation of another material, when its scale is given: solved in units where its reference
  // attenuation μ_ref is water's (line integrals ×c, weights ÷c², the result ÷c, c = μ_water/μ_ref),
  // so that the HU-trained prior sees contrasts of the size it knows.
  const double scale = o.reference_attenuation && prior ? kWaterAttenuationPerMm / *o.reference_attenuation : 1.0;

  const auto projector = std::make_shared<JosephProjector>(geometry);
  const FilteredBackprojection fbp(geometry, o.filter);
  // What every slice's preconditioner needs of the projector alone, computed once.
  const auto calibration = traits && traits->proximal_data_step ? std::make_shared<const NormalCalibration>(*projector) : nullptr;
  const int half_iterations = traits ? half_resolution_iterations(o.solver, *traits, geometry) : 0;
  const auto half_projector = half_iterations > 0 ? std::make_shared<JosephProjector>(half_resolution(geometry)) : nullptr;
  const auto half_calibration =
      half_projector && calibration ? std::make_shared<const NormalCalibration>(*half_projector) : nullptr;
  const StackContext c{geometry, sinogram, weights, reference, o, traits, prior.get(), estimate_weights, scale, projector,
                       calibration, [&](const Image& measured) {
                         return o.start == CtStart::fbp ? fbp.reconstruct(measured) : Image(projector->domain());
                       },
                       half_iterations, half_projector, half_calibration};
  const std::int64_t slices = sinogram.shape().nz;
  std::vector<std::optional<CtSliceOutcome>> outcomes(static_cast<std::size_t>(slices));
  std::vector<SolverSettings> settings(static_cast<std::size_t>(slices));
  // Processes own slices, or with a 2.5D prior whole groups, so that every slice is solved beside
  // the same neighbours however many processes share the work.
  const std::int64_t unit = denoises_with_neighbours(c) ? kNeighbourGroup : 1;
  const auto owned = [&](std::int64_t z) { return !o.distribution || o.distribution->owns(z / unit, (slices + unit - 1) / unit); };
  std::optional<std::string> failure;
  try {
    std::vector<std::int64_t> mine;
    for (std::int64_t z = 0; z < slices; ++z) {
      if (owned(z)) mine.push_back(z);
    }
    // Slices solved side by side where the projector works faster on a stack than on its slices,
    // or in the units above where a 2.5D prior sees the neighbours solved beside each slice.
    const auto group_size = static_cast<std::size_t>(unit > 1 ? unit : traits ? projector->slices_sharing_work() : 1);
    const auto total = static_cast<std::int64_t>(mine.size());
    for (std::size_t first = 0; first < mine.size(); first += group_size) {
      const std::span<const std::int64_t> group(mine.data() + first, std::min(group_size, mine.size() - first));
      reconstruct_group(c, group, outcomes, settings);
      const auto done = static_cast<std::int64_t>(first + group.size());
      if (o.progress && !o.progress(done, total) && done < total) throw OperationStopped("reconstruction stopped");
    }
  } catch (const std::exception& e) {
    if (!o.distribution) throw;
    failure = e.what();
  }
  if (o.distribution) {
    std::map<std::int64_t, std::string> packed;
    for (std::int64_t z = 0; z < slices; ++z) {
      if (outcomes[static_cast<std::size_t>(z)]) packed[z] = pack(*outcomes[static_cast<std::size_t>(z)]);
    }
    const std::vector<std::string> all = o.distribution->gather(packed, slices, failure);
    if (!o.distribution->writes_outputs()) return {};
    for (std::int64_t z = 0; z < slices; ++z) {
      if (owned(z)) continue;
      const auto k = static_cast<std::size_t>(z);
      outcomes[k] = unpack_slice_outcome(all[k], projector->domain());
      settings[k] = settings_of_remote_slice(c, z, *outcomes[k]);
    }
  }

  CtReconstruction r;
  r.volume = Image(JosephProjector(geometry, slices_of(sinogram)).domain());
  r.start = r.volume.zeros_like();
  std::vector<double> estimated_photons;
  for (std::int64_t z = 0; z < slices; ++z) {
    CtSliceOutcome& slice = *outcomes[static_cast<std::size_t>(z)];
    r.start.slice(z) = slice.start.slice(0);
    r.volume.slice(z) = slice.volume.slice(0);
    if (slice.spread) {
      if (!r.spread) r.spread = r.volume.zeros_like();
      r.spread->slice(z) = slice.spread->slice(0);
    }
    if (slice.estimated_photons) estimated_photons.push_back(*slice.estimated_photons);
    r.runs.push_back(std::move(slice.run));
    r.slices.push_back(CtSliceReport{std::move(settings[static_cast<std::size_t>(z)]), std::move(slice.prior_level)});
  }
  // Quality figures in the units of the output, as `tweedie metrics` gives them.
  to_units(r.volume, o.units);
  to_units(r.start, o.units);
  if (r.spread && o.units == ImageUnits::hounsfield) r.spread->array() /= static_cast<float>(kAttenuationPerHu);
  carry_slice_geometry(sinogram, r.volume);
  carry_slice_geometry(sinogram, r.start);
  if (r.spread) carry_slice_geometry(sinogram, *r.spread);

  const SolverSettings& last = r.slices.back().settings;
  r.summary = summarize(o.solver.solver, prior ? prior_text(o) : "", prior && use_ensemble(o.solver, false), r.runs, last,
                        LevelUnits{kAttenuationPerHu, " HU"});
  if (traits && traits->proximal_data_step) r.summary.cg_iterations = last.pnp.cg_iterations;
  if (half_projector) {
    const CtGeometry& half = half_projector->geometry();
    std::ostringstream grids;
    grids << "the first " << half_iterations << " iterations on a " << half.image_nx << " × " << half.image_ny << " grid of "
          << half.pixel_spacing_mm << " mm pixels, the others on the full " << geometry.image_nx << " × " << geometry.image_ny
          << " (--half-resolution-iterations 0: all on the full grid)";
    r.summary.grids = grids.str();
  }
  if (!estimated_photons.empty()) {
    const auto [fewest, most] = std::minmax_element(estimated_photons.begin(), estimated_photons.end());
    std::ostringstream origin;
    origin << "statistical weights estimated from the sinogram's noise (Poisson counts of I0 ≈ " << std::lround(*fewest);
    if (std::lround(*most) != std::lround(*fewest)) origin << " to " << std::lround(*most);
    origin << " per ray without object";
    if (estimated_photons.size() < static_cast<std::size_t>(slices)) origin << "; slices without noise unweighted";
    origin << "); --weights or --noise-sigma to set them";
    r.summary.noise_origin = origin.str();
  }
  if (const std::optional<double> edge = fbp_only ? std::nullopt : truncated_edge(geometry, sinogram)) {
    std::ostringstream warning;
    warning << "the projections are truncated (the outermost detector bins see line integrals of " << std::setprecision(3)
            << *edge << ", not air): reconstruct on an image wider than the detector's field of view ("
            << 2.0 * field_of_view_radius(geometry) << " mm across) so that the solver can place what lies beyond it";
    r.summary.warnings.push_back(warning.str());
  }
  if (prior && o.units == ImageUnits::attenuation) {
    std::ostringstream note;
    note << "attenuation read as HU with " << (o.reference_attenuation ? *o.reference_attenuation : kWaterAttenuationPerMm)
         << " mm⁻¹ as water (0 HU)"
         << (o.reference_attenuation ? " as given" : ", water's at 70 keV; --reference-attenuation for another material's");
    r.summary.units_note = note.str();
  }
  if (reference_in_units) {
    const Image& truth = *reference_in_units;
    const std::string start_name = o.start == CtStart::fbp ? "fbp" : "zero";
    const double range = value_range(truth);
    r.summary.quality = QualityChange{start_name, psnr(truth, r.start, range), psnr(truth, r.volume, range),
                                      ssim(truth, r.start, range), ssim(truth, r.volume, range)};
    if (o.units == ImageUnits::hounsfield) {  // what a reader of the soft-tissue window sees
      const DisplayWindow window;
      const QualityReport start = compare_in_window(truth, r.start, window), result = compare_in_window(truth, r.volume, window);
      r.summary.window_quality = QualityChange{start_name, start.psnr, result.psnr, start.ssim, result.ssim};
      r.summary.window_name = "the soft-tissue window (W 400, L 40 HU)";
    }
  }
  return r;
}

}  // namespace tweedie
