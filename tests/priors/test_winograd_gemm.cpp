#include "core/random.h"
#include "priors/winograd_gemm.h"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

using namespace tweedie;
namespace data = boost::unit_test::data;

namespace {

std::vector<float> random_values(std::int64_t count, std::uint64_t seed) {
  std::vector<float> values(static_cast<std::size_t>(count));
  const CounterRng rng(seed, 0);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(rng.normal(i));
  return values;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(winograd_gemm)

// Row counts around the 6-row register block, column counts that are whole blocks and that leave
// a remainder (or are all remainder), a read in place (row-major) and transposed, overwriting and
// accumulating.
BOOST_DATA_TEST_CASE(multiply_small_computes_the_matrix_product,
                     data::make({1, 5, 6, 7, 13, 64}) * data::make({5, 16, 37, 64}) * data::make({false, true}) *
                         data::make({false, true}),
                     rows, cols, transposed, accumulate) {
  const std::int64_t depth = 19;
  const std::vector<float> a = random_values(rows * depth, 1), b = random_values(depth * cols, 2);
  const std::vector<float> initial = random_values(rows * cols, 3);
  const StridedMatrix a_view = transposed ? StridedMatrix{a.data(), 1, rows} : StridedMatrix{a.data(), depth, 1};
  std::vector<float> c = initial;
  multiply_small(rows, cols, depth, a_view, b.data(), c.data(), accumulate);
  double worst = 0.0;
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < cols; ++j) {
      double expected = accumulate ? initial[static_cast<std::size_t>(r * cols + j)] : 0.0;
      for (std::int64_t p = 0; p < depth; ++p) {
        expected += static_cast<double>(a_view.data[r * a_view.row_stride + p * a_view.column_stride]) *
                    b[static_cast<std::size_t>(p * cols + j)];
      }
      worst = std::max(worst, std::abs(expected - c[static_cast<std::size_t>(r * cols + j)]));
    }
  }
  BOOST_TEST(worst < 1e-4);
}

// What tiled Winograd inference relies on: a row computed with others, wherever it falls in the
// register blocks, has the bits it has computed alone.
BOOST_DATA_TEST_CASE(a_row_has_the_same_bits_in_any_company, data::make({4, 37, 64}), cols) {
  const std::int64_t rows = 13, depth = 64;
  const std::vector<float> a = random_values(rows * depth, 4), b = random_values(depth * cols, 5);
  std::vector<float> together(static_cast<std::size_t>(rows * cols)), alone(together.size());
  multiply_small(rows, cols, depth, {a.data(), depth, 1}, b.data(), together.data(), false);
  for (std::int64_t r = 0; r < rows; ++r) {
    multiply_small(1, cols, depth, {a.data() + r * depth, depth, 1}, b.data(), alone.data() + r * cols, false);
  }
  BOOST_TEST(together == alone, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
