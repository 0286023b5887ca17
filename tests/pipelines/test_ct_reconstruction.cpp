#include "core/error.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "core/threading.h"
#include "operators/fbp.h"
#include "operators/joseph_projector.h"
#include "operators/low_dose.h"
#include "operators/phantom.h"
#include "pipelines/ct_reconstruction.h"
#include "priors/model_file.h"
#include "priors/random_network.h"
#include "support/temporary_folder.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

using namespace tweedie;

namespace {

// A two-slice Shepp–Logan stack (attenuation) on a 48² grid, its low-dose scan and the geometry.
struct Scan {
  CtGeometry geometry = parallel_geometry(48, 4.0, 72);
  Image truth, sinogram, weights;
  Scan() {
    ImageGeometry grid = geometry.image_geometry();
    Image slice = rasterize(shepp_logan(96.0), grid);
    slice.array() *= static_cast<float>(kWaterAttenuationPerMm);
    grid.shape = Shape::volume(48, 48, 2);
    truth = Image(grid);
    truth.slice(0) = slice.slice(0);
    truth.slice(1) = slice.slice(0);
    truth.slice(1).array() *= 0.9f;
    LowDoseSinogram scan = simulate_low_dose(project_volume(geometry, truth), {.incident_photons = 2e4, .seed = 3});
    sinogram = std::move(scan.line_integrals);
    weights = std::move(scan.weights);
  }
  Image truth_in_hu() const {
    Image hu = truth.clone();
    attenuation_to_hounsfield(hu);
    return hu;
  }
};

CtReconstructionOptions tv_options(const std::string& solver) {
  CtReconstructionOptions o;
  o.solver.solver = solver;
  o.solver.prior = "tv";
  o.solver.iterations = 8;
  return o;
}

// Two "processes" in one: slices of even number belong to process 0, which writes the outputs;
// process 1 runs first and leaves its packed slices (or its failure) in the mailbox.
struct Mailbox {
  std::map<std::int64_t, std::string> slices;
  std::optional<std::string> failure;
};

class TwoProcessDistribution final : public SliceDistribution {
 public:
  TwoProcessDistribution(int process, Mailbox& mailbox) : process_(process), mailbox_(mailbox) {}
  bool owns(std::int64_t z, std::int64_t) const override { return z % 2 == process_; }
  std::vector<std::string> gather(const std::map<std::int64_t, std::string>& mine, std::int64_t slices,
                                  const std::optional<std::string>& failure) override {
    if (process_ == 1) {
      mailbox_.slices = mine;
      mailbox_.failure = failure;
      if (failure) throw Error(*failure);
      return {};
    }
    if (failure || mailbox_.failure) throw Error(failure ? *failure : *mailbox_.failure);
    std::vector<std::string> all(static_cast<std::size_t>(slices));
    for (const auto& [z, bytes] : mine) all[static_cast<std::size_t>(z)] = bytes;
    for (const auto& [z, bytes] : mailbox_.slices) all[static_cast<std::size_t>(z)] = bytes;
    return all;
  }
  bool writes_outputs() const override { return process_ == 0; }

 private:
  int process_;
  Mailbox& mailbox_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ct_reconstruction)

BOOST_AUTO_TEST_CASE(slices_spread_over_processes_give_the_bits_and_the_report_of_one) {
  const Scan scan;
  CtReconstructionOptions o = tv_options("pnp-hqs");
  o.solver.sure_prior_level = true;  // a per-slice choice that must travel with the slice
  const Image reference = scan.truth_in_hu();
  const CtReconstruction alone = reconstruct_ct(scan.geometry, scan.sinogram, nullptr, &reference, o);
  Mailbox mailbox;
  TwoProcessDistribution second(1, mailbox), first(0, mailbox);
  o.distribution = &second;
  BOOST_TEST(reconstruct_ct(scan.geometry, scan.sinogram, nullptr, &reference, o).volume.empty());
  BOOST_TEST(mailbox.slices.size() == 1u);
  o.distribution = &first;
  const CtReconstruction spread = reconstruct_ct(scan.geometry, scan.sinogram, nullptr, &reference, o);
  BOOST_TEST((spread.volume.array() == alone.volume.array()).all());
  BOOST_TEST((spread.start.array() == alone.start.array()).all());
  BOOST_REQUIRE(spread.runs.size() == 2u);
  for (std::size_t z = 0; z < 2; ++z) {
    BOOST_TEST(spread.runs[z].history.size() == alone.runs[z].history.size());
    BOOST_TEST(*spread.runs[z].history.back().psnr == *alone.runs[z].history.back().psnr);
    BOOST_TEST(spread.slices[z].prior_level->choice.sigma == alone.slices[z].prior_level->choice.sigma);
    BOOST_TEST(spread.slices[z].settings.pnp.sigma_last == alone.slices[z].settings.pnp.sigma_last);
  }
  BOOST_TEST(spread.summary.parameters == alone.summary.parameters);
  BOOST_TEST(spread.summary.noise_origin == alone.summary.noise_origin);
  BOOST_TEST(spread.summary.quality->psnr == alone.summary.quality->psnr);

  // A failure in one process reaches the writer.
  mailbox = {};
  o.distribution = &second;
  o.iteration_progress = [](std::int64_t, int, int) { return false; };
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, scan.sinogram, nullptr, &reference, o), Error);
  BOOST_TEST(mailbox.failure.has_value());
  o.iteration_progress = nullptr;
  o.distribution = &first;
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, scan.sinogram, nullptr, &reference, o), Error);
}

BOOST_AUTO_TEST_CASE(the_fbp_method_is_the_filtered_backprojection_in_the_units_asked) {
  const Scan scan;
  CtReconstructionOptions o;
  o.solver.solver = kFbpMethod;
  o.units = ImageUnits::attenuation;
  const CtReconstruction r = reconstruct_ct(scan.geometry, scan.sinogram, nullptr, nullptr, o);
  const Image expected = FilteredBackprojection(scan.geometry, FbpFilter::hann).reconstruct(scan.sinogram);
  BOOST_TEST((r.volume.array() == expected.array()).all());
  BOOST_TEST((r.runs.front().termination == Termination::direct));
  o.units = ImageUnits::hounsfield;
  const CtReconstruction hu = reconstruct_ct(scan.geometry, scan.sinogram, nullptr, nullptr, o);
  Image back = hu.volume.clone();
  hounsfield_to_attenuation(back);
  back.array() -= expected.array();
  BOOST_TEST(norm(back) < 1e-5 * norm(expected));
  o.start = CtStart::zero;
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, scan.sinogram, nullptr, nullptr, o), ParameterError);
}

// A material k times as attenuating, told to the prior as its water, is reconstructed as k times
// the original: the prior sees the same image.
BOOST_AUTO_TEST_CASE(a_material_given_as_water_reconstructs_as_water_would) {
  const Scan scan;
  const double k = 0.37;
  CtReconstructionOptions o = tv_options("pnp-hqs");
  o.units = ImageUnits::attenuation;
  const CtReconstruction plain = reconstruct_ct(scan.geometry, scan.sinogram, &scan.weights, nullptr, o);
  Image sinogram = scan.sinogram.clone(), weights = scan.weights.clone();
  sinogram.array() *= static_cast<float>(k);
  weights.array() /= static_cast<float>(k * k);
  o.reference_attenuation = k * kWaterAttenuationPerMm;
  const CtReconstruction material = reconstruct_ct(scan.geometry, sinogram, &weights, nullptr, o);
  Image difference = plain.volume.clone();
  difference.array() = material.volume.array() - static_cast<float>(k) * plain.volume.array();
  BOOST_TEST(norm(difference) < 1e-4 * k * norm(plain.volume));
  BOOST_TEST(material.summary.full_report().find("as water (0 HU) as given") != std::string::npos);

  o.reference_attenuation = 0.0;
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, sinogram, &weights, nullptr, o), ParameterError);
  o.reference_attenuation = 0.01;
  o.units = ImageUnits::hounsfield;
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, sinogram, &weights, nullptr, o), ParameterError);
}

BOOST_AUTO_TEST_CASE(pnp_and_tv_beat_the_fbp_start_slice_by_slice_with_a_report_each) {
  const Scan scan;
  const Image reference = scan.truth_in_hu();
  for (const char* solver : {"pnp-hqs", "tv-pdhg"}) {
    std::vector<std::int64_t> progress;
    CtReconstructionOptions o = tv_options(solver);
    o.progress = [&](std::int64_t done, std::int64_t total) {
      progress.push_back(done);
      BOOST_TEST(total == 2);
      return true;
    };
    const CtReconstruction r = reconstruct_ct(scan.geometry, scan.sinogram, &scan.weights, &reference, o);
    BOOST_TEST_INFO(r.summary.brief_report());
    BOOST_TEST(progress.back() == 2);  // after each group of slices solved side by side
    BOOST_TEST(std::is_sorted(progress.begin(), progress.end()));
    BOOST_TEST(r.runs.size() == 2u);
    BOOST_TEST(r.slices.size() == 2u);
    BOOST_TEST(r.slices[0].settings.pnp.control.reference == nullptr);  // no pointer into a finished loop
    BOOST_REQUIRE(r.summary.quality.has_value());
    BOOST_TEST(r.summary.quality->psnr > r.summary.quality->start_psnr + 1.0);
    BOOST_TEST(r.summary.quality->psnr == psnr(reference, r.volume, value_range(reference)));
  }
}

// The first iterations of PnP-HQS on the half grid: the same schedule of prior levels in one
// history of every iteration, and a result far above the FBP start. (Whether it is as good as the
// full grid's depends on the pixel size: docs/ct.md; this scan's 4 mm pixels are too large for
// the default to use the half grid.)
BOOST_AUTO_TEST_CASE(the_first_iterations_on_the_half_grid_keep_the_schedule) {
  const Scan scan;
  const Image reference = scan.truth_in_hu();
  CtReconstructionOptions o = tv_options("pnp-hqs");
  const CtReconstruction full = reconstruct_ct(scan.geometry, scan.sinogram, &scan.weights, &reference, o);
  o.solver.half_resolution_iterations = 5;
  const CtReconstruction from_half = reconstruct_ct(scan.geometry, scan.sinogram, &scan.weights, &reference, o);
  for (std::size_t z = 0; z < 2; ++z) {
    const std::vector<IterationRecord>& history = from_half.runs[z].history;
    BOOST_REQUIRE(history.size() == 8u);
    for (std::size_t k = 0; k < 8; ++k) {
      BOOST_TEST(history[k].iteration == static_cast<int>(k + 1));
      BOOST_TEST(history[k].step == full.runs[z].history[k].step, boost::test_tools::tolerance(1e-9));
      if (k > 0) BOOST_TEST(history[k].seconds >= history[k - 1].seconds);
    }
    BOOST_TEST(!history[4].psnr.has_value());  // on the half grid: no reference there
    BOOST_TEST(history[5].psnr.has_value());
  }
  BOOST_TEST_INFO(from_half.summary.brief_report());
  BOOST_TEST(from_half.summary.quality->psnr > from_half.summary.quality->start_psnr + 1.0);
  BOOST_TEST((from_half.volume.array() != full.volume.array()).any());

  o.solver.half_resolution_iterations = 8;  // none left for the full grid
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, scan.sinogram, &scan.weights, nullptr, o), ParameterError);
}

// Slices solved side by side, their projections and back-projections on stacks
// (JosephProjector::slices_sharing_work), on the full grid and on the half one where PnP-HQS
// starts, in parallel and fan beam: every slice as alone, bit for bit, SURE's per-slice choice
// included; the slices' times add up to no more than the call's; a
// stop within one slice stops them all.
BOOST_AUTO_TEST_CASE(slices_solved_side_by_side_come_out_as_each_alone) {
  CtGeometry fan = parallel_geometry(48, 4.0, 72);
  fan.beam = BeamShape::fan;
  fan.source_to_isocentre_mm = 400, fan.source_to_detector_mm = 700;
  fan.detectors = 90, fan.detector_spacing_mm = 5.0;
  fan.angles_deg = equally_spaced_angles(72, 360);
  for (const CtGeometry& geometry : {parallel_geometry(48, 4.0, 72), fan}) {
    BOOST_TEST_CONTEXT((geometry.beam == BeamShape::fan ? "fan" : "parallel") << " beam") {
      constexpr std::int64_t kSlices = 3;
      BOOST_TEST_MESSAGE("slices sharing a stack: " << JosephProjector(geometry).slices_sharing_work());
      ImageGeometry grid = geometry.image_geometry();
      const Image phantom = rasterize(shepp_logan(96.0), grid);
      grid.shape = Shape::volume(48, 48, kSlices);
      Image truth(grid);
      for (std::int64_t z = 0; z < kSlices; ++z) {
        truth.slice(z) = phantom.slice(0) * static_cast<float>(kWaterAttenuationPerMm * (1.0 - 0.1 * static_cast<double>(z)));
      }
      const LowDoseSinogram scan = simulate_low_dose(project_volume(geometry, truth), {.incident_photons = 2e4, .seed = 5});
      CtReconstructionOptions o = tv_options("pnp-hqs");
      o.solver.sure_prior_level = true;
      o.solver.half_resolution_iterations = 5;
      std::vector<std::int64_t> progress;
      o.progress = [&](std::int64_t done, std::int64_t) {
        progress.push_back(done);
        return true;
      };
      const auto started = std::chrono::steady_clock::now();
      const CtReconstruction stack = reconstruct_ct(geometry, scan.line_integrals, &scan.weights, nullptr, o);
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      BOOST_TEST(progress.back() == kSlices);
      BOOST_TEST(stack.summary.seconds() <= elapsed);
      o.progress = nullptr;
      for (std::int64_t z = 0; z < kSlices; ++z) {
        const Image sinogram = extract_slices(scan.line_integrals, z, 1), weights = extract_slices(scan.weights, z, 1);
        const CtReconstruction alone = reconstruct_ct(geometry, sinogram, &weights, nullptr, o);
        BOOST_TEST((alone.volume.slice(0).array() == stack.volume.slice(z).array()).all(), "slice " << z);
        BOOST_TEST(alone.slices[0].prior_level->choice.sigma ==
                   stack.slices[static_cast<std::size_t>(z)].prior_level->choice.sigma);
        BOOST_TEST(alone.runs[0].history.size() == stack.runs[static_cast<std::size_t>(z)].history.size());
      }
      o.solver.sure_prior_level = false;
      o.iteration_progress = [](std::int64_t slice, int iteration, int) { return !(slice == 1 && iteration == 2); };
      BOOST_CHECK_THROW(reconstruct_ct(geometry, scan.line_integrals, &scan.weights, nullptr, o), OperationStopped);
    }
  }
}

// A small 2.5D CT network (one neighbouring slice on each side), its weights random but small: a
// denoiser near the identity that does depend on the neighbours.
std::string write_neighbour_model(const testing::TemporaryFolder& folder) {
  Model model;
  model.architecture = {.depth = 3, .width = 8, .kernel = 3, .unshuffle = 2, .context = 1};
  model.normalisation = {"HU", -1000.0, 1000.0};
  model.modality = "ct";
  model.sigma_max = 200.0;
  model.parameters = testing::random_parameters(model.architecture, 8);
  for (float& w : model.parameters) w *= 0.2f;
  const std::filesystem::path path = folder.path() / "neighbours.tdm";
  write_model(model, path);
  return path.string();
}

// With a 2.5D prior the slices solved side by side denoise each other's current images as
// neighbours, on both grids of PnP-HQS: three slices of one scan come out as that slice alone
// (whose missing neighbours are itself), and a slice between others differs from it alone.
BOOST_AUTO_TEST_CASE(a_prior_with_neighbouring_slices_sees_the_slices_solved_beside_each) {
  const testing::TemporaryFolder folder;
  const Scan scan;
  CtReconstructionOptions o = tv_options("pnp-hqs");
  o.solver.prior = write_neighbour_model(folder);
  o.solver.half_resolution_iterations = 4;
  const Image sinogram = extract_slices(scan.sinogram, 0, 1), weights = extract_slices(scan.weights, 0, 1);
  const CtReconstruction alone = reconstruct_ct(scan.geometry, sinogram, &weights, nullptr, o);
  Image sinograms(Shape::volume(sinogram.shape().nx, sinogram.shape().ny, 3)), all_weights(sinograms.geometry());
  for (std::int64_t z = 0; z < 3; ++z) {
    sinograms.slice(z) = sinogram.slice(0);
    all_weights.slice(z) = weights.slice(0);
  }
  const CtReconstruction same = reconstruct_ct(scan.geometry, sinograms, &all_weights, nullptr, o);
  for (std::int64_t z = 0; z < 3; ++z) {
    BOOST_TEST((same.volume.slice(z).array() == alone.volume.slice(0).array()).all(), "slice " << z);
  }
  sinograms.slice(0) = scan.sinogram.slice(1);
  all_weights.slice(0) = scan.weights.slice(1);
  const CtReconstruction between = reconstruct_ct(scan.geometry, sinograms, &all_weights, nullptr, o);
  BOOST_TEST((between.volume.slice(1) - alone.volume.slice(0)).norm() > 1e-4 * alone.volume.slice(0).norm());
}

// More slices than a group solved side by side (JosephProjector::slices_sharing_work): the first
// progress call can stop the rest.
BOOST_AUTO_TEST_CASE(a_progress_callback_can_stop_between_slices) {
  const Scan scan;
  ImageGeometry stack = scan.sinogram.geometry();
  const std::int64_t slices = JosephProjector(scan.geometry).slices_sharing_work() + 2;
  stack.shape = Shape::volume(stack.shape.nx, stack.shape.ny, slices);
  Image sinogram(stack);
  for (std::int64_t z = 0; z < slices; ++z) sinogram.slice(z) = scan.sinogram.slice(z % 2);
  CtReconstructionOptions o = tv_options("pnp-hqs");
  std::vector<std::int64_t> calls;
  o.progress = [&](std::int64_t done, std::int64_t) {
    calls.push_back(done);
    return false;
  };
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, sinogram, nullptr, nullptr, o), OperationStopped);
  BOOST_TEST(calls.size() == 1u);
  BOOST_TEST(calls.front() < slices);
}

BOOST_AUTO_TEST_CASE(inputs_that_do_not_fit_are_refused) {
  const Scan scan;
  const CtReconstructionOptions o = tv_options("pnp-hqs");
  const Image short_weights = extract_slices(scan.weights, 0, 1);
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, scan.sinogram, &short_weights, nullptr, o), ShapeError);
  Image negative = scan.weights.clone();
  negative.data()[5] = -1.0f;
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, scan.sinogram, &negative, nullptr, o), ParameterError);
  const Image one_slice = extract_slices(scan.truth, 0, 1);
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, scan.sinogram, nullptr, &one_slice, o), Error);
  Image with_nan = scan.sinogram.clone();
  with_nan.data()[0] = std::numeric_limits<float>::quiet_NaN();
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, with_nan, nullptr, nullptr, o), Error);
  CtReconstructionOptions natural = o;
  natural.solver.prior = "natural-gray";  // an HU prior is needed
  BOOST_CHECK_THROW(reconstruct_ct(scan.geometry, scan.sinogram, nullptr, nullptr, natural), ParameterError);
}

BOOST_AUTO_TEST_CASE(one_and_two_threads_give_the_same_bits) {
  const Scan scan;
  const CtReconstructionOptions o = tv_options("pnp-admm");
  Image one, two;
  {
    const ThreadLimit limit(1);
    one = reconstruct_ct(scan.geometry, scan.sinogram, &scan.weights, nullptr, o).volume;
  }
  {
    const ThreadLimit limit(2);
    two = reconstruct_ct(scan.geometry, scan.sinogram, &scan.weights, nullptr, o).volume;
  }
  BOOST_TEST((one.array() == two.array()).all());
}

BOOST_AUTO_TEST_SUITE_END()
