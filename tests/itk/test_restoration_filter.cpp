#include "itk/RestorationImageFilter.h"
#include "operators/sampling.h"
#include "support/test_pictures.h"

#include <boost/test/unit_test.hpp>

using namespace tweedie;
using Image2 = itk::Image<float, 2>;

BOOST_AUTO_TEST_SUITE(restoration_filter)

BOOST_AUTO_TEST_CASE(the_filter_gives_the_pixels_of_restore_on_the_clean_grid) {
  const Image clean = testing::test_picture(48);
  for (const Degradation degradation : {Degradation::blur, Degradation::decimate, Degradation::mask}) {
    RestorationProblem problem;
    problem.degradation = degradation;
    if (degradation == Degradation::mask) problem.mask = random_mask(clean.geometry(), 0.5, 4);
    const Image y = measure(problem, clean, 2.55, 9);
    SolverChoice choice = RestorationProblem::default_choice();
    choice.prior = "tv";
    choice.ensemble = false;
    auto filter = RestorationImageFilter<Image2>::New();
    filter->SetInput(to_itk<2>(y));
    filter->SetProblem(problem);
    if (problem.mask) filter->SetMask(to_itk<2>(*problem.mask));
    filter->SetSolverChoice(choice);
    filter->Update();
    const Restoration expected = restore(problem, y, nullptr, choice);
    const Image got = from_itk<2>(filter->GetOutput());
    BOOST_TEST_INFO(to_string(degradation));
    BOOST_TEST(got.shape().nx == clean.shape().nx);
    BOOST_TEST((got.array() == expected.image.array()).all());
  }
}

BOOST_AUTO_TEST_SUITE_END()
