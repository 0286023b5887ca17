#include "core/image_ops.h"
#include "itk/DenoiseImageFilter.h"
#include "support/test_pictures.h"

#include <boost/test/unit_test.hpp>

using namespace tweedie;
using Image2 = itk::Image<float, 2>;

BOOST_AUTO_TEST_SUITE(denoise_filter)

BOOST_AUTO_TEST_CASE(the_filter_gives_the_denoisers_pixels_at_a_given_or_chosen_level) {
  const Image clean = testing::test_picture(48);
  const Image noisy = testing::with_noise(clean, 15.0, 3);
  auto filter = DenoiseImageFilter<Image2>::New();
  filter->SetInput(to_itk<2>(noisy));
  filter->SetPrior("tv");
  filter->SetSigma(15.0);
  filter->Update();
  const Image expected = make_prior("tv")->denoise(noisy, 15.0);
  const Image got = from_itk<2>(filter->GetOutput());
  BOOST_TEST((got.array() == expected.array()).all());

  filter->ChooseSigmaBySureOn();
  filter->SetNoiseSigma(15.0);
  filter->Update();
  BOOST_TEST(filter->GetUsedSigma() > 15.0 / 4);
  BOOST_TEST(filter->GetUsedSigma() < 15.0 * 4);
  filter->SetPrior("no-such-model");
  BOOST_CHECK_THROW(filter->Update(), itk::ExceptionObject);
}

BOOST_AUTO_TEST_SUITE_END()
