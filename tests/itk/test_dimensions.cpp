// Each filter in 2D and in 3D gives the bits of the direct library call.
#include "core/image_ops.h"
#include "itk/BackProjectionImageFilter.h"
#include "itk/DenoiseImageFilter.h"
#include "itk/FilteredBackProjectionImageFilter.h"
#include "itk/ForwardProjectionImageFilter.h"
#include "itk/LowDoseSimulationImageFilter.h"
#include "operators/fbp.h"
#include "operators/low_dose.h"
#include "operators/phantom.h"
#include "pipelines/prior_spec.h"

#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

using namespace tweedie;

namespace {

const CtGeometry kGeometry = parallel_geometry(32, 4.0, 40);

// A phantom in attenuation: 2D, or a volume of two scaled copies.
template <unsigned int D>
Image phantom() {
  Image slice = rasterize(shepp_logan(64.0), kGeometry.image_geometry());
  slice.array() *= static_cast<float>(kWaterAttenuationPerMm);
  if constexpr (D == 2) {
    return slice;
  } else {
    Image volume(Shape::volume(32, 32, 2));
    ImageGeometry g = volume.geometry();
    g.spacing = slice.geometry().spacing;
    g.spacing[2] = 3.0;
    volume.set_geometry(g);
    volume.slice(0) = slice.slice(0);
    volume.slice(1) = 0.8f * slice.slice(0);
    return volume;
  }
}

template <typename TFilter>
Image run(TFilter* filter) {
  filter->Update();
  return itk_support::to_tweedie(filter->GetOutput()).clone();
}

bool same_bits(const Image& a, const Image& b) { return a.size() == b.size() && (a.array() == b.array()).all(); }

template <unsigned int D>
struct Dimension {
  static constexpr unsigned int value = D;
};
using Dimensions = boost::mpl::list<Dimension<2>, Dimension<3>>;

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_dimensions)

BOOST_AUTO_TEST_CASE_TEMPLATE(every_filter_gives_the_library_bits, Dim, Dimensions) {
  constexpr unsigned int D = Dim::value;
  using ItkImage = itk::Image<float, D>;
  const Image x = phantom<D>();
  const Image p = project_volume(kGeometry, x);

  auto project = ForwardProjectionImageFilter<ItkImage>::New();
  project->SetInput(to_itk<D>(x));
  project->SetGeometry(kGeometry);
  project->SetUnits(ImageUnits::attenuation);
  BOOST_TEST(same_bits(run(project.GetPointer()), p));

  auto back = BackProjectionImageFilter<ItkImage>::New();
  back->SetInput(to_itk<D>(p));
  back->SetGeometry(kGeometry);
  BOOST_TEST(same_bits(run(back.GetPointer()), JosephProjector(kGeometry, slices_of(p)).adjoint(p)));

  auto fbp = FilteredBackProjectionImageFilter<ItkImage>::New();
  fbp->SetInput(to_itk<D>(p));
  fbp->SetGeometry(kGeometry);
  fbp->SetUnits(ImageUnits::attenuation);
  BOOST_TEST(same_bits(run(fbp.GetPointer()), FilteredBackprojection(kGeometry, FbpFilter::hann).reconstruct(p)));

  auto scan = LowDoseSimulationImageFilter<ItkImage>::New();
  scan->SetInput(to_itk<D>(p));
  scan->SetIncidentPhotons(5e3);
  scan->SetSeed(3);
  const LowDoseSinogram expected = simulate_low_dose(p, {.incident_photons = 5e3, .seed = 3});
  BOOST_TEST(same_bits(run(scan.GetPointer()), expected.line_integrals));
  BOOST_TEST(same_bits(itk_support::to_tweedie(scan->GetWeightsOutput()).clone(), expected.weights));

  Image hu = x.clone();
  attenuation_to_hounsfield(hu);
  auto denoise = DenoiseImageFilter<ItkImage>::New();
  denoise->SetInput(to_itk<D>(hu));
  denoise->SetPrior("tv");
  denoise->SetSigma(40.0);
  BOOST_TEST(same_bits(run(denoise.GetPointer()), make_prior("tv")->denoise(hu, 40.0)));
}

BOOST_AUTO_TEST_SUITE_END()
