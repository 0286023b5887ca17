#define BOOST_TEST_MODULE tweedie pipelines
#include <boost/test/unit_test.hpp>
