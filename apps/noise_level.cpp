#include "apps/noise_level.h"

#include "core/error.h"
#include "pipelines/prior_level_choice.h"

#include <algorithm>
#include <cmath>
#include <iostream>
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

SigmaChoice choose_and_report_sigma(Denoiser& denoiser, const Image& noisy, const std::string& noise_flag,
                                    const SureOptions& options) {
  const std::optional<double> given =
      noise_flag == "auto" ? std::nullopt : std::optional<double>(positive_number(noise_flag, "--noise-sigma", "auto"));
  const DenoisingLevel level = choose_denoising_level(denoiser, noisy, given, options);
  const SigmaChoice& choice = level.choice;
  std::cout << "noise σ " << level.noise_sigma << (level.noise_estimated ? " (estimated)" : "") << "; " << denoiser.name()
            << ": SURE chooses σ " << choice.sigma << " (estimated MSE " << choice.sure << ", RMSE "
            << std::sqrt(std::max(choice.sure, 0.0)) << ")\n";
  return choice;
}

}  // namespace tweedie::app
