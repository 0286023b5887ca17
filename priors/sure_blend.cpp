#include "priors/sure_blend.h"

#include "core/error.h"
#include "core/image_ops.h"
#include "priors/sure.h"

#include <Eigen/Dense>

namespace tweedie {

SureBlendDenoiser::SureBlendDenoiser(std::vector<std::unique_ptr<Denoiser>> members, const SureBlendOptions& options)
    : members_(std::move(members)), options_(options) {
  if (members_.empty()) throw ParameterError("a SURE blend needs at least one denoiser");
  for (const auto& member : members_) {
    if (!member) throw ParameterError("a SURE blend member is missing");
  }
}

std::string SureBlendDenoiser::name() const {
  std::string joined;
  for (const auto& member : members_) joined += (joined.empty() ? "" : ", ") + member->name();
  return "SURE blend of " + joined;
}

Image SureBlendDenoiser::denoise(const Image& y, double sigma) {
  if (!(sigma >= 0)) throw ParameterError("noise level must be non-negative, got " + std::to_string(sigma));
  require_finite(y, "the image to denoise");
  if (sigma == 0) return y.clone();  // nothing to remove
  const auto k_count = static_cast<int>(members_.size());
  const Shape shape = y.shape();
  const double epsilon = sure_probe_step(sigma, static_cast<double>(shape.nx * shape.ny));
  Image probe(y.geometry());
  fill_normal(probe, options_.seed);
  Image moved = y.clone();
  moved.array() += static_cast<float>(epsilon) * probe.array();
  std::vector<Image> outputs, moved_outputs;
  for (auto& member : members_) {
    outputs.push_back(member->denoise(y, sigma));
    moved_outputs.push_back(member->denoise(moved, sigma));
  }

  const double variance = sigma * sigma;
  const auto pixels = static_cast<std::size_t>(shape.nx * shape.ny);
  Image blended = y.zeros_like();
  Eigen::VectorXd f(k_count), divergence(k_count);
  for (std::int64_t z = 0; z < shape.nz; ++z) {
    const float* observed = y.row_data(0, z);
    const float* b = probe.row_data(0, z);
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(k_count, k_count);
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(k_count);
    for (std::size_t i = 0; i < pixels; ++i) {
      for (int k = 0; k < k_count; ++k) {
        f(k) = outputs[k].row_data(0, z)[i];
        // The probe's per-pixel share of div D_k: b_i (D_k(y + εb) − D_k(y))_i / ε.
        divergence(k) = b[i] * (moved_outputs[k].row_data(0, z)[i] - f(k)) / epsilon;
      }
      gram.noalias() += f * f.transpose();
      rhs.noalias() += observed[i] * f - variance * divergence;
    }
    // A ridge far below the data's scale keeps nearly collinear members solvable.
    gram.diagonal().array() += 1e-9 * gram.trace() / k_count + 1e-12;
    Eigen::VectorXd weights = gram.ldlt().solve(rhs);
    if (!weights.allFinite()) weights = Eigen::VectorXd::Constant(k_count, 1.0 / k_count);
    float* out = blended.row_data(0, z);
    for (int k = 0; k < k_count; ++k) {
      const float* member = outputs[k].row_data(0, z);
      for (std::size_t i = 0; i < pixels; ++i) out[i] += static_cast<float>(weights(k)) * member[i];
    }
  }
  return blended;
}

}  // namespace tweedie
