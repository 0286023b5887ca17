#include "priors/sure_blend.h"

#include "core/error.h"
#include "core/image_ops.h"
#include "priors/sure.h"

#include <Eigen/Dense>

#include <algorithm>

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
  if (members_.size() == 1) return members_.front()->denoise(y, sigma);
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

  // Weights summing to one, a = e_K + Σ_{k<K} t_k (e_k − e_K), so that the blend keeps what every
  // member keeps (a constant image, the mean): SURE of F_K + Σ t_k (F_k − F_K) is quadratic in t.
  const int free_count = k_count - 1;
  const double variance = sigma * sigma;
  const auto pixels = static_cast<std::size_t>(shape.nx * shape.ny);
  Image blended = y.zeros_like();
  Eigen::VectorXd difference(free_count), divergence_difference(free_count);
  for (std::int64_t z = 0; z < shape.nz; ++z) {
    const float* observed = y.row_data(0, z);
    const float* b = probe.row_data(0, z);
    // The probe's per-pixel share of div D_k: b_i (D_k(y + εb) − D_k(y))_i / ε.
    const auto divergence_share = [&](int k, std::size_t i) {
      return b[i] * (moved_outputs[k].row_data(0, z)[i] - outputs[k].row_data(0, z)[i]) / epsilon;
    };
    const float* last = outputs[free_count].row_data(0, z);
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(free_count, free_count);
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(free_count);
    for (std::size_t i = 0; i < pixels; ++i) {
      const double last_divergence = divergence_share(free_count, i);
      for (int k = 0; k < free_count; ++k) {
        difference(k) = outputs[k].row_data(0, z)[i] - last[i];
        divergence_difference(k) = divergence_share(k, i) - last_divergence;
      }
      gram.noalias() += difference * difference.transpose();
      rhs.noalias() += (observed[i] - last[i]) * difference - variance * divergence_difference;
    }
    // A ridge far below the data's scale keeps members that (nearly) agree solvable.
    gram.diagonal().array() += 1e-9 * gram.trace() / std::max(free_count, 1) + 1e-12;
    Eigen::VectorXd t = gram.ldlt().solve(rhs);
    if (!t.allFinite()) t = Eigen::VectorXd::Constant(free_count, 1.0 / k_count);
    float* out = blended.row_data(0, z);
    std::copy(last, last + pixels, out);
    for (int k = 0; k < free_count; ++k) {
      const float* member = outputs[k].row_data(0, z);
      for (std::size_t i = 0; i < pixels; ++i) out[i] += static_cast<float>(t(k)) * (member[i] - last[i]);
    }
  }
  return blended;
}

}  // namespace tweedie
