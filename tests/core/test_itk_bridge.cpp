#include "core/error.h"
#include "core/itk_bridge.h"

#include <boost/test/unit_test.hpp>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(itk_bridge)

BOOST_AUTO_TEST_CASE(to_itk_shares_pixels_and_keeps_the_geometry) {
  ImageGeometry g{.shape = Shape::volume(5, 4, 3), .spacing = {0.5, 0.75, 2.5},
                  .origin = {-10, 20, 30}, .direction = {0, 1, 0, 1, 0, 0, 0, 0, 1}};
  Image image(g);
  auto itk_image = to_itk<3>(image);
  BOOST_TEST(itk_image->GetBufferPointer() == image.data());
  BOOST_TEST(itk_image->GetSpacing()[2] == 2.5);
  BOOST_TEST(itk_image->GetOrigin()[0] == -10.0);
  BOOST_TEST(itk_image->GetDirection()(0, 1) == 1.0);
  BOOST_TEST(itk_image->GetLargestPossibleRegion().GetSize()[1] == 4u);
  itk_image->SetPixel({{3, 2, 1}}, 9.0f);
  BOOST_TEST(image.at(3, 2, 1) == 9.0f);
}

BOOST_AUTO_TEST_CASE(the_itk_image_keeps_the_buffer_alive) {
  itk::Image<float, 2>::Pointer itk_image;
  {
    Image image(Shape::image(6, 6));
    image.at(5, 5) = 4.0f;
    itk_image = to_itk<2>(image);
  }
  BOOST_TEST(itk_image->GetPixel({{5, 5}}) == 4.0f);
}

BOOST_AUTO_TEST_CASE(from_itk_shares_pixels_and_keeps_the_itk_image_alive) {
  auto source = itk::Image<float, 2>::New();
  source->SetRegions(itk::Size<2>{{7, 5}});
  source->SetSpacing(0.3);
  source->Allocate(true);
  source->SetPixel({{6, 4}}, 2.0f);
  Image image = from_itk<2>(source.GetPointer());
  source = nullptr;  // the Image now owns the only reference
  BOOST_TEST(image.shape() == Shape::image(7, 5));
  BOOST_TEST(image.geometry().spacing[1] == 0.3);
  BOOST_TEST(image.at(6, 4) == 2.0f);
}

BOOST_AUTO_TEST_CASE(round_trip_keeps_geometry_exactly) {
  ImageGeometry g{.shape = Shape::image(3, 2), .spacing = {0.1, 0.2, 1.0}, .origin = {1.5, -2.5, 0}};
  Image image(g);
  auto itk_image = to_itk<2>(image);
  const Image back = from_itk<2>(itk_image.GetPointer());
  BOOST_TEST((back.geometry() == g));
  BOOST_TEST(back.data() == image.data());
}

BOOST_AUTO_TEST_CASE(dimension_mismatch_is_refused) {
  const Image volume(Shape::volume(2, 2, 2));
  BOOST_CHECK_THROW(to_itk<2>(volume), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
