#define BOOST_TEST_MODULE tweedie priors
#include <boost/test/unit_test.hpp>
