// The solver option group shared by tweedie recon and tweedie restore: which solver and prior,
// their parameters (into a SolverChoice, pipelines/solver_choice.h), a reference for quality
// figures, and where the history and the posterior standard deviation go.
#pragma once

#include "pipelines/solver_choice.h"

#include <CLI/CLI.hpp>

#include <string>

namespace tweedie::app {

struct SolverFlags {
  SolverChoice choice;
  std::string red_form = "fixed-point";
  std::string prior_sigma;  ///< "sure" or empty
  int ensemble = 0;         ///< 1 --ensemble, −1 --no-ensemble, 0 the problem's default
  std::string reference, history, standard_deviation;

  /// The choice with the text flags applied.
  SolverChoice resolved() const;
};

/// Adds the options; `method_names` lists what --solver accepts (recon adds fbp).
void add_solver_options(CLI::App& parser, SolverFlags& flags, const std::string& method_names);

}  // namespace tweedie::app
