#include "apps/restoration_problem.h"

#include "core/error.h"
#include "core/image_io.h"
#include "operators/blur.h"
#include "operators/decimation.h"
#include "operators/sampling.h"

namespace tweedie::app {

void add_restoration_options(CLI::App& parser, RestorationFlags& f) {
  parser.add_option("--operator", f.operator_name, "blur, decimate, mask or none (noise only)")->required();
  parser.add_option("--blur-sigma", f.blur_sigma, "blur: Gaussian kernel σ in pixels")->capture_default_str();
  parser.add_option("--kernel", f.kernel, "blur: kernel image instead of a Gaussian");
  parser.add_option("--factor", f.factor, "decimate: scale factor")->check(CLI::PositiveNumber)->capture_default_str();
  parser.add_option("--antialias-sigma", f.antialias_sigma, "decimate: anti-alias blur σ (default factor / 2)");
}

ImageGeometry clean_grid(const RestorationFlags& f, const ImageGeometry& measured) {
  if (f.operator_name != "decimate") return measured;
  ImageGeometry high = measured;
  high.shape.nx *= f.factor, high.shape.ny *= f.factor;
  high.spacing[0] /= static_cast<double>(f.factor), high.spacing[1] /= static_cast<double>(f.factor);
  return high;
}

std::shared_ptr<const LinearOperator> restoration_operator(const RestorationFlags& f, const ImageGeometry& clean,
                                                           const Image* mask) {
  if (f.operator_name == "blur") {
    const Image kernel = f.kernel.empty() ? gaussian_kernel(f.blur_sigma) : read_kernel(f.kernel);
    return std::make_shared<Convolution>(clean, kernel, Boundary::circular);
  }
  if (f.operator_name == "decimate") {
    const double antialias = f.antialias_sigma > 0 ? f.antialias_sigma : 0.5 * static_cast<double>(f.factor);
    return std::make_shared<Decimation>(clean, f.factor, antialias);
  }
  if (f.operator_name == "none") {  // denoising: the identity
    Image ones(clean);
    ones.array() = 1.0f;
    return std::make_shared<PixelMask>(ones);
  }
  if (f.operator_name == "mask") {
    if (!mask) throw ParameterError("--operator mask needs --mask (nonzero where the image was measured)");
    require_same_shape(clean.shape, mask->shape(), "the mask");
    return std::make_shared<PixelMask>(*mask);
  }
  throw ParameterError("unknown operator '" + f.operator_name + "' (expected blur, decimate, mask or none)");
}

}  // namespace tweedie::app
