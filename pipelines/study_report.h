// DIR/report.html of a study, one self-contained page: for each problem, every method's mean PSNR
// and SSIM with 95 % bootstrap intervals, the paired difference against the baseline method with
// win counts, image panels (reference | method | error, windowed PNGs) when the spec saved images,
// and the convergence of the iterative methods (PSNR per iteration, SVG).
#pragma once

#include "pipelines/study_results.h"
#include "pipelines/study_spec.h"

#include <filesystem>
#include <string>
#include <vector>

namespace tweedie {

/// The file name, under DIR/images, of the reference of a case's item and problem.
std::string reference_image_name(const StudySpec& spec, const StudyCase& c);

/// Writes folder/report.html from the rows (in results.csv order) and the images and histories
/// the run left in `folder`.
void write_study_report(const StudySpec& spec, const std::vector<StudyRow>& rows, const std::filesystem::path& folder);

}  // namespace tweedie
