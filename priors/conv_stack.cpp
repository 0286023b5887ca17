#include "priors/conv_stack.h"

#include "core/error.h"
#include "priors/conv_stack_nhwc.h"

namespace tweedie {

ConvBackend parse_conv_backend(const std::string& name) {
  if (name == "reference") return ConvBackend::reference;
  if (name == "winograd") return ConvBackend::winograd;
  throw ParameterError("unknown convolution backend '" + name + "' (expected winograd or reference)");
}

std::string to_string(ConvBackend backend) { return backend == ConvBackend::reference ? "reference" : "winograd"; }

std::unique_ptr<ConvStack> make_conv_stack(const NetworkArchitecture& architecture, ConvBackend backend) {
  return std::make_unique<NhwcConvStack>(
      architecture, backend == ConvBackend::reference ? NhwcConvolution::im2col : NhwcConvolution::winograd);
}

}  // namespace tweedie
