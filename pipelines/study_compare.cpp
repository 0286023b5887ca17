#include "pipelines/study_compare.h"

#include "pipelines/study_metrics.h"

#include <cstdio>
#include <map>

namespace tweedie {
namespace {

std::string case_key(const StudyRow& r) { return r.measurement_key() + " | " + r.method_label(); }

std::string signed_interval(const PairedDifference& d, int decimals) {
  char text[128];
  std::snprintf(text, sizeof text, "%+.*f [%+.*f, %+.*f]%s", decimals, d.difference.mean, decimals, d.difference.low, decimals,
                d.difference.high, d.exceeds_interval() ? " *" : "");
  return text;
}

}  // namespace

std::vector<MethodComparison> compare_studies(const std::vector<StudyRow>& a, const std::vector<StudyRow>& b) {
  std::map<std::string, const StudyRow*> of_b;
  for (const StudyRow& r : b) of_b[case_key(r)] = &r;
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::pair<const StudyRow*, const StudyRow*>>> pairs;
  for (const StudyRow& r : a) {
    const auto it = of_b.find(case_key(r));
    if (it == of_b.end()) continue;
    const std::string group = r.problem + "\n" + r.method_label();
    if (!pairs.count(group)) order.push_back(group);
    pairs[group].emplace_back(&r, it->second);
  }
  std::vector<MethodComparison> comparisons;
  for (const std::string& group : order) {
    const StudyRow& first = *pairs[group].front().first;
    const StudyMetric& ranking = ranking_metric(first);
    std::vector<double> rank_a, rank_b, ssim_a, ssim_b;
    for (const auto& [x, y] : pairs[group]) {
      rank_a.push_back(ranking.of(*x)), rank_b.push_back(ranking.of(*y));
      ssim_a.push_back(kSsimMetric.of(*x)), ssim_b.push_back(kSsimMetric.of(*y));
    }
    comparisons.push_back({first.problem, first.method_label(), !ranking.higher_is_better, paired_difference(rank_a, rank_b),
                           paired_difference(ssim_a, ssim_b)});
  }
  return comparisons;
}

std::string comparison_table(const std::vector<MethodComparison>& comparisons) {
  std::string text = "problem | method | cases | ΔPSNR dB (B − A) [95 % interval] | ΔSSIM | wins/losses of B\n";
  for (const MethodComparison& c : comparisons) {
    // A lower held-out RMS wins.
    const std::size_t wins = c.measured ? c.ranking.losses : c.ranking.wins, losses = c.measured ? c.ranking.wins : c.ranking.losses;
    text += c.problem + " | " + c.method + " | " + std::to_string(c.ranking.difference.count) + " | " +
            (c.measured ? "Δheld-out RMS " + signed_interval(c.ranking, 5) + " | —" : signed_interval(c.ranking, 3) + " | " + signed_interval(c.ssim, 4)) +
            " | " + std::to_string(wins) + "/" + std::to_string(losses) + "\n";
  }
  return text + "(* the interval leaves out 0: a difference beyond the spread of the cases)\n";
}

}  // namespace tweedie
