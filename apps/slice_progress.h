// Progress of work on a stack of slices: a line on stderr (slices done, time per slice, time
// left) for each slice done, or each slice's worth of iterations when slices are solved side by
// side; nothing for a single slice.
#pragma once

#include "pipelines/ct_volume.h"
#include "pipelines/slice_shares.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace tweedie::app {

class SliceProgressLine {
 public:
  explicit SliceProgressLine(std::int64_t slices)
      : slices_(slices), shares_(slices), started_(std::chrono::steady_clock::now()) {}
  /// A callback for the library's slice loops that prints this line.
  tweedie::SliceProgress callback() {
    return [this](std::int64_t done, std::int64_t) {
      slices_done(done);
      return true;
    };
  }
  /// A callback for reconstruct_ct's iterations (CtReconstructionOptions::iteration_progress):
  /// the line for each slice's worth of iterations done.
  std::function<bool(std::int64_t, int, int)> iteration_callback() {
    return [this](std::int64_t slice, int iteration, int iterations) {
      // A small allowance for the rounding of the shares' sum at whole slices.
      slices_done(static_cast<std::int64_t>(std::floor(shares_.record(slice, iteration, iterations) + 1e-6)));
      return true;
    };
  }
  /// Prints the line if `done` is more than before.
  void slices_done(std::int64_t done) {
    if (done <= done_) return;
    done_ = done;
    if (slices_ < 2) return;
    const double per_slice = elapsed() / static_cast<double>(done_);
    std::ostringstream line;
    line << "slice " << done_ << "/" << slices_ << " done, " << std::fixed << std::setprecision(per_slice < 1 ? 2 : 1)
         << per_slice << " s per slice, " << per_slice * static_cast<double>(slices_ - done_) << " s left\n";
    std::cerr << line.str();
  }

 private:
  double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count(); }
  std::int64_t slices_, done_ = 0;
  tweedie::SliceShares shares_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace tweedie::app
