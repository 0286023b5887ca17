#include "priors/conv_stack.h"

#include "core/error.h"
#include "priors/conv_stack_onednn.h"
#include "priors/conv_stack_nhwc.h"

namespace tweedie {

ConvBackend parse_conv_backend(const std::string& name) {
  if (name == "reference") return ConvBackend::reference;
  if (name == "onednn") return ConvBackend::onednn;
  if (name == "winograd") return ConvBackend::winograd;
  throw ParameterError("unknown convolution backend '" + name + "' (expected reference, onednn or winograd)");
}

std::string to_string(ConvBackend backend) {
  switch (backend) {
    case ConvBackend::reference: return "reference";
    case ConvBackend::onednn: return "onednn";
    case ConvBackend::winograd: return "winograd";
  }
  return "unknown";
}

std::unique_ptr<ConvStack> make_conv_stack(const NetworkArchitecture& architecture, ConvBackend backend) {
  switch (backend) {
    case ConvBackend::reference: return std::make_unique<NhwcConvStack>(architecture, NhwcConvolution::im2col);
    case ConvBackend::winograd: return std::make_unique<NhwcConvStack>(architecture, NhwcConvolution::winograd);
    case ConvBackend::onednn: break;
  }
  return std::make_unique<OnednnConvStack>(architecture);
}

}  // namespace tweedie
