#include "operators/fft_plans.h"

namespace tweedie::detail {

std::mutex& fftw_planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

RealFft2d::RealFft2d(int ny, int nx) : ny_(ny), nx_(nx) {
  float* signal = fftwf_alloc_real(static_cast<std::size_t>(ny) * nx);
  fftwf_complex* spectrum = fftwf_alloc_complex(spectrum_size());
  {
    std::lock_guard lock(fftw_planner_mutex());
    forward_ = fftwf_plan_dft_r2c_2d(ny, nx, signal, spectrum, FFTW_ESTIMATE);
    inverse_ = fftwf_plan_dft_c2r_2d(ny, nx, spectrum, signal, FFTW_ESTIMATE);
  }
  fftwf_free(signal);
  fftwf_free(spectrum);
}

RealFft2d::~RealFft2d() {
  std::lock_guard lock(fftw_planner_mutex());
  fftwf_destroy_plan(forward_);
  fftwf_destroy_plan(inverse_);
}

ComplexFft2d::ComplexFft2d(int ny, int nx) {
  fftwf_complex* a = fftwf_alloc_complex(static_cast<std::size_t>(ny) * nx);
  fftwf_complex* b = fftwf_alloc_complex(static_cast<std::size_t>(ny) * nx);
  {
    std::lock_guard lock(fftw_planner_mutex());
    forward_ = fftwf_plan_dft_2d(ny, nx, a, b, FFTW_FORWARD, FFTW_ESTIMATE);
    inverse_ = fftwf_plan_dft_2d(ny, nx, a, b, FFTW_BACKWARD, FFTW_ESTIMATE);
  }
  fftwf_free(a);
  fftwf_free(b);
}

ComplexFft2d::~ComplexFft2d() {
  std::lock_guard lock(fftw_planner_mutex());
  fftwf_destroy_plan(forward_);
  fftwf_destroy_plan(inverse_);
}

}  // namespace tweedie::detail
