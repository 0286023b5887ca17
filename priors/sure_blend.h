// A linear combination of denoisers with weights chosen by SURE, image by image (SURE-LET: Blu &
// Luisier, IEEE TIP 2007): D(y) = Σ_k a_k D_k(y), the a_k minimising Stein's unbiased estimate
// of ‖D(y) − x‖², with each divergence div D_k(y) estimated by one Monte-Carlo probe (Ramani, Blu
// & Unser 2008). SURE is quadratic in the weights. They are kept convex (a_k ≥ 0, Σ a_k = 1): the
// blend then keeps whatever all members keep (constants, the mean) and never extrapolates beyond
// them, which matters where σ overstates the input's noise, as in the early iterations of a
// plug-and-play solver: there unconstrained weights shrink the image towards zero and
// extrapolating ones amplify the members' differences. No clean image is needed, and denoisers that fail in different places (a CNN on repeated textures, block
// matching on fine irregular detail) combine to better than either.
//
// Weights are chosen per slice. (Weights per region of a slice, from the same sums over tent-
// weighted windows, did worse on training images: the one-probe divergence is too noisy locally.)
//
//   std::vector<std::unique_ptr<Denoiser>> members;
//   members.push_back(std::make_unique<CnnDenoiser>(model));
//   members.push_back(std::make_unique<Bm3dDenoiser>());
//   SureBlendDenoiser blend(std::move(members));
#pragma once

#include "priors/denoiser.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace tweedie {

struct SureBlendOptions {
  std::uint64_t seed = 1;  ///< of the divergence probe: the same seed, the same weights
};

class SureBlendDenoiser final : public Denoiser {
 public:
  /// One to eight members.
  SureBlendDenoiser(std::vector<std::unique_ptr<Denoiser>> members, const SureBlendOptions& options = {});
  std::string name() const override;
  /// Costs two evaluations of every member (at y and at y + εb).
  Image denoise(const Image& x, double sigma) override;
  /// The members' weights in the last denoise call, averaged over its slices (all 0 at σ = 0).
  const std::vector<double>& last_weights() const { return last_weights_; }

 private:
  std::vector<std::unique_ptr<Denoiser>> members_;
  SureBlendOptions options_;
  std::vector<double> last_weights_;
};

}  // namespace tweedie
