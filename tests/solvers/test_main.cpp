#define BOOST_TEST_MODULE tweedie solvers
#include <boost/test/unit_test.hpp>
