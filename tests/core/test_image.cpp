#include "core/error.h"
#include "core/image.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(image)

BOOST_AUTO_TEST_CASE(new_images_are_zero_filled_and_aligned) {
  const Image small(Shape::volume(5, 4, 3));
  BOOST_TEST(small.size() == 60);
  BOOST_TEST(small.array().abs().maxCoeff() == 0.0f);
  BOOST_TEST(reinterpret_cast<std::uintptr_t>(small.data()) % 64 == 0u);
  const Image large(Shape::image(1024, 1024));
  BOOST_TEST(reinterpret_cast<std::uintptr_t>(large.data()) % 64 == 0u);
  BOOST_TEST(large.array().abs().maxCoeff() == 0.0f);
}

BOOST_AUTO_TEST_CASE(voxels_are_stored_x_fastest) {
  Image volume(Shape::volume(4, 3, 2));
  volume.at(1, 2, 1) = 7.0f;
  BOOST_TEST(volume.data()[1 + 4 * (2 + 3 * 1)] == 7.0f);
  // slice(z) is a row-major ny×nx view over the same memory.
  BOOST_TEST(volume.slice(1)(2, 1) == 7.0f);
  volume.slice(0)(0, 3) = 5.0f;
  BOOST_TEST(volume.at(3, 0, 0) == 5.0f);
  volume.array() += 1.0f;
  BOOST_TEST(volume.at(1, 2, 1) == 8.0f);
}

BOOST_AUTO_TEST_CASE(clone_is_a_deep_copy_with_the_same_geometry) {
  ImageGeometry g{.shape = Shape::volume(3, 3, 2), .spacing = {0.5, 0.7, 2.0}, .origin = {1, 2, 3}};
  Image original(g);
  original.at(1, 1, 1) = 3.0f;
  Image copy = original.clone();
  BOOST_TEST((copy.geometry() == g));
  BOOST_TEST(copy.at(1, 1, 1) == 3.0f);
  copy.at(1, 1, 1) = 4.0f;
  BOOST_TEST(original.at(1, 1, 1) == 3.0f);
  BOOST_TEST(copy.data() != original.data());
}

BOOST_AUTO_TEST_CASE(moves_transfer_the_buffer) {
  Image first(Shape::image(8, 8));
  const float* buffer = first.data();
  Image second = std::move(first);
  BOOST_TEST(second.data() == buffer);
}

BOOST_AUTO_TEST_CASE(geometry_changes_keep_the_shape) {
  Image image(Shape::image(4, 4));
  ImageGeometry g = image.geometry();
  g.spacing = {0.25, 0.25, 1.0};
  image.set_geometry(g);
  BOOST_TEST(image.geometry().spacing[0] == 0.25);
  g.shape = Shape::image(4, 5);
  BOOST_CHECK_THROW(image.set_geometry(g), ShapeError);
}

BOOST_AUTO_TEST_CASE(invalid_shapes_are_refused) {
  BOOST_CHECK_THROW(Image(Shape{4, 4, 2, 2}), ShapeError);
  BOOST_CHECK_THROW(Image(Shape{-1, 4, 1, 2}), ShapeError);
  BOOST_CHECK_THROW(Image(Shape{4, 4, 1, 4}), ShapeError);
}

BOOST_AUTO_TEST_CASE(require_finite_names_the_voxel) {
  Image image(Shape::volume(4, 4, 2));
  require_finite(image, "x");
  image.at(2, 3, 1) = INFINITY;
  BOOST_CHECK_EXCEPTION(require_finite(image, "the sinogram"), ParameterError, [](const auto& e) {
    return std::string(e.what()) == "the sinogram holds a non-finite value (inf) at voxel (2, 3, 1)";
  });
}

BOOST_AUTO_TEST_CASE(shape_messages_name_both_shapes) {
  BOOST_CHECK_EXCEPTION(
      require_same_shape(Shape::image(512, 512), Shape::volume(512, 512, 3), "the input"),
      ShapeError, [](const auto& e) {
        return std::string(e.what()) == "the input has shape 512×512×3, expected 512×512";
      });
}

BOOST_AUTO_TEST_CASE(extracted_slices_keep_their_physical_position) {
  ImageGeometry g{.shape = Shape::volume(3, 2, 5), .spacing = {1, 1, 2.5}, .origin = {0, 0, 10},
                  .direction = {1, 0, 0, 0, 0, -1, 0, 1, 0}};  // slices advance along -y
  Image volume(g);
  volume.at(2, 1, 3) = 6.0f;
  const Image slab = extract_slices(volume, 2, 2);
  BOOST_TEST(slab.shape() == Shape::volume(3, 2, 2));
  BOOST_TEST(slab.at(2, 1, 1) == 6.0f);
  BOOST_TEST(slab.geometry().origin[1] == -5.0);
  BOOST_TEST(slab.geometry().origin[2] == 10.0);
  BOOST_CHECK_THROW(extract_slices(volume, 4, 2), ShapeError);
  BOOST_CHECK_THROW(extract_slices(volume, 0, 0), ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
