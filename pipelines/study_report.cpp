#include "pipelines/study_report.h"

#include "core/image_io.h"
#include "core/sha256.h"
#include "core/staged_output.h"
#include "pipelines/preview.h"
#include "pipelines/study_metrics.h"
#include "pipelines/study_statistics.h"
#include "solvers/solver_history.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace tweedie {
namespace {

namespace fs = std::filesystem;

std::string html_escape(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string interval_cell(const MeanInterval& m, int decimals) {
  return "<td>" + fixed_decimals(m.mean, decimals) + " <span class=ci>[" + fixed_decimals(m.low, decimals) + ", " + fixed_decimals(m.high, decimals) + "]</span></td>";
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t word = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) word |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) word |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(word >> 18) & 63];
    out += kAlphabet[(word >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(word >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[word & 63] : '=';
  }
  return out;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

/// The rows of one problem, grouped by method in the spec's order.
struct ProblemRows {
  std::string problem;
  std::vector<std::string> methods;                           ///< labels in first-seen order
  std::map<std::string, std::vector<const StudyRow*>> rows;  ///< by method label, in results order
};

std::vector<ProblemRows> by_problem(const std::vector<StudyRow>& rows) {
  std::vector<ProblemRows> problems;
  for (const StudyRow& row : rows) {
    auto p = std::find_if(problems.begin(), problems.end(), [&](const ProblemRows& x) { return x.problem == row.problem; });
    if (p == problems.end()) p = problems.insert(problems.end(), ProblemRows{row.problem, {}, {}});
    std::vector<const StudyRow*>& list = p->rows[row.method_label()];
    if (list.empty()) p->methods.push_back(row.method_label());
    list.push_back(&row);
  }
  return problems;
}

/// The values of `metric` of method `b` and of `a` on the measurements both have.
std::pair<std::vector<double>, std::vector<double>> paired_values(const std::vector<const StudyRow*>& a,
                                                                  const std::vector<const StudyRow*>& b,
                                                                  const StudyMetric& metric) {
  std::map<std::string, double> of_a;
  for (const StudyRow* r : a) of_a[r->measurement_key()] = metric.of(*r);
  std::pair<std::vector<double>, std::vector<double>> pairs;
  for (const StudyRow* r : b) {
    if (const auto it = of_a.find(r->measurement_key()); it != of_a.end()) {
      pairs.first.push_back(it->second);
      pairs.second.push_back(metric.of(*r));
    }
  }
  return pairs;
}

std::vector<double> values_of(const std::vector<const StudyRow*>& rows, const StudyMetric& metric) {
  std::vector<double> v;
  for (const StudyRow* r : rows) v.push_back(metric.of(*r));
  return v;
}

/// The columns of a problem's table: PSNR, SSIM and the soft-tissue window's PSNR, or the held-out
/// RMS and the noise's own.
std::vector<StudyMetric> report_metrics(const StudyRow& first) {
  if (first.held_out_rms) {
    std::vector<StudyMetric> metrics{kHeldOutMetric};
    if (first.noise_rms) metrics.push_back({"noise alone", &StudyRow::noise_rms, 4, false});
    return metrics;
  }
  std::vector<StudyMetric> metrics{kPsnrMetric, {"SSIM", &StudyRow::ssim, 4, true}};
  if (first.window_psnr) metrics.push_back({"PSNR, soft-tissue window", &StudyRow::window_psnr, 2, true});
  return metrics;
}

std::string quality_table(const ProblemRows& p, const std::string& baseline) {
  const StudyRow& first = *p.rows.at(p.methods.front()).front();
  const std::vector<StudyMetric> metrics = report_metrics(first);
  const StudyMetric& ranking = ranking_metric(first);
  const std::string delta = first.held_out_rms ? "Δheld-out RMS" : "ΔPSNR";
  std::ostringstream html;
  html << "<table><tr><th>method</th><th>n</th>";
  for (const StudyMetric& m : metrics) html << "<th>" << m.name << "</th>";
  html << "<th>" << delta << " vs " << html_escape(baseline) << "</th><th>wins</th><th>s per case</th></tr>\n";
  const auto base = p.rows.find(baseline);
  for (const std::string& label : p.methods) {
    const std::vector<const StudyRow*>& rows = p.rows.at(label);
    html << "<tr><td>" << html_escape(label) << "</td><td>" << rows.size() << "</td>";
    for (const StudyMetric& m : metrics) html << interval_cell(bootstrap_mean(values_of(rows, m)), m.decimals);
    if (base == p.rows.end() || label == baseline) {
      html << "<td>—</td><td>—</td>";
    } else {
      const auto [a, b] = paired_values(base->second, rows, ranking);
      const PairedDifference d = paired_difference(a, b);
      const int decimals = ranking.decimals + (first.held_out_rms ? 1 : 0);
      html << "<td class=" << (d.exceeds_interval() ? (ranking.better(d.difference.mean, 0.0) ? "better" : "worse") : "same") << ">"
           << (d.difference.mean >= 0 ? "+" : "") << fixed_decimals(d.difference.mean, decimals) << " <span class=ci>["
           << fixed_decimals(d.difference.low, decimals) << ", " << fixed_decimals(d.difference.high, decimals) << "]</span></td><td>"
           << (ranking.higher_is_better ? d.wins : d.losses) << " / " << a.size() << "</td>";
    }
    double seconds = 0.0;
    for (const StudyRow* r : rows) seconds += r->seconds;
    html << "<td>" << fixed_decimals(seconds / static_cast<double>(rows.size()), 2) << "</td></tr>\n";
  }
  html << "</table>\n";
  return html.str();
}

/// reference | method | error of each method on the problem's first measurement, as inline PNGs.
std::string image_panels(const StudySpec& spec, const ProblemRows& p, const std::vector<StudyCase>& cases, const fs::path& folder) {
  const StudyRow& first_row = *p.rows.at(p.methods.front()).front();
  const std::string first = first_row.measurement_key();
  const auto c = std::find_if(cases.begin(), cases.end(), [&](const StudyCase& x) { return x.id == first_row.case_id; });
  if (c == cases.end()) return "";  // rows of another spec
  const fs::path reference_path = folder / "images" / reference_image_name(spec, *c);
  if (!fs::exists(reference_path)) return "";
  const Image reference = read_image(reference_path);
  const bool hu = spec.items[c->item].units == DatasetUnits::hounsfield;
  const DisplayWindow window = hu ? DisplayWindow{} : DisplayWindow{255.0, 127.5};
  std::ostringstream html;
  html << "<p class=note>" << html_escape(first.substr(0, first.find(" | "))) << ", seed " << c->seed << "; shown in the "
       << (hu ? "soft-tissue window (W 400, L 40 HU)" : "range 0–255") << ", errors around 0 at half that width.</p>\n<div class=panels>";
  for (const std::string& label : p.methods) {
    const StudyRow* row = nullptr;
    for (const StudyRow* r : p.rows.at(label)) if (r->measurement_key() == first) row = r;
    if (!row || !fs::exists(folder / "images" / (row->case_id + ".mha"))) continue;
    Image result = read_image(folder / "images" / (row->case_id + ".mha"));
    result.set_geometry(reference.geometry());
    Image error = result.clone();
    error.array() -= reference.array();
    const fs::path png = folder / "images" / (row->case_id + ".png");
    std::vector<std::pair<std::string, Image>> panels;
    panels.emplace_back("reference", reference.clone());
    panels.emplace_back(row->method + " " + fixed_decimals(kPsnrMetric.of(*row), 2) + " dB " + fixed_decimals(kSsimMetric.of(*row), 3),
                        std::move(result));
    write_preview(panels, &error, "error", window, png.string());
    html << "<figure><img alt=\"" << html_escape(label) << "\" src=\"data:image/png;base64," << base64(file_bytes(png))
         << "\"><figcaption>" << html_escape(label) << "</figcaption></figure>";
    fs::remove(png);
  }
  html << "</div>\n";
  return html.str();
}

/// PSNR per iteration of each iterative method on the problem's first measurement.
std::string convergence_plot(const ProblemRows& p, const fs::path& folder) {
  static constexpr const char* kColours[] = {"#1b6ac9", "#d1495b", "#2e933c", "#edae49", "#7a4eab", "#00798c", "#8c564b", "#444444"};
  const std::string first = p.rows.at(p.methods.front()).front()->measurement_key();
  std::vector<std::pair<std::string, std::vector<double>>> curves;
  for (const std::string& label : p.methods) {
    for (const StudyRow* r : p.rows.at(label)) {
      const fs::path history = folder / "histories" / (r->case_id + ".json");
      if (r->measurement_key() != first || !fs::exists(history)) continue;
      std::vector<double> psnr;
      const SolverHistory recorded = read_history(history.string());  // kept: the loop reads into it
      for (const IterationRecord& record : recorded.runs.front().history) {
        if (record.psnr && std::isfinite(*record.psnr)) psnr.push_back(*record.psnr);
      }
      if (psnr.size() >= 2) curves.emplace_back(label, std::move(psnr));
    }
  }
  if (curves.empty()) return "";
  double low = 1e300, high = -1e300;
  std::size_t longest = 0;
  for (const auto& [label, psnr] : curves) {
    low = std::min(low, *std::min_element(psnr.begin(), psnr.end()));
    high = std::max(high, *std::max_element(psnr.begin(), psnr.end()));
    longest = std::max(longest, psnr.size());
  }
  if (high - low < 1e-9) high = low + 1.0;
  const double width = 560, height = 260, left = 50, top = 10, right = 10, bottom = 30;
  const auto x_of = [&](std::size_t k) { return left + (width - left - right) * static_cast<double>(k) / static_cast<double>(longest - 1); };
  const auto y_of = [&](double v) { return top + (height - top - bottom) * (high - v) / (high - low); };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width + 260 << "\" height=\"" << height << "\" font-size=\"11\">"
      << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << width - left - right << "\" height=\"" << height - top - bottom
      << "\" fill=\"none\" stroke=\"#999\"/>"
      << "<text x=\"" << left - 4 << "\" y=\"" << top + 8 << "\" text-anchor=\"end\">" << fixed_decimals(high, 1) << "</text>"
      << "<text x=\"" << left - 4 << "\" y=\"" << height - bottom << "\" text-anchor=\"end\">" << fixed_decimals(low, 1) << "</text>"
      << "<text x=\"" << left << "\" y=\"" << height - 12 << "\">1</text>"
      << "<text x=\"" << width - right << "\" y=\"" << height - 12 << "\" text-anchor=\"end\">" << longest << "</text>"
      << "<text x=\"" << (left + width) / 2 << "\" y=\"" << height - 2 << "\" text-anchor=\"middle\">iteration</text>"
      << "<text x=\"12\" y=\"" << height / 2 << "\" transform=\"rotate(-90 12 " << height / 2 << ")\" text-anchor=\"middle\">PSNR (dB)</text>";
  for (std::size_t i = 0; i < curves.size(); ++i) {
    const char* colour = kColours[i % std::size(kColours)];
    svg << "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"" << colour << "\" points=\"";
    for (std::size_t k = 0; k < curves[i].second.size(); ++k) svg << fixed_decimals(x_of(k), 1) << "," << fixed_decimals(y_of(curves[i].second[k]), 1) << " ";
    svg << "\"/><rect x=\"" << width + 5 << "\" y=\"" << top + 16.0 * static_cast<double>(i) << "\" width=\"12\" height=\"3\" fill=\"" << colour << "\"/>"
        << "<text x=\"" << width + 22 << "\" y=\"" << top + 16.0 * static_cast<double>(i) + 5 << "\">" << html_escape(curves[i].first) << "</text>";
  }
  svg << "</svg>\n";
  return "<p class=note>PSNR at each iteration, " + html_escape(first.substr(0, first.find(" | "))) + ".</p>\n" + svg.str();
}

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1em}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}"
    "td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}.ci{color:#777;font-size:85%}"
    ".better{color:#1a7f37;font-weight:600}.worse{color:#c62828;font-weight:600}.same{color:#555}"
    ".note{color:#555;font-size:90%}.panels{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}"
    "figcaption{font-size:85%;color:#333}.panels img{width:min(100%,780px);height:auto}h2{margin-top:1.6em;border-top:1px solid #ccc;padding-top:0.6em}";

}  // namespace

std::string reference_image_name(const StudySpec& spec, const StudyCase& c) {
  return "reference-" + sha256_hex(spec.items[c.item].label() + " | " + spec.problems[c.problem].label).substr(0, 16) + ".mha";
}

void write_study_report(const StudySpec& spec, const std::vector<StudyRow>& rows, const fs::path& folder) {
  const std::vector<StudyCase> cases = study_cases(spec);
  std::ostringstream html;
  html << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" << html_escape(spec.name) << " — Tweedie study</title><style>"
       << kStyle << "</style></head><body>\n<h1>" << html_escape(spec.name) << "</h1>\n<p class=note>" << rows.size()
       << " cases; means over items and seeds with 95 % bootstrap intervals; ΔPSNR (Δheld-out RMS for measured sinograms, "
       << "where lower is better) pairs each case with the baseline <b>"
       << html_escape(spec.baseline) << "</b> (or a problem's first method, where the baseline does not solve it) on the same "
       << "measurement (green or red: its interval leaves out 0). Times are "
       << "wall seconds per case and do not repeat exactly; results.csv holds every number.</p>\n";
  for (const ProblemRows& p : by_problem(rows)) {
    // A baseline that does not solve this problem (FBP on a denoising problem) gives way to its first method.
    const std::string baseline = p.rows.count(spec.baseline) ? spec.baseline : p.methods.front();
    html << "<h2>" << html_escape(p.problem) << "</h2>\n" << quality_table(p, baseline);
    if (spec.save_images) html << image_panels(spec, p, cases, folder);
    html << convergence_plot(p, folder);
  }
  html << "</body></html>\n";
  write_text_file(folder / "report.html", html.str());
}

}  // namespace tweedie
