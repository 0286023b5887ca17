#define BOOST_TEST_MODULE tweedie operators
#include <boost/test/unit_test.hpp>
