// Denoising quality on a folder of images: mean PSNR of each prior at each noise level, printed
// as a Markdown table (the figures in models/README.md come from this program); --per-image adds
// a table per prior with every image's PSNR.
//
//   denoiser_quality --images ../shared/data/natural/set12 --sigmas 15,25,50
//                    --prior models/natural-gray.tdm --prior tv --prior gaussian --prior bm3d
//                    --prior natural-gray,bm3d
//   denoiser_quality --images ../shared/data/ct/val --ct --sigmas 25,50,100 --prior models/ct.tdm --prior tv
//
// Protocol: noise N(0, σ²) added in floating point (Philox, seed 2026, unclipped); outputs
// clipped to the data range, not rounded. Natural images: 8-bit PNGs, PSNR over 0–255. CT: the
// middle and the quarter slices of every volume in HU (uniform slices left out), PSNR over each
// slice's own range; each is denoised with the slices on either side of it (noise of their own)
// as a stack of three, which a 2.5D prior uses and 2D priors denoise slice by slice, or with
// --lone-slices by itself (the seconds cover what is denoised).
#include "core/image_io.h"
#include "core/image_ops.h"
#include "core/metrics.h"
#include "core/random.h"
#include "pipelines/prior_spec.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <numeric>

namespace {

using namespace tweedie;
namespace fs = std::filesystem;

struct NamedImage {
  std::string name;
  Image image;  ///< the image, or a stack around it
  std::int64_t middle = 0;
};

std::vector<NamedImage> load(const fs::path& folder, bool ct, bool lone_slices) {
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
      if (ct && value_range(extract_slices(volume, z, 1)) == 0.0) continue;  // all air: no PSNR
      const std::int64_t first = ct && !lone_slices ? std::max<std::int64_t>(0, z - 1) : z;
      Image slices = extract_slices(volume, first, ct && !lone_slices ? std::min(nz, z + 2) - first : 1);
      if (ct) slices.array() = slices.array().max(-1024.0f).min(3071.0f);
      std::string name = fs::relative(file, folder).string();
      if (ct) name += ", slice " + std::to_string(z);
      images.push_back({std::move(name), std::move(slices), z - first});
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Mean PSNR of denoisers on a folder of images"};
  std::string folder;
  std::vector<double> sigmas{15, 25, 50};
  std::vector<std::string> priors;
  bool ct = false;
  PriorOptions options{.use = PriorUse::denoising};
  app.add_option("--images", folder, "Folder of PNGs (or of CT volumes with --ct)")->required();
  app.add_option("--sigmas", sigmas, "Noise levels (0–255 scale, or HU)")->delimiter(',');
  app.add_option("--prior", priors, "A prior as tweedie's --prior takes it (pipelines/prior_spec.h: a model, tv, gaussian, bm3d, P+ for the ×8 self-ensemble, wiener:P, P,Q for the SURE-weighted blend); repeatable")->required();
  app.add_flag("--ct", ct, "CT volumes in HU");
  bool lone_slices = false;
  app.add_flag("--lone-slices", lone_slices, "CT: denoise each slice by itself, without its neighbours");
  bool per_image = false;
  app.add_option("--tv-lambda-per-sigma", options.tv_lambda_per_sigma, "TV strength λ/σ (default: TvDenoiser's)");
  app.add_option("--gaussian-width-per-sigma", options.gaussian_width, "Gaussian blur std (pixels) per unit of σ (default: GaussianDenoiser's)");
  app.add_flag("--per-image", per_image, "Also a table per prior with every image's PSNR");
  CLI11_PARSE(app, argc, argv);
  try {
    silence_io_library_warnings();
    const std::vector<NamedImage> images = load(folder, ct, lone_slices);
    std::printf("%zu images from %s\n\n", images.size(), folder.c_str());
    print_header("prior", sigmas, " seconds |");
    // psnrs[prior][σ][image]
    std::vector<std::vector<std::vector<double>>> psnrs(priors.size(), std::vector<std::vector<double>>(sigmas.size()));
    for (std::size_t p = 0; p < priors.size(); ++p) {
      const std::string& prior = priors[p];
      std::unique_ptr<Denoiser> denoiser = make_prior(prior, options);
      std::printf("| %s |", prior_label(prior).c_str());
      double seconds = 0.0;
      for (std::size_t j = 0; j < sigmas.size(); ++j) {
        const double sigma = sigmas[j];
        for (std::size_t k = 0; k < images.size(); ++k) {
          const NamedImage& item = images[k];
          const Image clean = extract_slices(item.image, item.middle, 1);
          const double low = ct ? clean.array().minCoeff() : 0.0, high = ct ? clean.array().maxCoeff() : 255.0;
          Image noisy = item.image.zeros_like();
          for (std::int64_t z = 0; z < noisy.shape().nz; ++z) {
            // The middle slice's noise as when it was denoised alone; its neighbours' streams after all images'.
            Image noise(Shape::image(noisy.shape().nx, noisy.shape().ny));
            const auto other = z < item.middle ? 2 * k + 1 : 2 * k + 2;
            fill_normal(noise, 2026, static_cast<std::uint32_t>(z == item.middle ? k : images.size() + other));
            noisy.slice(z) = item.image.slice(z) + static_cast<float>(sigma) * noise.slice(0);
          }
          const auto start = std::chrono::steady_clock::now();
          Image denoised = extract_slices(denoiser->denoise(noisy, sigma), item.middle, 1);
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
