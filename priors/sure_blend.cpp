#include "priors/sure_blend.h"

#include "core/error.h"
#include "core/image_ops.h"
#include "priors/sure.h"

#include <Eigen/Dense>

#include <limits>

namespace tweedie {
namespace {

constexpr int kMostMembers = 8;

// The weights a ≥ 0, Σa = 1, minimising aᵀQa − 2cᵀa (SURE up to terms free of a). The optimum
// is the affine optimum on the members it uses, so it is the best of those over every subset
// whose affine optimum is nonnegative: exact, and cheap for a handful of members.
Eigen::VectorXd least_sure_convex_weights(const Eigen::MatrixXd& q, const Eigen::VectorXd& c) {
  const auto k_count = static_cast<int>(c.size());
  Eigen::VectorXd best = Eigen::VectorXd::Zero(k_count);
  double best_value = std::numeric_limits<double>::infinity();
  for (unsigned subset = 1; subset < (1u << k_count); ++subset) {
    std::vector<int> used;
    for (int k = 0; k < k_count; ++k) {
      if (subset & (1u << k)) used.push_back(k);
    }
    // a = e_r + Σ_k t_k (e_k − e_r) over the others k of the subset, r its last member.
    const int r = used.back(), free_count = static_cast<int>(used.size()) - 1;
    Eigen::MatrixXd m(free_count, free_count);
    Eigen::VectorXd rhs(free_count);
    for (int i = 0; i < free_count; ++i) {
      const int k = used[i];
      rhs(i) = c(k) - c(r) - q(k, r) + q(r, r);
      for (int j = 0; j < free_count; ++j) m(i, j) = q(k, used[j]) - q(k, r) - q(r, used[j]) + q(r, r);
    }
    // A ridge far below the data's scale keeps members that (nearly) agree solvable.
    if (free_count > 0) m.diagonal().array() += 1e-12 * m.trace() / free_count + 1e-12;
    const Eigen::VectorXd t = free_count > 0 ? Eigen::VectorXd(m.ldlt().solve(rhs)) : Eigen::VectorXd();
    Eigen::VectorXd a = Eigen::VectorXd::Zero(k_count);
    a(r) = 1.0;
    for (int i = 0; i < free_count; ++i) a(used[i]) += t(i), a(r) -= t(i);
    if (!a.allFinite() || a.minCoeff() < 0.0) continue;
    const double value = a.dot(q * a) - 2.0 * c.dot(a);
    if (value < best_value) best_value = value, best = a;
  }
  return best;
}

}  // namespace

SureBlendDenoiser::SureBlendDenoiser(std::vector<std::unique_ptr<Denoiser>> members, const SureBlendOptions& options)
    : members_(std::move(members)), options_(options) {
  if (members_.empty()) throw ParameterError("a SURE blend needs at least one denoiser");
  if (members_.size() > kMostMembers) {
    throw ParameterError("a SURE blend takes at most " + std::to_string(kMostMembers) + " denoisers, got " +
                         std::to_string(members_.size()));
  }
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
  require_noise_level(sigma);
  require_finite(y, "the image to denoise");
  const auto k_count = static_cast<int>(members_.size());
  last_weights_.assign(members_.size(), 0.0);
  if (sigma == 0) return y.clone();  // nothing to remove, no member used
  if (k_count == 1) {
    last_weights_[0] = 1.0;
    return members_.front()->denoise(y, sigma);
  }
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

  // SURE of Σ a_k D_k is ‖Σ a_k D_k − y‖² + 2σ² Σ a_k div D_k − Nσ² = aᵀQa − 2cᵀa + const with
  // Q_kl = ⟨D_k, D_l⟩ and c_k = ⟨D_k, y⟩ − σ² div D_k.
  const double variance = sigma * sigma;
  const auto pixels = static_cast<std::size_t>(shape.nx * shape.ny);
  Image blended = y.zeros_like();
  Eigen::VectorXd f(k_count), divergence(k_count);
  for (std::int64_t z = 0; z < shape.nz; ++z) {
    const float* observed = y.row_data(0, z);
    const float* b = probe.row_data(0, z);
    Eigen::MatrixXd q = Eigen::MatrixXd::Zero(k_count, k_count);
    Eigen::VectorXd c = Eigen::VectorXd::Zero(k_count);
    for (std::size_t i = 0; i < pixels; ++i) {
      for (int k = 0; k < k_count; ++k) {
        f(k) = outputs[k].row_data(0, z)[i];
        // The probe's per-pixel share of div D_k: b_i (D_k(y + εb) − D_k(y))_i / ε.
        divergence(k) = b[i] * (moved_outputs[k].row_data(0, z)[i] - f(k)) / epsilon;
      }
      q.noalias() += f * f.transpose();
      c.noalias() += observed[i] * f - variance * divergence;
    }
    const Eigen::VectorXd weights = least_sure_convex_weights(q, c);
    for (int k = 0; k < k_count; ++k) last_weights_[k] += weights(k) / static_cast<double>(shape.nz);
    float* out = blended.row_data(0, z);
    for (int k = 0; k < k_count; ++k) {
      const float* member = outputs[k].row_data(0, z);
      for (std::size_t i = 0; i < pixels; ++i) out[i] += static_cast<float>(weights(k)) * member[i];
    }
  }
  return blended;
}

}  // namespace tweedie
