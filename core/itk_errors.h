// Turns ITK's exceptions into tweedie::IoError with the file named. Internal to core's IO.
#pragma once

#include "core/eigen_before_itk.h"  // first: see there
#include "core/error.h"

#include <itkMacro.h>

#include <filesystem>
#include <string>

namespace tweedie::detail {

/// ITK's description of `error` on one line.
std::string one_line(const itk::ExceptionObject& error);

/// Runs `action`; an ITK exception becomes IoError("cannot <verb> '<path>': <ITK's reason>").
template <class Action>
auto rethrow_itk_errors(const std::string& verb, const std::filesystem::path& path,
                        const Action& action) {
  try {
    return action();
  } catch (const itk::ExceptionObject& error) {
    throw IoError("cannot " + verb + " '" + path.string() + "': " + one_line(error));
  }
}

}  // namespace tweedie::detail
