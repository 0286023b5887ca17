// Markdown tables of a study's results, as the docs show them (`tweedie study table DIR`): per
// problem, each method's mean PSNR, SSIM (and soft-tissue PSNR for HU data) over its cases, and
// its mean seconds per case from timings.csv.
#pragma once

#include "pipelines/study_results.h"

#include <filesystem>
#include <string>
#include <vector>

namespace tweedie {

/// Reads the seconds of each case from a timings.csv into `rows` (by case id); throws IoError for a
/// file that is not one.
void read_timings_csv(const std::filesystem::path& path, std::vector<StudyRow>& rows);

/// One "### PROBLEM" section with a table per problem, methods in the order of the rows; the
/// seconds column only when `with_seconds`.
std::string markdown_tables(const std::vector<StudyRow>& rows, bool with_seconds = true);

}  // namespace tweedie
