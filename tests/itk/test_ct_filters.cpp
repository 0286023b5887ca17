#include "core/image_ops.h"
#include "itk/BackProjectionImageFilter.h"
#include "itk/FilteredBackProjectionImageFilter.h"
#include "itk/ForwardProjectionImageFilter.h"
#include "itk/LowDoseSimulationImageFilter.h"
#include "itk/ReconstructionImageFilter.h"
#include "operators/phantom.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <itkCommand.h>
#include <itkStreamingImageFilter.h>

using namespace tweedie;
using Image2 = itk::Image<float, 2>;
using Image3 = itk::Image<float, 3>;

namespace {

const CtGeometry kGeometry = parallel_geometry(48, 4.0, 60);

// A Shepp–Logan phantom in HU on the geometry's grid; `slices` > 0 stacks that many (scaled) copies.
Image phantom_hu(std::int64_t slices) {
  ImageGeometry grid = kGeometry.image_geometry();
  Image slice = rasterize(shepp_logan(96.0), grid);
  slice.array() = slice.array() * 1000.0f - 1000.0f;
  if (slices == 0) return slice;
  grid.shape = Shape::volume(48, 48, slices);
  Image volume(grid);
  for (std::int64_t z = 0; z < slices; ++z) volume.slice(z) = slice.slice(0) * (1.0f - 0.1f * static_cast<float>(z));
  return volume;
}

template <typename TImage>
Image pixels_of(TImage* image) {
  return itk_support::to_tweedie(image).clone();
}

bool same_bits(const Image& a, const Image& b) { return a.size() == b.size() && (a.array() == b.array()).all(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(ct_filters)

// reader → project → low dose → reconstruct, as an ITK pipeline, gives the pixels of the library call.
BOOST_AUTO_TEST_CASE(a_pipeline_reconstructs_the_pixels_of_the_library) {
  const Image truth = phantom_hu(2);
  auto project = ForwardProjectionImageFilter<Image3>::New();
  project->SetInput(to_itk<3>(truth));
  project->SetGeometry(kGeometry);
  auto scan = LowDoseSimulationImageFilter<Image3>::New();
  scan->SetInput(project->GetOutput());
  scan->SetIncidentPhotons(2e4);
  scan->SetSeed(5);
  auto recon = ReconstructionImageFilter<Image3>::New();
  recon->SetInput(scan->GetOutput());
  recon->SetWeights(scan->GetWeightsOutput());
  recon->SetGeometry(kGeometry);
  recon->SetPrior("tv");
  SolverChoice choice = recon->GetSolverChoice();
  choice.iterations = 4;
  recon->SetSolverChoice(choice);
  recon->Update();

  Image attenuation = truth.clone();
  hounsfield_to_attenuation(attenuation);
  const Image sinogram = project_volume(kGeometry, attenuation);
  BOOST_TEST(same_bits(pixels_of(project->GetOutput()), sinogram));
  const LowDoseSinogram low = simulate_low_dose(sinogram, {.incident_photons = 2e4, .seed = 5});
  CtReconstructionOptions options;
  options.solver = choice;
  const CtReconstruction expected = reconstruct_ct(kGeometry, low.line_integrals, &low.weights, nullptr, options);
  BOOST_TEST(same_bits(pixels_of(recon->GetOutput()), expected.volume));
  BOOST_TEST(recon->GetOutput()->GetSpacing()[0] == kGeometry.pixel_spacing_mm);
  BOOST_TEST(recon->GetSummary().runs.size() == 2u);
}

// A material's scale given to the filter reaches the library as recon's option does.
BOOST_AUTO_TEST_CASE(the_reconstruction_filter_takes_a_material_as_water) {
  Image attenuation = phantom_hu(0);
  hounsfield_to_attenuation(attenuation);
  attenuation.array() *= 0.4f;
  const LowDoseSinogram scan = simulate_low_dose(project_volume(kGeometry, attenuation), {.incident_photons = 2e4, .seed = 6});
  auto recon = ReconstructionImageFilter<Image2>::New();
  recon->SetInput(to_itk<2>(scan.line_integrals));
  recon->SetWeights(to_itk<2>(scan.weights));
  recon->SetGeometry(kGeometry);
  recon->SetUnits(ImageUnits::attenuation);
  recon->SetPrior("tv");
  recon->SetReferenceAttenuation(0.4 * kWaterAttenuationPerMm);
  recon->Update();
  CtReconstructionOptions options;
  options.solver = recon->GetSolverChoice();
  options.units = ImageUnits::attenuation;
  options.reference_attenuation = 0.4 * kWaterAttenuationPerMm;
  const CtReconstruction expected = reconstruct_ct(kGeometry, scan.line_integrals, &scan.weights, nullptr, options);
  BOOST_TEST(same_bits(pixels_of(recon->GetOutput()), expected.volume));
  recon->SetReferenceAttenuation(-1.0);
  BOOST_CHECK_THROW(recon->Update(), itk::ExceptionObject);
}

BOOST_AUTO_TEST_CASE(fbp_and_the_adjoint_match_the_library) {
  const Image truth = phantom_hu(0);
  Image attenuation = truth.clone();
  hounsfield_to_attenuation(attenuation);
  const auto sinogram = to_itk<2>(project_volume(kGeometry, attenuation));
  auto fbp = FilteredBackProjectionImageFilter<Image2>::New();
  fbp->SetInput(sinogram);
  fbp->SetGeometry(kGeometry);
  fbp->SetFilter(FbpFilter::shepp_logan);
  fbp->Update();
  Image expected = FilteredBackprojection(kGeometry, FbpFilter::shepp_logan).reconstruct(from_itk<2>(sinogram.GetPointer()));
  attenuation_to_hounsfield(expected);
  BOOST_TEST(same_bits(pixels_of(fbp->GetOutput()), expected));

  // ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ through the two filters.
  auto project = ForwardProjectionImageFilter<Image2>::New();
  project->SetInput(to_itk<2>(attenuation));
  project->SetGeometry(kGeometry);
  project->SetUnits(ImageUnits::attenuation);
  auto back = BackProjectionImageFilter<Image2>::New();
  back->SetInput(sinogram);
  back->SetGeometry(kGeometry);
  project->Update();
  back->Update();
  const Image ax = pixels_of(project->GetOutput()), aty = pixels_of(back->GetOutput());
  const double left = dot(ax, from_itk<2>(sinogram.GetPointer())), right = dot(attenuation, aty);
  BOOST_TEST(std::abs(left - right) < 1e-5 * std::abs(left));
}

BOOST_AUTO_TEST_CASE(integer_images_go_through_a_cast) {
  using ShortImage = itk::Image<short, 2>;
  const Image truth = phantom_hu(0);
  auto input = ShortImage::New();
  input->SetRegions(ShortImage::RegionType({48, 48}));
  ShortImage::SpacingType spacing;
  spacing.Fill(4.0);
  input->SetSpacing(spacing);
  input->Allocate();
  for (std::int64_t k = 0; k < truth.size(); ++k) input->GetBufferPointer()[k] = static_cast<short>(std::lround(truth.data()[k]));
  auto project = ForwardProjectionImageFilter<ShortImage, Image2>::New();
  project->SetInput(input);
  project->SetGeometry(kGeometry);
  BOOST_CHECK_NO_THROW(project->Update());
  BOOST_TEST(norm(pixels_of(project->GetOutput())) > 0.0);
}

BOOST_AUTO_TEST_CASE(bad_requests_raise_itk_exceptions_with_the_library_message) {
  auto recon = ReconstructionImageFilter<Image2>::New();
  recon->SetInput(to_itk<2>(Image(JosephProjector(kGeometry).range())));
  BOOST_CHECK_THROW(recon->Update(), itk::ExceptionObject);  // no geometry
  auto project = ForwardProjectionImageFilter<Image2>::New();
  ImageGeometry wrong = kGeometry.image_geometry();
  wrong.spacing[0] = wrong.spacing[1] = 1.0;  // the geometry says 4 mm pixels
  project->SetInput(to_itk<2>(Image(wrong)));
  project->SetGeometry(kGeometry);
  try {
    project->Update();
    BOOST_FAIL("a mismatched spacing was accepted");
  } catch (const itk::ExceptionObject& error) {
    BOOST_TEST_MESSAGE(error.GetDescription());
    BOOST_TEST(std::string(error.GetDescription()).find("the geometry expects 48×48 pixels of 4 mm") != std::string::npos);
  }
}

// Fan beam too, whose slices are solved side by side (their iterations interleave): the progress
// still only grows.
BOOST_DATA_TEST_CASE(progress_is_reported_per_iteration_and_an_abort_stops_within_a_slice, boost::unit_test::data::make({0, 1}),
                     fan) {
  CtGeometry geometry = kGeometry;
  if (fan == 1) {
    geometry.beam = BeamShape::fan;
    geometry.source_to_isocentre_mm = 400, geometry.source_to_detector_mm = 700;
    geometry.detectors = 90, geometry.detector_spacing_mm = 5.0;
    geometry.angles_deg = equally_spaced_angles(60, 360);
  }
  Image attenuation = phantom_hu(3);
  hounsfield_to_attenuation(attenuation);
  const auto sinogram = to_itk<3>(project_volume(geometry, attenuation));
  auto recon = ReconstructionImageFilter<Image3>::New();
  recon->SetInput(sinogram);
  recon->SetGeometry(geometry);
  recon->SetSolver("tv-pdhg");
  std::vector<float> progress;
  auto record = itk::CStyleCommand::New();
  record->SetClientData(&progress);
  record->SetCallback([](itk::Object* caller, const itk::EventObject&, void* data) {
    static_cast<std::vector<float>*>(data)->push_back(static_cast<itk::ProcessObject*>(caller)->GetProgress());
  });
  recon->AddObserver(itk::ProgressEvent(), record);
  recon->Update();
  BOOST_TEST(progress.size() >= 3u * 300u);  // tv-pdhg: 300 iterations per slice
  BOOST_TEST(std::is_sorted(progress.begin(), progress.end()));
  BOOST_TEST(progress.back() == 1.0f);

  auto abort = itk::CStyleCommand::New();
  abort->SetCallback([](itk::Object* caller, const itk::EventObject&, void*) {
    auto* filter = static_cast<itk::ProcessObject*>(caller);
    if (filter->GetProgress() > 0.1f && filter->GetProgress() < 0.3f) filter->AbortGenerateDataOn();
  });
  recon->AddObserver(itk::ProgressEvent(), abort);
  recon->Modified();
  progress.clear();
  BOOST_CHECK_THROW(recon->Update(), itk::ProcessAborted);
  BOOST_TEST(progress.back() < 1.0f / 3.0f);  // stopped within a slice's worth of work
}

// Streaming over slices: a requested range of slices asks only those of the sinogram, and the
// pieces put together are the bits of the whole volume at once.
BOOST_AUTO_TEST_CASE(streaming_by_slices_gives_the_bits_of_the_whole_volume) {
  Image attenuation = phantom_hu(3);
  hounsfield_to_attenuation(attenuation);
  const auto sinogram = to_itk<3>(project_volume(kGeometry, attenuation));
  auto whole = ReconstructionImageFilter<Image3>::New();
  whole->SetInput(sinogram);
  whole->SetGeometry(kGeometry);
  whole->SetPrior("tv");
  SolverChoice choice = whole->GetSolverChoice();
  choice.iterations = 3;
  whole->SetSolverChoice(choice);
  whole->Update();

  auto piecewise = ReconstructionImageFilter<Image3>::New();
  piecewise->SetInput(sinogram);
  piecewise->SetGeometry(kGeometry);
  piecewise->SetSolverChoice(choice);
  auto streamer = itk::StreamingImageFilter<Image3, Image3>::New();
  streamer->SetInput(piecewise->GetOutput());
  streamer->SetNumberOfStreamDivisions(3);
  streamer->Update();
  BOOST_TEST(piecewise->GetSummary().runs.size() == 1u);  // the last piece: one slice
  BOOST_TEST(same_bits(pixels_of(streamer->GetOutput()), pixels_of(whole->GetOutput())));
}

// ITK's pipeline contract: an unchanged filter does not run again, a changed parameter does; the
// output carries the geometry's pixel size and the input's slice spacing and position.
BOOST_AUTO_TEST_CASE(only_a_change_reexecutes_and_the_geometry_is_carried) {
  Image attenuation = phantom_hu(2);
  hounsfield_to_attenuation(attenuation);
  auto sinogram = to_itk<3>(project_volume(kGeometry, attenuation));
  Image3::SpacingType spacing = sinogram->GetSpacing();
  spacing[2] = 2.5;
  sinogram->SetSpacing(spacing);
  Image3::PointType origin = sinogram->GetOrigin();
  origin[2] = -30.0;
  sinogram->SetOrigin(origin);
  auto recon = ReconstructionImageFilter<Image3>::New();
  recon->SetInput(sinogram);
  recon->SetGeometry(kGeometry);
  recon->SetSolver("tv-pdhg");
  int runs = 0;
  auto count = itk::CStyleCommand::New();
  count->SetClientData(&runs);
  count->SetCallback([](itk::Object*, const itk::EventObject&, void* data) { ++*static_cast<int*>(data); });
  recon->AddObserver(itk::StartEvent(), count);
  recon->Update();
  recon->SetSolver("tv-pdhg");  // the same value: nothing changes
  recon->Update();
  BOOST_TEST(runs == 1);
  recon->SetSolver("cgls");
  recon->Update();
  BOOST_TEST(runs == 2);
  const Image3* out = recon->GetOutput();
  BOOST_TEST(out->GetSpacing()[0] == kGeometry.pixel_spacing_mm);
  BOOST_TEST(out->GetSpacing()[2] == 2.5);
  BOOST_TEST(out->GetOrigin()[2] == -30.0);
  BOOST_TEST(out->GetLargestPossibleRegion().GetSize()[2] == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
