#include "apps/noise_level.h"

#include "core/error.h"
#include "priors/sure.h"

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

double noise_sigma_from_flag(const std::string& flag, const Image& noisy, const std::string& what) {
  return flag == "auto" ? estimate_noise_sigma(noisy) : positive_number(flag, what, "auto");
}

SigmaChoice choose_and_report_sigma(Denoiser& denoiser, const Image& noisy, const std::string& noise_flag,
                                    const SureOptions& options) {
  const double noise = noise_sigma_from_flag(noise_flag, noisy, "--noise-sigma");
  const SigmaChoice choice = choose_sigma_by_sure(denoiser, noisy, noise, options);
  std::cout << "noise σ " << noise << (noise_flag == "auto" ? " (estimated)" : "") << "; " << denoiser.name()
            << ": SURE chooses σ " << choice.sigma << " (estimated MSE " << choice.sure << ", RMSE "
            << std::sqrt(std::max(choice.sure, 0.0)) << ")\n";
  return choice;
}

}  // namespace tweedie::app
