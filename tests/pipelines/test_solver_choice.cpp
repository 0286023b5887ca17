#include "core/error.h"
#include "pipelines/solver_choice.h"

#include <boost/test/unit_test.hpp>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(solver_choice)

BOOST_AUTO_TEST_CASE(requests_that_make_no_sense_are_refused) {
  SolverChoice choice;
  BOOST_CHECK_NO_THROW(choice.validate());
  choice.solver = "pnp-magic";
  BOOST_CHECK_THROW(choice.validate(), ParameterError);
  choice = {};
  choice.red_form = RedForm::gradient;
  BOOST_CHECK_THROW(choice.validate(), ParameterError);  // only RED has a gradient form
  choice.solver = "red";
  BOOST_CHECK_NO_THROW(choice.validate());
  choice = {};
  choice.solver = "tv-pdhg";
  choice.sure_prior_level = true;
  BOOST_CHECK_THROW(choice.validate(), ParameterError);  // no prior schedule
  choice.solver = "pnp-hqs";
  choice.sigma_last = 5.0;
  BOOST_CHECK_THROW(choice.validate(), ParameterError);  // SURE chooses σ_last
  choice = {};
  choice.iterations = 0;
  BOOST_CHECK_THROW(choice.validate(), ParameterError);
  choice = {};
  choice.noise_sigma = -1.0;
  BOOST_CHECK_THROW(choice.validate(), ParameterError);
}

BOOST_AUTO_TEST_CASE(unset_fields_keep_the_problem_defaults_and_set_ones_override_them) {
  SolverSettings defaults;
  defaults.pnp.control.iterations = 16;
  defaults.pnp.sigma_last = 0.5;
  SolverChoice choice;
  SolverSettings s = resolve_settings(choice, defaults, nullptr);
  BOOST_TEST(s.pnp.control.iterations == 16);
  BOOST_TEST(s.pnp.sigma_last == 0.5);
  choice.sigma_last = 40.0;
  choice.iterations = 5;
  s = resolve_settings(choice, defaults, nullptr, 0.01);
  BOOST_TEST(s.pnp.sigma_last == 0.4, boost::test_tools::tolerance(1e-12));  // levels in display units
  BOOST_TEST(s.sampler.sigma_last == 0.4, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(s.pnp.control.iterations == 5);
}

BOOST_AUTO_TEST_CASE(iteration_defaults_follow_the_solver_traits) {
  SolverSettings defaults;
  defaults.pnp.control.iterations = 16;
  for (const SolverTraits& traits : solver_registry()) {
    SolverChoice choice;
    choice.solver = traits.name;
    const int expected = traits.default_iterations > 0 ? traits.default_iterations : 16;
    BOOST_TEST_INFO(traits.name);
    BOOST_TEST(resolve_settings(choice, defaults, nullptr).pnp.control.iterations == expected);
    if (traits.has_gradient_form) {  // one cheap step per iteration: four times the schedule
      choice.red_form = RedForm::gradient;
      BOOST_TEST(resolve_settings(choice, defaults, nullptr).pnp.control.iterations == 4 * expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_ensemble_default_applies_to_schedule_solvers_only) {
  SolverChoice choice;
  BOOST_TEST(use_ensemble(choice, true));
  BOOST_TEST(!use_ensemble(choice, false));
  choice.solver = "langevin";
  BOOST_TEST(!use_ensemble(choice, true));
  choice.ensemble = true;
  BOOST_TEST(use_ensemble(choice, false));
}

BOOST_AUTO_TEST_SUITE_END()
