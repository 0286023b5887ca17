#define BOOST_TEST_MODULE tweedie itk
#include <boost/test/unit_test.hpp>
