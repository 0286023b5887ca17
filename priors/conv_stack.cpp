#include "priors/conv_stack.h"

#include "core/error.h"
#include "priors/conv_stack_nhwc.h"

namespace tweedie {

ConvBackend parse_conv_backend(const std::string& name) {
  if (name == "reference") return ConvBackend::reference;
  if (name == "winograd") return ConvBackend::winograd;
  if (name == "amx-bf16") return ConvBackend::amx_bf16;
  throw ParameterError("unknown convolution backend '" + name + "' (expected winograd, amx-bf16 or reference)");
}

std::string to_string(ConvBackend backend) {
  switch (backend) {
    case ConvBackend::reference: return "reference";
    case ConvBackend::winograd: return "winograd";
    case ConvBackend::amx_bf16: return "amx-bf16";
  }
  return "unknown";
}

std::unique_ptr<ConvStack> make_conv_stack(const NetworkArchitecture& architecture, ConvBackend backend) {
  switch (backend) {
    case ConvBackend::reference: return std::make_unique<NhwcConvStack>(architecture, NhwcConvolution::im2col);
    case ConvBackend::winograd: return std::make_unique<NhwcConvStack>(architecture, NhwcConvolution::winograd);
    case ConvBackend::amx_bf16: return std::make_unique<NhwcConvStack>(architecture, NhwcConvolution::amx_bf16);
  }
  throw ParameterError("unknown convolution backend");
}

}  // namespace tweedie
