#include "apps/restoration_problem.h"

#include "apps/option_checks.h"
#include "core/error.h"
#include "core/image_io.h"
#include "operators/blur.h"

namespace tweedie::app {

void add_restoration_options(CLI::App& parser, RestorationFlags& f) {
  parser.add_option("--operator", f.operator_name, "blur, decimate, mask or none (noise only)")
      ->check(CLI::IsMember({"blur", "decimate", "mask", "none"}))
      ->required();
  parser.add_option("--blur-sigma", f.blur_sigma, "blur: Gaussian kernel σ in pixels")->check(positive())->capture_default_str();
  parser.add_option("--kernel", f.kernel, "blur: kernel image instead of a Gaussian");
  parser.add_option("--factor", f.factor, "decimate: scale factor")->check(at_least(1))->capture_default_str();
  parser.add_option("--antialias-sigma", f.antialias_sigma, "decimate: anti-alias blur σ (default factor / 2)")
      ->check(positive());
}

RestorationProblem restoration_problem(const RestorationFlags& f, bool read_mask) {
  RestorationProblem p;
  p.degradation = parse_degradation(f.operator_name);
  p.blur_sigma = f.blur_sigma;
  if (!f.kernel.empty()) p.kernel = read_kernel(f.kernel);
  p.factor = f.factor;
  p.antialias_sigma = f.antialias_sigma;
  if (p.degradation == Degradation::mask && read_mask) {
    if (f.mask.empty()) throw ParameterError("--operator mask needs --mask (nonzero where the image was measured)");
    p.mask = read_image(f.mask);
  }
  return p;
}

}  // namespace tweedie::app
