// FFTW plans shared by the operators: made once, under one lock (FFTW's planner is not
// thread-safe), and executed from any thread on arrays from fftwf_malloc (new-array execution).
#pragma once

#include <fftw3.h>

#include <memory>
#include <mutex>

namespace tweedie::detail {

/// The lock around every FFTW planner call in Tweedie.
std::mutex& fftw_planner_mutex();

/// A pair of 2D real-to-complex and complex-to-real plans for ny rows × nx columns.
class RealFft2d {
 public:
  RealFft2d(int ny, int nx);
  ~RealFft2d();
  RealFft2d(const RealFft2d&) = delete;
  RealFft2d& operator=(const RealFft2d&) = delete;

  int rows() const { return ny_; }
  int columns() const { return nx_; }
  /// Complex values per transform: ny × (nx/2 + 1).
  std::size_t spectrum_size() const { return static_cast<std::size_t>(ny_) * (nx_ / 2 + 1); }
  void forward(float* signal, fftwf_complex* spectrum) const { fftwf_execute_dft_r2c(forward_, signal, spectrum); }
  /// Unnormalised: the result is ny·nx times the signal.
  void inverse(fftwf_complex* spectrum, float* signal) const { fftwf_execute_dft_c2r(inverse_, spectrum, signal); }

 private:
  int ny_, nx_;
  fftwf_plan forward_ = nullptr, inverse_ = nullptr;
};

/// A pair of 2D complex-to-complex plans (forward, backward) for ny rows × nx columns.
class ComplexFft2d {
 public:
  ComplexFft2d(int ny, int nx);
  ~ComplexFft2d();
  ComplexFft2d(const ComplexFft2d&) = delete;
  ComplexFft2d& operator=(const ComplexFft2d&) = delete;

  void forward(fftwf_complex* in, fftwf_complex* out) const { fftwf_execute_dft(forward_, in, out); }
  /// Unnormalised: the result is ny·nx times the signal.
  void inverse(fftwf_complex* in, fftwf_complex* out) const { fftwf_execute_dft(inverse_, in, out); }

 private:
  fftwf_plan forward_ = nullptr, inverse_ = nullptr;
};

/// 1D plans of length n: real-to-complex, complex-to-real and complex in both directions, for
/// new-array execution on fftwf_malloc'd rows and columns from any thread.
class Fft1d {
 public:
  explicit Fft1d(int n);
  ~Fft1d();
  Fft1d(const Fft1d&) = delete;
  Fft1d& operator=(const Fft1d&) = delete;

  int size() const { return n_; }
  void real_forward(float* signal, fftwf_complex* spectrum) const { fftwf_execute_dft_r2c(real_forward_, signal, spectrum); }
  /// Unnormalised, and overwrites `spectrum`.
  void real_inverse(fftwf_complex* spectrum, float* signal) const { fftwf_execute_dft_c2r(real_inverse_, spectrum, signal); }
  void forward(fftwf_complex* in, fftwf_complex* out) const { fftwf_execute_dft(forward_, in, out); }
  /// Unnormalised.
  void inverse(fftwf_complex* in, fftwf_complex* out) const { fftwf_execute_dft(inverse_, in, out); }

 private:
  int n_;
  fftwf_plan real_forward_ = nullptr, real_inverse_ = nullptr, forward_ = nullptr, inverse_ = nullptr;
};

/// fftwf_malloc'd arrays, freed on destruction.
struct FftBuffer {
  explicit FftBuffer(const RealFft2d& plans)
      : signal(fftwf_alloc_real(static_cast<std::size_t>(plans.rows()) * plans.columns())),
        spectrum(fftwf_alloc_complex(plans.spectrum_size())) {}
  ~FftBuffer() {
    fftwf_free(signal);
    fftwf_free(spectrum);
  }
  FftBuffer(const FftBuffer&) = delete;
  FftBuffer& operator=(const FftBuffer&) = delete;
  float* signal;
  fftwf_complex* spectrum;
};

}  // namespace tweedie::detail
