// Denoising quality on a folder of images: mean PSNR of each prior at each noise level, printed
// as a Markdown table (the figures in models/README.md come from this program); --per-image adds
// a table per prior with every image's PSNR.
//
//   denoiser_quality --images ../shared/data/natural/set12 --sigmas 15,25,50
//                    --prior models/natural-gray.tdm --prior tv --prior gaussian --prior bm3d
//                    --prior sure:models/natural-gray.tdm,bm3d
//   denoiser_quality --images ../shared/data/ct/val --ct --sigmas 25,50,100 --prior models/ct.tdm --prior tv
//
// Protocol: noise N(0, σ²) added in floating point (Philox, seed 2026, unclipped); outputs
// clipped to the data range, not rounded. Natural images: 8-bit PNGs, PSNR over 0–255. CT: the
// middle and the quarter slices of every volume in HU (uniform slices left out), PSNR over each
// slice's own range.
#include "core/image_io.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "core/random.h"
#include "priors/bm3d.h"
#include "priors/classical_denoisers.h"
#include "priors/cnn_denoiser.h"
#include "priors/ensemble_denoiser.h"
#include "priors/sure_blend.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <numeric>
#include <sstream>

namespace {

using namespace tweedie;
namespace fs = std::filesystem;

struct NamedImage {
  std::string name;
  Image image;
};

std::vector<NamedImage> load(const fs::path& folder, bool ct) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (ct ? (name.ends_with(".nii.gz") || name.ends_with(".mha")) : name.ends_with(".png")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<NamedImage> images;
  for (const fs::path& file : files) {
    const Image volume = read_image(file);
    const std::int64_t nz = volume.shape().nz;
    for (std::int64_t z : ct ? std::vector<std::int64_t>{nz / 4, nz / 2} : std::vector<std::int64_t>{0}) {
      Image slice = extract_slices(volume, z, 1);
      if (ct) slice.array() = slice.array().max(-1024.0f).min(3071.0f);
      if (ct && value_range(slice) == 0.0) continue;  // all air: no PSNR
      std::string name = fs::relative(file, folder).string();
      if (ct) name += ", slice " + std::to_string(z);
      images.push_back({std::move(name), std::move(slice)});
    }
  }
  return images;
}

void print_header(const char* first_column, const std::vector<double>& sigmas, const char* last_column) {
  std::printf("| %s |", first_column);
  for (double s : sigmas) std::printf(" σ = %g |", s);
  std::printf("%s\n|---|", last_column);
  for (std::size_t k = 0; k < sigmas.size() + (*last_column ? 1 : 0); ++k) std::printf("---|");
  std::printf("\n");
}

struct QualityOptions {
  double tv_lambda = TvDenoiser::Options{}.lambda_per_sigma;
  double gaussian_width = 0.035;
};

// The items of a comma-separated list.
std::vector<std::string> comma_list(const std::string& list) {
  std::vector<std::string> items;
  std::stringstream stream(list);
  for (std::string item; std::getline(stream, item, ',');) items.push_back(item);
  return items;
}

// "sure:" and a comma-separated list of the forms below (their SURE-weighted blend), or
// "tv", "gaussian", "bm3d", a model file, a model file + "+" (its ×8 self-ensemble), and any of
// the model forms after "wiener:" (BM3D's collaborative Wiener step with that pilot).
std::unique_ptr<Denoiser> make_quality_denoiser(const std::string& prior, const QualityOptions& options) {
  if (prior.starts_with("sure:")) {
    std::vector<std::unique_ptr<Denoiser>> members;
    for (const std::string& member : comma_list(prior.substr(5))) members.push_back(make_quality_denoiser(member, options));
    return std::make_unique<SureBlendDenoiser>(std::move(members), SureBlendOptions{});
  }
  if (prior == "tv") return std::make_unique<TvDenoiser>(TvDenoiser::Options{.lambda_per_sigma = options.tv_lambda});
  if (prior == "gaussian") return std::make_unique<GaussianDenoiser>(options.gaussian_width);
  if (prior == "bm3d") return std::make_unique<Bm3dDenoiser>();
  if (prior.starts_with("wiener:")) {
    return std::make_unique<CollaborativeWienerDenoiser>(
        make_quality_denoiser(prior.substr(7), options));
  }
  if (prior.ends_with('+')) {
    return std::make_unique<EnsembleDenoiser>(std::make_unique<CnnDenoiser>(read_model(prior.substr(0, prior.size() - 1))));
  }
  return std::make_unique<CnnDenoiser>(read_model(prior));
}

// The prior as given, with a model file's folder left out.
std::string prior_label(const std::string& prior) {
  if (prior.starts_with("wiener:")) return "wiener:" + prior_label(prior.substr(7));
  if (prior.starts_with("sure:")) {
    std::string label = "sure:";
    for (const std::string& member : comma_list(prior.substr(5))) label += (label.size() > 5 ? "," : "") + prior_label(member);
    return label;
  }
  return fs::path(prior).filename().string();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Mean PSNR of denoisers on a folder of images"};
  std::string folder;
  std::vector<double> sigmas{15, 25, 50};
  std::vector<std::string> priors;
  bool ct = false;
  QualityOptions options;
  app.add_option("--images", folder, "Folder of PNGs (or of CT volumes with --ct)")->required();
  app.add_option("--sigmas", sigmas, "Noise levels (0–255 scale, or HU)")->delimiter(',');
  app.add_option("--prior", priors, "Model file (a trailing + for its ×8 self-ensemble), tv, gaussian or bm3d; wiener:P for BM3D's Wiener step on P; sure:P,Q,… for their SURE-weighted blend (repeatable)")->required();
  app.add_flag("--ct", ct, "CT volumes in HU");
  bool per_image = false;
  app.add_option("--tv-lambda-per-sigma", options.tv_lambda, "TV strength λ/σ")->capture_default_str();
  app.add_option("--gaussian-width-per-sigma", options.gaussian_width, "Gaussian blur std (pixels) per unit of σ")->capture_default_str();
  app.add_flag("--per-image", per_image, "Also a table per prior with every image's PSNR");
  CLI11_PARSE(app, argc, argv);
  try {
    silence_io_library_warnings();
    const std::vector<NamedImage> images = load(folder, ct);
    std::printf("%zu images from %s\n\n", images.size(), folder.c_str());
    print_header("prior", sigmas, " seconds |");
    // psnrs[prior][σ][image]
    std::vector<std::vector<std::vector<double>>> psnrs(priors.size(), std::vector<std::vector<double>>(sigmas.size()));
    for (std::size_t p = 0; p < priors.size(); ++p) {
      const std::string& prior = priors[p];
      std::unique_ptr<Denoiser> denoiser = make_quality_denoiser(prior, options);
      std::printf("| %s |", prior_label(prior).c_str());
      double seconds = 0.0;
      for (std::size_t j = 0; j < sigmas.size(); ++j) {
        const double sigma = sigmas[j];
        for (std::size_t k = 0; k < images.size(); ++k) {
          const Image& clean = images[k].image;
          const double low = ct ? clean.array().minCoeff() : 0.0, high = ct ? clean.array().maxCoeff() : 255.0;
          Image noisy(clean.geometry());
          fill_normal(noisy, 2026, static_cast<std::uint32_t>(k));
          noisy.array() = clean.array() + static_cast<float>(sigma) * noisy.array();
          const auto start = std::chrono::steady_clock::now();
          Image denoised = denoiser->denoise(noisy, sigma);
          seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          denoised.array() = denoised.array().max(static_cast<float>(low)).min(static_cast<float>(high));
          psnrs[p][j].push_back(psnr(clean, denoised, high - low));
        }
        std::printf(" %.2f |", std::accumulate(psnrs[p][j].begin(), psnrs[p][j].end(), 0.0) / static_cast<double>(images.size()));
        std::fflush(stdout);
      }
      std::printf(" %.1f |\n", seconds);
    }
    for (std::size_t p = 0; per_image && p < priors.size(); ++p) {
      std::printf("\n%s\n\n", prior_label(priors[p]).c_str());
      print_header("image", sigmas, "");
      for (std::size_t k = 0; k < images.size(); ++k) {
        std::printf("| %s |", images[k].name.c_str());
        for (std::size_t j = 0; j < sigmas.size(); ++j) std::printf(" %.2f |", psnrs[p][j][k]);
        std::printf("\n");
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "denoiser_quality: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
