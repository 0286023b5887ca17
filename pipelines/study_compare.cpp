#include "pipelines/study_compare.h"

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
    std::vector<double> psnr_a, psnr_b, ssim_a, ssim_b;
    for (const auto& [x, y] : pairs[group]) {
      psnr_a.push_back(x->psnr), psnr_b.push_back(y->psnr), ssim_a.push_back(x->ssim), ssim_b.push_back(y->ssim);
    }
    const StudyRow& first = *pairs[group].front().first;
    comparisons.push_back({first.problem, first.method_label(), paired_difference(psnr_a, psnr_b), paired_difference(ssim_a, ssim_b)});
  }
  return comparisons;
}

std::string comparison_table(const std::vector<MethodComparison>& comparisons) {
  std::string text = "problem | method | cases | ΔPSNR dB (B − A) [95 % interval] | ΔSSIM | wins/losses\n";
  for (const MethodComparison& c : comparisons) {
    text += c.problem + " | " + c.method + " | " + std::to_string(c.psnr.difference.count) + " | " + signed_interval(c.psnr, 3) +
            " | " + signed_interval(c.ssim, 4) + " | " + std::to_string(c.psnr.wins) + "/" + std::to_string(c.psnr.losses) + "\n";
  }
  return text + "(* the interval leaves out 0: a difference beyond the spread of the cases)\n";
}

}  // namespace tweedie
