#include "operators/linear_operator.h"

#include "core/error.h"
#include "core/image_ops.h"

#include <cmath>

namespace tweedie {
namespace {

class ComposedOperator final : public LinearOperator {
 public:
  ComposedOperator(std::shared_ptr<const LinearOperator> outer,
                   std::shared_ptr<const LinearOperator> inner)
      : outer_(std::move(outer)), inner_(std::move(inner)) {
    require_same_shape(outer_->domain().shape, inner_->range().shape,
                       "the range of the inner operator of a composition");
  }
  ImageGeometry domain() const override { return inner_->domain(); }
  ImageGeometry range() const override { return outer_->range(); }
  void apply(const Image& x, Image& y) const override { outer_->apply(inner_->apply(x), y); }
  void adjoint(const Image& y, Image& x) const override { inner_->adjoint(outer_->adjoint(y), x); }

 private:
  std::shared_ptr<const LinearOperator> outer_, inner_;
};

class ScaledOperator final : public LinearOperator {
 public:
  ScaledOperator(double factor, std::shared_ptr<const LinearOperator> op)
      : factor_(static_cast<float>(factor)), op_(std::move(op)) {}
  ImageGeometry domain() const override { return op_->domain(); }
  ImageGeometry range() const override { return op_->range(); }
  void apply(const Image& x, Image& y) const override {
    op_->apply(x, y);
    y.array() *= factor_;
  }
  bool solve_shifted_normal(const Image& b, double rho, Image& x) const override {
    // (s²AᵀA + ρ) x = b ⟺ (AᵀA + ρ/s²) x = b/s².
    const double s2 = static_cast<double>(factor_) * factor_;
    Image scaled = b.clone();
    scaled.array() /= static_cast<float>(s2);
    return op_->solve_shifted_normal(scaled, rho / s2, x);
  }
  std::shared_ptr<const LinearOperator> normal_preconditioner(double damping) const override {
    return op_->normal_preconditioner(damping);
  }
  void adjoint(const Image& y, Image& x) const override {
    op_->adjoint(y, x);
    x.array() *= factor_;
  }

 private:
  float factor_;
  std::shared_ptr<const LinearOperator> op_;
};

class StackedOperator final : public LinearOperator {
 public:
  explicit StackedOperator(std::vector<std::shared_ptr<const LinearOperator>> operators)
      : operators_(std::move(operators)) {
    if (operators_.empty()) throw ParameterError("a stack needs at least one operator");
    const ImageGeometry first = operators_.front()->range();
    range_ = first;
    range_.shape = Shape::volume(first.shape.nx, first.shape.ny, 0);
    for (const auto& op : operators_) {
      require_same_shape(operators_.front()->domain().shape, op->domain().shape, "the domain of a stacked operator");
      const Shape s = op->range().shape;
      if (s.nx != first.shape.nx || s.ny != first.shape.ny) {
        throw ShapeError("stacked operators need ranges of equal slices; got " + s.to_string() + " and " +
                         first.shape.to_string());
      }
      offsets_.push_back(range_.shape.nz);
      range_.shape.nz += s.nz;
    }
  }
  ImageGeometry domain() const override { return operators_.front()->domain(); }
  ImageGeometry range() const override { return range_; }
  void apply(const Image& x, Image& y) const override {
    for (std::size_t k = 0; k < operators_.size(); ++k) {
      const Image part = operators_[k]->apply(x);
      std::copy_n(part.data(), part.size(), y.data() + offsets_[k] * range_.shape.slice_voxel_count());
    }
  }
  void adjoint(const Image& y, Image& x) const override {
    x.array() = 0.0f;
    for (std::size_t k = 0; k < operators_.size(); ++k) {
      Image part(operators_[k]->range());
      std::copy_n(y.data() + offsets_[k] * range_.shape.slice_voxel_count(), part.size(), part.data());
      x.array() += operators_[k]->adjoint(part).array();
    }
  }

 private:
  std::vector<std::shared_ptr<const LinearOperator>> operators_;
  std::vector<std::int64_t> offsets_;  ///< first slice of each operator's output
  ImageGeometry range_;
};

}  // namespace

bool LinearOperator::solve_shifted_normal(const Image&, double, Image&) const { return false; }

std::shared_ptr<const LinearOperator> LinearOperator::normal_preconditioner(double) const { return nullptr; }

Image LinearOperator::apply(const Image& x) const {
  require_same_shape(domain().shape, x.shape(), "the operator input");
  Image y(range());
  apply(x, y);
  return y;
}

Image LinearOperator::adjoint(const Image& y) const {
  require_same_shape(range().shape, y.shape(), "the adjoint input");
  Image x(domain());
  adjoint(y, x);
  return x;
}

double check_adjoint(const LinearOperator& op, std::uint64_t seed) {
  Image x(op.domain()), y(op.range());
  fill_normal(x, seed, 0);
  fill_normal(y, seed, 1);
  const Image ax = op.apply(x);
  const Image aty = op.adjoint(y);
  return std::abs(dot(ax, y) - dot(x, aty)) / (norm(ax) * norm(y));
}

double operator_norm(const LinearOperator& op, int iterations, std::uint64_t seed) {
  Image x(op.domain());
  fill_normal(x, seed, 2);
  double estimate = 0.0;
  for (int k = 0; k < iterations; ++k) {
    x.array() /= static_cast<float>(norm(x));
    Image next = op.adjoint(op.apply(x));
    estimate = std::sqrt(dot(next, x));  // Rayleigh quotient of AᵀA at a unit x
    x = std::move(next);
  }
  return estimate;
}

std::shared_ptr<LinearOperator> compose(std::shared_ptr<const LinearOperator> outer,
                                        std::shared_ptr<const LinearOperator> inner) {
  return std::make_shared<ComposedOperator>(std::move(outer), std::move(inner));
}

std::shared_ptr<LinearOperator> stack(std::vector<std::shared_ptr<const LinearOperator>> operators) {
  return std::make_shared<StackedOperator>(std::move(operators));
}

std::shared_ptr<LinearOperator> scale(double factor, std::shared_ptr<const LinearOperator> op) {
  return std::make_shared<ScaledOperator>(factor, std::move(op));
}

double largest_eigenvalue(const ImageGeometry& domain, const std::function<Image(const Image&)>& map, int iterations,
                          double tolerance, std::uint64_t seed) {
  Image x(domain);
  fill_normal(x, seed);
  double estimate = 0.0;
  for (int k = 0; k < iterations; ++k) {
    x.array() /= static_cast<float>(norm(x));
    x = map(x);
    const double previous = estimate;
    estimate = norm(x);
    if (std::abs(estimate - previous) < tolerance * estimate) break;
  }
  return estimate;
}

}  // namespace tweedie
