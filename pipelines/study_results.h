// The results of a study as rows: what results.csv holds (one row per case, fixed columns and
// number formats, so that a re-run gives the same bytes) and how each finished case is kept on disk
// (DIR/cases/ID.json, written atomically) so that a killed run resumes where it stopped.
#pragma once

#include "pipelines/study_case.h"
#include "pipelines/study_spec.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tweedie {

struct StudyRow {
  std::string case_id, dataset, item, problem, method, parameters;
  std::uint64_t seed = 0;
  std::optional<double> psnr = {}, ssim = {};  ///< against the reference
  std::optional<double> window_psnr = {}, window_ssim = {};
  /// Measured sinograms: the RMS error of the views left out, of the method and of the noise alone.
  std::optional<double> held_out_rms = {}, noise_rms = {};
  int iterations = 0;
  std::optional<double> chosen_sigma = {};
  double seconds = 0.0;  ///< kept in timings.csv only: times never repeat bit for bit

  /// "METHOD" or "METHOD (PARAMETERS)", as StudyMethod::label.
  std::string method_label() const;
  /// ITEM | PROBLEM | SEED: the rows of different methods that saw the same data.
  std::string measurement_key() const;
  /// "31.23 dB, SSIM 0.877" or "held-out RMS 0.0097": the quality as a progress line shows it.
  std::string quality_text() const;
};

/// The row of a finished case.
StudyRow study_row(const StudySpec& spec, const StudyCase& c, const CaseResult& result);

/// `value` with `decimals` digits after the point ("%.*f"): the number format of every study output.
std::string fixed_decimals(double value, int decimals);

/// The header line of results.csv.
std::string results_csv_header();
/// One line of results.csv (no newline); numbers in fixed formats.
std::string results_csv_line(const StudyRow& row);

/// Writes results.csv (rows in the order given) through a staged file.
void write_results_csv(const std::vector<StudyRow>& rows, const std::filesystem::path& path);
/// Writes timings.csv: case, seconds, threads, rank.
void write_timings_csv(const std::vector<StudyRow>& rows, int threads, const std::vector<int>& ranks,
                       const std::filesystem::path& path);
/// Reads a results.csv; throws IoError naming the file and line that does not parse.
std::vector<StudyRow> read_results_csv(const std::filesystem::path& path);

/// A case's record: its row as JSON text (numbers exact), and back. The record names its key; a
/// record whose key is not the case's is not the case's.
std::string case_record(const StudyCase& c, const StudyRow& row, int rank);
/// The row of a record, when it is whole and of case `c`; nothing otherwise (the case runs again).
std::optional<StudyRow> read_case_record(const std::filesystem::path& path, const StudyCase& c, int* rank = nullptr);
/// The same from a record's text.
std::optional<StudyRow> parse_case_record(const std::string& text, const StudyCase& c, int* rank = nullptr);

}  // namespace tweedie
