#include "priors/architecture.h"

#include "core/error.h"

namespace tweedie {

void NetworkArchitecture::validate() const {
  if (depth < 2) throw ParameterError("the network needs at least 2 layers, got depth " + std::to_string(depth));
  if (width < 1) throw ParameterError("network width must be positive, got " + std::to_string(width));
  if (kernel < 1 || kernel % 2 == 0) throw ParameterError("kernel size must be odd, got " + std::to_string(kernel));
  if (unshuffle < 1 || unshuffle > 4) {
    throw ParameterError("unshuffle factor must be 1 to 4, got " + std::to_string(unshuffle));
  }
}

std::vector<ConvLayerShape> NetworkArchitecture::layers() const {
  const std::int64_t folded = unshuffle * unshuffle;
  std::vector<ConvLayerShape> shapes;
  for (std::int64_t l = 0; l < depth; ++l) {
    const bool last = l == depth - 1;
    shapes.push_back({l == 0 ? folded + 1 : width, last ? folded : width, kernel, !last});
  }
  return shapes;
}

std::int64_t NetworkArchitecture::parameter_count() const {
  std::int64_t total = 0;
  for (const ConvLayerShape& layer : layers()) total += layer.parameter_count();
  return total;
}

double NetworkArchitecture::multiply_adds_per_pixel() const {
  double total = 0;
  for (const ConvLayerShape& layer : layers()) total += static_cast<double>(layer.weight_count());
  return total / static_cast<double>(unshuffle * unshuffle);
}

std::string NetworkArchitecture::to_string() const {
  return std::to_string(depth) + " layers × " + std::to_string(width) + " channels, " + std::to_string(kernel) + "×" +
         std::to_string(kernel) + " kernels, unshuffle " + std::to_string(unshuffle);
}

}  // namespace tweedie
