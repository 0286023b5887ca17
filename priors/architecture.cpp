#include "priors/architecture.h"

#include "core/error.h"

#include <algorithm>

namespace tweedie {

void NetworkArchitecture::validate() const {
  if (depth < 2) throw ParameterError("the network needs at least 2 layers, got depth " + std::to_string(depth));
  if (width < 1) throw ParameterError("network width must be positive, got " + std::to_string(width));
  if (kernel < 1 || kernel % 2 == 0) throw ParameterError("kernel size must be odd, got " + std::to_string(kernel));
  if (unshuffle < 1 || unshuffle > 4) {
    throw ParameterError("unshuffle factor must be 1 to 4, got " + std::to_string(unshuffle));
  }
  if (context < 0 || context > 2) throw ParameterError("context must be 0 to 2 slices, got " + std::to_string(context));
}

std::vector<ConvLayerShape> NetworkArchitecture::layers() const {
  const std::int64_t folded = unshuffle * unshuffle;
  std::vector<ConvLayerShape> shapes;
  for (std::int64_t l = 0; l < depth; ++l) {
    const bool last = l == depth - 1;
    shapes.push_back({l == 0 ? input_slices() * folded + 1 : width, last ? folded : width, kernel, !last});
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
         std::to_string(kernel) + " kernels, unshuffle " + std::to_string(unshuffle) +
         (context > 0 ? ", " + std::to_string(context) + " neighbouring slice(s) on each side" : "");
}

std::vector<float> parameters_with_context(const NetworkArchitecture& architecture, std::span<const float> parameters,
                                           std::int64_t context) {
  NetworkArchitecture wider = architecture;
  wider.context = context;
  wider.validate();
  if (context < architecture.context) throw ParameterError("a network's context can only be widened");
  if (static_cast<std::int64_t>(parameters.size()) != architecture.parameter_count()) {
    throw ParameterError("expected " + std::to_string(architecture.parameter_count()) + " parameters, got " +
                         std::to_string(parameters.size()));
  }
  const ConvLayerShape from = architecture.layers().front(), to = wider.layers().front();
  const std::int64_t folded = architecture.unshuffle * architecture.unshuffle;
  // Input channel c of the narrow network: slice c / folded (shifted by the added context), or the
  // noise-level map, which stays last.
  const auto wider_channel = [&](std::int64_t c) {
    return c == from.in_channels - 1 ? to.in_channels - 1 : c + (context - architecture.context) * folded;
  };
  std::vector<float> out(static_cast<std::size_t>(wider.parameter_count()), 0.0f);
  for (std::int64_t tap = 0; tap < from.kernel * from.kernel; ++tap) {
    for (std::int64_t c = 0; c < from.in_channels; ++c) {
      std::copy_n(parameters.begin() + (tap * from.in_channels + c) * from.out_channels, from.out_channels,
                  out.begin() + (tap * to.in_channels + wider_channel(c)) * to.out_channels);
    }
  }
  // The first layer's biases and every later layer are unchanged.
  std::copy(parameters.begin() + from.weight_count(), parameters.end(), out.begin() + to.weight_count());
  return out;
}

}  // namespace tweedie
