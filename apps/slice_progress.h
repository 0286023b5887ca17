// Progress of a reconstruction slice by slice: one line per finished slice on stderr (slices
// done, time per slice, time left), nothing for a single slice.
#pragma once

#include "pipelines/ct_volume.h"

#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace tweedie::app {

class SliceProgressLine {
 public:
  explicit SliceProgressLine(std::int64_t slices) : slices_(slices), started_(std::chrono::steady_clock::now()) {}
  /// A callback for the library's slice loops that prints this line.
  tweedie::SliceProgress callback() {
    return [this](std::int64_t done, std::int64_t) {
      slices_done(done);
      return true;
    };
  }
  void slices_done(std::int64_t done) {
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
  std::chrono::steady_clock::time_point started_;
};

}  // namespace tweedie::app
