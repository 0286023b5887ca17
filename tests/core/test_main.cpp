#define BOOST_TEST_MODULE tweedie core
#include <boost/test/unit_test.hpp>
