#include "priors/conv_stack.h"

#include "core/error.h"
#include "priors/conv_stack_onednn.h"
#include "priors/conv_stack_reference.h"

namespace tweedie {

ConvBackend parse_conv_backend(const std::string& name) {
  if (name == "reference") return ConvBackend::reference;
  if (name == "onednn") return ConvBackend::onednn;
  throw ParameterError("unknown convolution backend '" + name + "' (expected reference or onednn)");
}

std::string to_string(ConvBackend backend) { return backend == ConvBackend::reference ? "reference" : "onednn"; }

std::unique_ptr<ConvStack> make_conv_stack(const NetworkArchitecture& architecture, ConvBackend backend) {
  if (backend == ConvBackend::reference) return std::make_unique<ReferenceConvStack>(architecture);
  return std::make_unique<OnednnConvStack>(architecture);
}

}  // namespace tweedie
