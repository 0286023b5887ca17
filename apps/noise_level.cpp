#include "apps/noise_level.h"

#include "core/error.h"
#include "priors/sure.h"

#include <cmath>
#include <stdexcept>

namespace tweedie::app {

double positive_number(const std::string& text, const std::string& what, const std::string& alternative) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !std::isfinite(value) || value <= 0) {
    throw ParameterError(what + " must be a positive number or '" + alternative + "', got '" + text + "'");
  }
  return value;
}

double noise_sigma_from_flag(const std::string& flag, const Image& noisy, const std::string& what) {
  return flag == "auto" ? estimate_noise_sigma(noisy) : positive_number(flag, what, "auto");
}

}  // namespace tweedie::app
