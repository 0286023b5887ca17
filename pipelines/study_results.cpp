#include "pipelines/study_results.h"

#include "core/error.h"
#include "core/staged_output.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace tweedie {
namespace {

using nlohmann::json;

std::string optional_fixed(const std::optional<double>& value, int decimals) {
  return value ? fixed_decimals(*value, decimals) : "";
}

/// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted && ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += ch;
    }
  }
  return fields;
}

std::optional<double> optional_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return std::stod(text);
}

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }
/// A number of a record that may be null or, in records written before the key existed, absent.
std::optional<double> optional_of(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? std::nullopt : std::optional<double>(it->get<double>());
}

}  // namespace

std::string fixed_decimals(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string StudyRow::method_label() const { return tweedie::method_label(method, parameters); }

std::string StudyRow::measurement_key() const { return item + " | " + problem + " | " + std::to_string(seed); }

std::string StudyRow::quality_text() const {
  if (held_out_rms) return "held-out RMS " + fixed_decimals(*held_out_rms, 4);
  return fixed_decimals(psnr.value_or(0.0), 2) + " dB, SSIM " + fixed_decimals(ssim.value_or(0.0), 3);
}

StudyRow study_row(const StudySpec& spec, const StudyCase& c, const CaseResult& result) {
  const StudyItem& item = spec.items[c.item];
  const StudyMethod& method = spec.methods[c.method];
  StudyRow row;
  row.case_id = c.id;
  row.dataset = item.dataset;
  row.item = item.label();
  row.problem = spec.problems[c.problem].label;
  row.method = method.name;
  row.parameters = method.parameters;
  row.seed = c.seed;
  if (result.quality) row.psnr = result.quality->psnr, row.ssim = result.quality->ssim;
  if (result.window) row.window_psnr = result.window->psnr, row.window_ssim = result.window->ssim;
  if (result.held_out) row.held_out_rms = result.held_out->method_error, row.noise_rms = result.held_out->noise_error;
  row.iterations = result.iterations;
  row.chosen_sigma = result.chosen_sigma;
  row.seconds = result.seconds;
  return row;
}

std::string results_csv_header() {
  return "case,dataset,item,problem,method,parameters,seed,psnr,ssim,window_psnr,window_ssim,iterations,chosen_sigma,"
         "held_out_rms,noise_rms";
}

std::string results_csv_line(const StudyRow& r) {
  std::string line;
  for (const std::string& field : {r.case_id, r.dataset, r.item, r.problem, r.method, r.parameters}) line += csv_field(field) + ",";
  line += std::to_string(r.seed) + "," + optional_fixed(r.psnr, 4) + "," + optional_fixed(r.ssim, 5) + "," + optional_fixed(r.window_psnr, 4) +
          "," + optional_fixed(r.window_ssim, 5) + "," + std::to_string(r.iterations) + "," + optional_fixed(r.chosen_sigma, 3) + "," +
          optional_fixed(r.held_out_rms, 6) + "," + optional_fixed(r.noise_rms, 6);
  return line;
}

void write_results_csv(const std::vector<StudyRow>& rows, const std::filesystem::path& path) {
  std::string text = results_csv_header() + "\n";
  for (const StudyRow& row : rows) text += results_csv_line(row) + "\n";
  write_text_file(path, text);
}

void write_timings_csv(const std::vector<StudyRow>& rows, int threads, const std::vector<int>& ranks,
                       const std::filesystem::path& path) {
  std::string text = "case,seconds,threads,rank\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    text += rows[i].case_id + "," + fixed_decimals(rows[i].seconds, 3) + "," + std::to_string(threads) + "," + std::to_string(ranks[i]) + "\n";
  }
  write_text_file(path, text);
}

std::vector<StudyRow> read_results_csv(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) throw IoError("cannot read the study results '" + path.string() + "'");
  std::string line;
  if (!std::getline(file, line) || line != results_csv_header()) {
    throw IoError("'" + path.string() + "' is not a study's results.csv (its first line is not the expected header)");
  }
  std::vector<StudyRow> rows;
  for (int number = 2; std::getline(file, line); ++number) {
    const std::vector<std::string> f = split_csv_line(line);
    try {
      if (f.size() != 15) throw std::invalid_argument("15 fields expected");
      StudyRow r{f[0], f[1], f[2], f[3], f[4], f[5]};
      r.seed = std::stoull(f[6]);
      r.psnr = optional_number(f[7]);
      r.ssim = optional_number(f[8]);
      r.window_psnr = optional_number(f[9]);
      r.window_ssim = optional_number(f[10]);
      r.iterations = std::stoi(f[11]);
      r.chosen_sigma = optional_number(f[12]);
      r.held_out_rms = optional_number(f[13]);
      r.noise_rms = optional_number(f[14]);
      rows.push_back(std::move(r));
    } catch (const std::exception&) {
      throw IoError("'" + path.string() + "' line " + std::to_string(number) + " is not a results row: " + line);
    }
  }
  return rows;
}

std::string case_record(const StudyCase& c, const StudyRow& r, int rank) {
  const json record{{"key", c.key},
                    {"row", {{"case", r.case_id}, {"dataset", r.dataset}, {"item", r.item}, {"problem", r.problem},
                             {"method", r.method}, {"parameters", r.parameters}, {"seed", r.seed},
                             {"psnr", optional_json(r.psnr)}, {"ssim", optional_json(r.ssim)},
                             {"window_psnr", optional_json(r.window_psnr)}, {"window_ssim", optional_json(r.window_ssim)},
                             {"iterations", r.iterations}, {"chosen_sigma", optional_json(r.chosen_sigma)},
                             {"held_out_rms", optional_json(r.held_out_rms)}, {"noise_rms", optional_json(r.noise_rms)},
                             {"seconds", r.seconds}}},
                    {"rank", rank}};
  return record.dump(1) + "\n";
}

std::optional<StudyRow> read_case_record(const std::filesystem::path& path, const StudyCase& c, int* rank) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return parse_case_record(text.str(), c, rank);
}

std::optional<StudyRow> parse_case_record(const std::string& text, const StudyCase& c, int* rank) {
  try {
    const json record = json::parse(text);
    if (record.at("key") != c.key) return std::nullopt;
    const json& j = record.at("row");
    StudyRow r{j.at("case"), j.at("dataset"), j.at("item"), j.at("problem"), j.at("method"), j.at("parameters")};
    r.seed = j.at("seed");
    r.psnr = optional_of(j, "psnr");
    r.ssim = optional_of(j, "ssim");
    r.window_psnr = optional_of(j, "window_psnr");
    r.window_ssim = optional_of(j, "window_ssim");
    r.iterations = j.at("iterations");
    r.chosen_sigma = optional_of(j, "chosen_sigma");
    r.held_out_rms = optional_of(j, "held_out_rms");
    r.noise_rms = optional_of(j, "noise_rms");
    r.seconds = j.at("seconds");
    if (rank) *rank = record.at("rank");
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace tweedie
