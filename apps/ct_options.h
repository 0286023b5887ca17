// Options shared by the CT subcommands: the geometry file and the image units.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace tweedie::app {

struct CtOptions {
  std::string geometry;
  std::string units = "hu";
};

/// Adds --geometry (required) and --units to a subcommand.
void add_ct_options(CLI::App& parser, CtOptions& options);

}  // namespace tweedie::app
