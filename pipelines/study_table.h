// Markdown tables of a study's results, as the docs show them (`tweedie study table DIR`): per
// problem, each method's mean PSNR, SSIM (and soft-tissue PSNR for HU data) over its cases, the
// mean level SURE chose where it chose one, and its mean seconds per case from timings.csv.
#pragma once

#include "pipelines/study_results.h"

#include <filesystem>
#include <string>
#include <vector>

namespace tweedie {

/// Reads the seconds of each case from a timings.csv into `rows` (by case id); throws IoError for a
/// file that is not one.
void read_timings_csv(const std::filesystem::path& path, std::vector<StudyRow>& rows);

struct StudyTableOptions {
  bool with_seconds = true;
  /// A method run at several parameter values (a sweep) shown once per problem, at the values of
  /// the best mean PSNR: an oracle tuning against the reference, the fair form of a tuned baseline.
  bool best_of_sweeps = false;
  /// One table, a row per problem and a column per method, cells "PSNR / SSIM" (and the mean level
  /// SURE chose, where it chose one).
  bool wide = false;
};

/// A "### PROBLEM" section with a table per problem (methods in the order of the rows), or one
/// wide table.
std::string markdown_tables(const std::vector<StudyRow>& rows, const StudyTableOptions& options = {});

}  // namespace tweedie
