#include "core/error.h"
#include "core/random.h"
#include "core/threading.h"
#include "priors/amx_convolution.h"
#include "priors/im2col_convolution.h"
#include "priors/winograd.h"
#include "priors/denoising_network.h"
#include "priors/gradient_check.h"

#include <boost/test/data/test_case.hpp>
#include "amx_present.h"
#include "random_network.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

using namespace tweedie;
namespace data = boost::unit_test::data;

namespace {

Tensor random_tensor(const TensorShape& shape, std::uint64_t seed, float scale = 1.0f) {
  Tensor t(shape);
  const CounterRng rng(seed, 7);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data()[i] = scale * static_cast<float>(rng.normal(static_cast<std::uint64_t>(i)));
  return t;
}

double inner(std::span<const float> a, std::span<const float> b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

const NetworkArchitecture kSmall{.depth = 3, .width = 8, .kernel = 3, .unshuffle = 2};
const ConvBackend kBackends[] = {ConvBackend::reference, ConvBackend::winograd};

double relative_difference(std::span<const float> a, std::span<const float> b) {
  double difference = 0.0, size = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference += std::pow(static_cast<double>(a[i]) - b[i], 2);
    size += std::pow(static_cast<double>(a[i]), 2);
  }
  return std::sqrt(difference / size);
}

// Relative differences between a backend and the reference on one forward and backward pass of a
// randomly parametrised network: output, input gradient, parameter gradient.
struct BackendDifferences {
  double output, input_gradient, parameter_gradient;
};

BackendDifferences against_reference(const NetworkArchitecture& architecture, ConvBackend backend) {
  DenoisingNetwork reference(architecture, ConvBackend::reference), other(architecture, backend);
  reference.set_parameters(testing::random_parameters(architecture, 21));
  other.set_parameters(reference.parameters());
  const Tensor noisy = random_tensor({3, 18, 14, 1}, 22, 0.5f);
  const std::vector<float> sigmas{0.05f, 0.1f, 0.2f};
  const Tensor probe = random_tensor(noisy.shape(), 23);
  Tensor out_reference, out_other, grad_reference, grad_other;
  std::vector<float> parameters_reference(reference.parameters().size(), 0.0f), parameters_other = parameters_reference;
  reference.forward(noisy, sigmas, out_reference, true);
  other.forward(noisy, sigmas, out_other, true);
  reference.backward(probe, &grad_reference, parameters_reference);
  other.backward(probe, &grad_other, parameters_other);
  return {relative_difference(out_reference.values(), out_other.values()),
          relative_difference(grad_reference.values(), grad_other.values()),
          relative_difference(parameters_reference, parameters_other)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(denoising_network)

BOOST_AUTO_TEST_CASE(unshuffle_and_shuffle_are_inverse_permutations) {
  const Tensor image = random_tensor({2, 6, 8, 1}, 1);
  Tensor folded, back;
  unshuffle(image, 2, 1, folded);
  BOOST_TEST(folded.shape() == (TensorShape{2, 3, 4, 5}));
  BOOST_TEST(folded.at(1, 2, 3, 3) == image.at(1, 5, 7, 0));  // channel dy·s + dx = 1·2 + 1
  BOOST_TEST(folded.at(1, 2, 3, 4) == 0.0f);
  shuffle(folded, 2, 1, back);
  BOOST_TEST(std::vector<float>(back.values().begin(), back.values().end()) ==
             std::vector<float>(image.values().begin(), image.values().end()));
}

BOOST_DATA_TEST_CASE(a_convolution_layer_has_exact_gradients, data::make({1, 3, 5}) * data::make({false, true}), kernel,
                     relu) {
  const ConvLayerShape layer{3, 4, kernel, relu};
  const Tensor input = random_tensor({2, 5, 6, 3}, 2);
  std::vector<float> weights(static_cast<std::size_t>(layer.parameter_count()));
  const CounterRng rng(3, 0);
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<float>(0.3 * rng.normal(i));
  const Tensor probe = random_tensor({2, 5, 6, 4}, 4);
  const auto loss = [&](const Tensor& x, std::span<const float> w) {
    Tensor out;
    convolve_reference(x, layer, w.data(), w.data() + layer.weight_count(), out);
    return inner(out.values(), probe.values());
  };
  // Gradients through the ReLU mask, then the weight gradient and the transposed convolution.
  Tensor out;
  convolve_reference(input, layer, weights.data(), weights.data() + layer.weight_count(), out);
  Tensor masked = probe;
  for (std::int64_t i = 0; i < masked.size(); ++i) {
    if (relu && out.data()[i] <= 0.0f) masked.data()[i] = 0.0f;
  }
  std::vector<float> grad_weights(weights.size(), 0.0f);
  convolution_weight_gradient_reference(input, masked, layer, grad_weights.data(), grad_weights.data() + layer.weight_count());
  const std::vector<float> flipped = flipped_transposed_weights(layer, weights.data());
  Tensor grad_input;
  convolve_reference(masked, {4, 3, kernel, false}, flipped.data(), nullptr, grad_input);

  BOOST_TEST(check_gradient([&](std::span<const float> w) { return loss(input, w); }, weights, grad_weights, 5, 1e-2) < 1e-3);
  BOOST_TEST(check_gradient(
                 [&](std::span<const float> x) {
                   Tensor moved(input.shape());
                   std::copy(x.begin(), x.end(), moved.data());
                   return loss(moved, weights);
                 },
                 input.values(), grad_input.values(), 6, 1e-2) < 1e-3);
}

// 2D, and 2.5D with a neighbouring slice on each side.
BOOST_DATA_TEST_CASE(the_whole_network_has_exact_input_and_weight_gradients, data::make(kBackends) * data::make({0, 1}),
                     backend, context) {
  NetworkArchitecture architecture = kSmall;
  architecture.context = context;
  DenoisingNetwork net(architecture, backend);
  net.set_parameters(testing::random_parameters(architecture, 11));
  const Tensor noisy = random_tensor({2, 8, 10, architecture.input_slices()}, 12, 0.5f);
  const std::vector<float> sigmas{0.1f, 0.3f};
  const Tensor probe = random_tensor({2, 8, 10, 1}, 13);
  Tensor denoised, grad_noisy;
  net.forward(noisy, sigmas, denoised, true);
  std::vector<float> grad_parameters(net.parameters().size(), 0.0f);
  net.backward(probe, &grad_noisy, grad_parameters);

  const std::vector<float> parameters(net.parameters().begin(), net.parameters().end());
  const auto loss = [&](const Tensor& x, std::span<const float> theta) {
    DenoisingNetwork other(architecture, backend);
    other.set_parameters(theta);
    Tensor out;
    other.forward(x, sigmas, out, false);
    return inner(out.values(), probe.values());
  };
  BOOST_TEST(check_gradient([&](std::span<const float> theta) { return loss(noisy, theta); }, parameters,
                            grad_parameters, 14, 1e-2) < 1e-3);
  BOOST_TEST(check_gradient(
                 [&](std::span<const float> x) {
                   Tensor moved(noisy.shape());
                   std::copy(x.begin(), x.end(), moved.data());
                   return loss(moved, parameters);
                 },
                 noisy.values(), grad_noisy.values(), 15, 1e-2) < 1e-3);
}

// A 2D network widened to see a neighbour on each side starts as the 2D network, whatever the
// neighbours hold.
BOOST_DATA_TEST_CASE(a_network_widened_to_neighbouring_slices_computes_what_it_did, data::make(kBackends), backend) {
  DenoisingNetwork flat(kSmall, backend);
  flat.set_parameters(testing::random_parameters(kSmall, 41));
  NetworkArchitecture wider = kSmall;
  wider.context = 1;
  DenoisingNetwork widened(wider, backend);
  widened.set_parameters(parameters_with_context(kSmall, flat.parameters(), 1));
  const Tensor middle = random_tensor({2, 12, 8, 1}, 42, 0.5f), neighbours = random_tensor({2, 12, 8, 2}, 43, 0.5f);
  Tensor stack({2, 12, 8, 3});
  for (std::int64_t i = 0; i < middle.size(); ++i) {
    stack.data()[3 * i] = neighbours.data()[2 * i];
    stack.data()[3 * i + 1] = middle.data()[i];
    stack.data()[3 * i + 2] = neighbours.data()[2 * i + 1];
  }
  const std::vector<float> sigmas{0.1f, 0.2f};
  Tensor out_flat, out_widened;
  flat.forward(middle, sigmas, out_flat, false);
  widened.forward(stack, sigmas, out_widened, false);
  BOOST_TEST(out_widened.shape() == out_flat.shape());
  BOOST_TEST(relative_difference(out_flat.values(), out_widened.values()) < 1e-6);
  // The neighbours are seen once their weights move.
  std::vector<float> moved(widened.parameters().begin(), widened.parameters().end());
  const std::vector<float> nudge = testing::random_parameters(wider, 45);
  for (std::size_t i = 0; i < moved.size(); ++i) moved[i] += 0.05f * nudge[i];
  widened.set_parameters(moved);
  widened.forward(stack, sigmas, out_widened, false);
  Tensor swapped = stack;
  for (std::int64_t i = 0; i < middle.size(); ++i) std::swap(swapped.data()[3 * i], swapped.data()[3 * i + 2]);
  Tensor out_swapped;
  widened.forward(swapped, sigmas, out_swapped, false);
  BOOST_TEST(relative_difference(out_widened.values(), out_swapped.values()) > 1e-4);
}

BOOST_AUTO_TEST_CASE(widening_refuses_a_narrower_context_and_wrong_parameter_counts) {
  NetworkArchitecture wide = kSmall;
  wide.context = 1;
  const std::vector<float> parameters = testing::random_parameters(wide, 44);
  BOOST_CHECK_THROW(parameters_with_context(wide, parameters, 0), ParameterError);
  BOOST_CHECK_THROW(parameters_with_context(kSmall, parameters, 1), ParameterError);
  BOOST_TEST(parameters_with_context(wide, parameters, 1) == parameters);
}

// Sizes that are and are not multiples of the 4×4 Winograd tile, channel counts below and above
// the SIMD width, with and without ReLU.
BOOST_DATA_TEST_CASE(a_winograd_layer_computes_what_im2col_computes,
                     data::make({5, 8, 11}) ^ data::make({3, 16, 9}) ^ data::make({false, true, true}), size, channels,
                     relu) {
  const ConvLayerShape layer{channels, channels + 2, 3, relu};
  const Tensor input = random_tensor({3, size, size + 3, channels}, 31);
  const Tensor grad_output = random_tensor({3, size, size + 3, channels + 2}, 32);
  std::vector<float> weights(static_cast<std::size_t>(layer.parameter_count()));
  const CounterRng rng(33, 0);
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<float>(0.3 * rng.normal(i));
  const float* bias = weights.data() + layer.weight_count();
  Tensor out_im2col, out_winograd;
  convolve_reference(input, layer, weights.data(), bias, out_im2col);
  convolve_winograd(input, layer, winograd_kernels(layer, weights.data()), bias, out_winograd);
  BOOST_TEST(out_winograd.shape() == out_im2col.shape());
  BOOST_TEST(relative_difference(out_im2col.values(), out_winograd.values()) < 1e-5);

  std::vector<float> grad_im2col(weights.size(), 0.0f), grad_winograd(weights.size(), 0.0f);
  convolution_weight_gradient_reference(input, grad_output, layer, grad_im2col.data(), grad_im2col.data() + layer.weight_count());
  WinogradGradientWorkspace workspace;
  convolution_weight_gradient_winograd(input, grad_output, layer, grad_winograd.data(),
                                       grad_winograd.data() + layer.weight_count(), workspace);
  BOOST_TEST(relative_difference(grad_im2col, grad_winograd) < 1e-5);
}

BOOST_AUTO_TEST_CASE(the_winograd_weight_gradient_has_the_same_bits_at_any_thread_count) {
  const ConvLayerShape layer{16, 16, 3, true};
  const Tensor input = random_tensor({16, 20, 20, 16}, 41), grad_output = random_tensor({16, 20, 20, 16}, 42);
  const auto gradient = [&](int threads) {
    const ThreadLimit limit(threads);
    std::vector<float> grad(static_cast<std::size_t>(layer.parameter_count()), 0.0f);
    WinogradGradientWorkspace workspace;
    convolution_weight_gradient_winograd(input, grad_output, layer, grad.data(), grad.data() + layer.weight_count(),
                                         workspace);
    return grad;
  };
  BOOST_TEST(gradient(1) == gradient(2));
}

// Winograd for the 3×3 kernels, im2col for others (the 5×5 case: its fallback).
BOOST_DATA_TEST_CASE(the_winograd_backend_computes_what_the_reference_computes, data::make({3, 5}), kernel) {
  const BackendDifferences d = against_reference({.depth = 4, .width = 16, .kernel = kernel, .unshuffle = 2},
                                                 ConvBackend::winograd);
  BOOST_TEST(d.output < 1e-5);
  BOOST_TEST(d.input_gradient < 1e-5);
  BOOST_TEST(d.parameter_gradient < 1e-5);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// Operands rounded to bfloat16 (8 significant bits): relative errors of a few 1e-3.
constexpr double kBfloat16Tolerance = 1e-2;

}  // namespace

BOOST_AUTO_TEST_SUITE(amx_convolution, *boost::unit_test::precondition(testing::amx_present))

// Widths below, at and above the 32-pixel row quantum; channel counts 32 and 64 either way.
BOOST_DATA_TEST_CASE(an_amx_layer_computes_what_im2col_computes,
                     data::make({5, 32, 37}) ^ data::make({32, 64, 64}) ^ data::make({64, 32, 64}) ^
                         data::make({false, true, true}),
                     width, in_channels, out_channels, relu) {
  const ConvLayerShape layer{in_channels, out_channels, 3, relu};
  const Tensor input = random_tensor({3, 6, width, in_channels}, 51);
  const Tensor grad_output = random_tensor({3, 6, width, out_channels}, 52);
  std::vector<float> weights(static_cast<std::size_t>(layer.parameter_count()));
  const CounterRng rng(53, 0);
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<float>(0.1 * rng.normal(i));
  const float* bias = weights.data() + layer.weight_count();
  Tensor out_im2col, out_amx;
  AmxWorkspace workspace;
  convolve_reference(input, layer, weights.data(), bias, out_im2col);
  convolve_amx(input, layer, amx_kernels(layer, weights.data()), bias, out_amx, workspace);
  BOOST_TEST(out_amx.shape() == out_im2col.shape());
  BOOST_TEST(relative_difference(out_im2col.values(), out_amx.values()) < kBfloat16Tolerance);

  std::vector<float> grad_im2col(weights.size(), 0.0f), grad_amx(weights.size(), 0.0f);
  convolution_weight_gradient_reference(input, grad_output, layer, grad_im2col.data(), grad_im2col.data() + layer.weight_count());
  convolution_weight_gradient_amx(input, grad_output, layer, grad_amx.data(), grad_amx.data() + layer.weight_count(),
                                  workspace);
  BOOST_TEST(relative_difference(grad_im2col, grad_amx) < kBfloat16Tolerance);
  // The bias gradient is summed in float32.
  const std::span<const float> bias_im2col(grad_im2col.data() + layer.weight_count(), static_cast<std::size_t>(out_channels));
  const std::span<const float> bias_amx(grad_amx.data() + layer.weight_count(), static_cast<std::size_t>(out_channels));
  BOOST_TEST(relative_difference(bias_im2col, bias_amx) < 1e-5);
}

BOOST_AUTO_TEST_CASE(amx_layers_have_the_same_bits_at_any_thread_count) {
  const ConvLayerShape layer{32, 32, 3, true};
  const Tensor input = random_tensor({20, 9, 40, 32}, 61), grad_output = random_tensor({20, 9, 40, 32}, 62);
  std::vector<float> weights(static_cast<std::size_t>(layer.parameter_count()));
  const CounterRng rng(63, 0);
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<float>(0.1 * rng.normal(i));
  const AmxKernels kernels = amx_kernels(layer, weights.data());
  const auto run = [&](int threads) {
    const ThreadLimit limit(threads);
    Tensor output;
    AmxWorkspace workspace;
    convolve_amx(input, layer, kernels, weights.data() + layer.weight_count(), output, workspace);
    std::vector<float> grad(static_cast<std::size_t>(layer.parameter_count()), 0.0f);
    convolution_weight_gradient_amx(input, grad_output, layer, grad.data(), grad.data() + layer.weight_count(),
                                    workspace);
    std::vector<float> bits(output.values().begin(), output.values().end());
    bits.insert(bits.end(), grad.begin(), grad.end());
    return bits;
  };
  BOOST_TEST(run(1) == run(2));
}

// AMX for the hidden 32-channel layers, Winograd for the first and last.
BOOST_AUTO_TEST_CASE(the_amx_backend_computes_what_the_reference_computes) {
  const BackendDifferences d = against_reference({.depth = 4, .width = 32, .kernel = 3, .unshuffle = 2},
                                                 ConvBackend::amx_bf16);
  BOOST_TEST(d.output < kBfloat16Tolerance);
  // Backward, the few pre-activations that rounding moves across zero switch their ReLU: a
  // fraction f of flipped units moves the gradients by about √f (f ~ 1e-3 here).
  constexpr double kGradientTolerance = 0.1;
  BOOST_TEST(d.input_gradient < kGradientTolerance);
  BOOST_TEST(d.parameter_gradient < kGradientTolerance);
}

BOOST_AUTO_TEST_SUITE_END()
