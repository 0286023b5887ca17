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

Fft1d::Fft1d(int n) : n_(n) {
  float* signal = fftwf_alloc_real(static_cast<std::size_t>(n));
  fftwf_complex* a = fftwf_alloc_complex(static_cast<std::size_t>(n));
  fftwf_complex* b = fftwf_alloc_complex(static_cast<std::size_t>(n));
  {
    std::lock_guard lock(fftw_planner_mutex());
    real_forward_ = fftwf_plan_dft_r2c_1d(n, signal, a, FFTW_ESTIMATE);
    real_inverse_ = fftwf_plan_dft_c2r_1d(n, a, signal, FFTW_ESTIMATE);
    forward_ = fftwf_plan_dft_1d(n, a, b, FFTW_FORWARD, FFTW_ESTIMATE);
    inverse_ = fftwf_plan_dft_1d(n, a, b, FFTW_BACKWARD, FFTW_ESTIMATE);
  }
  fftwf_free(signal);
  fftwf_free(a);
  fftwf_free(b);
}

Fft1d::~Fft1d() {
  std::lock_guard lock(fftw_planner_mutex());
  for (fftwf_plan plan : {real_forward_, real_inverse_, forward_, inverse_}) fftwf_destroy_plan(plan);
}

}  // namespace tweedie::detail
