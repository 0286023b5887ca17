#include "pipelines/ct_preview.h"

#include <iomanip>
#include <sstream>

namespace tweedie {
namespace {

// "NAME 36.36 dB 0.897": a panel's caption, with its quality when there is one.
std::string caption(const std::string& name, const std::optional<QualityChange>& quality, bool start) {
  if (!quality) return name;
  std::ostringstream text;
  text << name << std::fixed << std::setprecision(2) << ' ' << (start ? quality->start_psnr : quality->psnr) << " dB "
       << std::setprecision(3) << (start ? quality->start_ssim : quality->ssim);
  return text.str();
}

}  // namespace

std::string write_ct_preview(const CtReconstruction& reconstruction, const Image& fbp, const Image* reference,
                             ImageUnits units, const std::string& method, const std::optional<DisplayWindow>& window,
                             const std::string& path) {
  const DisplayWindow shown = window                            ? *window
                              : units == ImageUnits::hounsfield ? DisplayWindow{}
                                                                : percentile_window(fbp, 0.01, 0.99);
  const std::optional<QualityChange>& quality = reconstruction.summary.quality;
  const bool fbp_is_start = quality && quality->start_name == "fbp";
  std::vector<std::pair<std::string, Image>> panels;
  panels.emplace_back(caption("fbp", fbp_is_start ? quality : std::nullopt, true), fbp.clone());
  panels.emplace_back(caption(method, quality, false), reconstruction.volume.clone());
  if (reference) panels.emplace_back("reference", reference->clone());
  Image difference = panels[1].second.clone();
  difference.array() -= panels[reference ? 2 : 0].second.array();
  return write_preview(panels, &difference, method + (reference ? " − reference" : " − fbp"), shown, path);
}

}  // namespace tweedie
