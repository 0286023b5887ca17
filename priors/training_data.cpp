#include "priors/training_data.h"

#include "core/error.h"
#include "core/image_io.h"
#include "core/random.h"
#include "core/resize.h"

#include <tbb/parallel_for.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <numeric>

namespace tweedie {
namespace {

namespace fs = std::filesystem;

// Random streams: one per purpose, so that one never shifts another's numbers.
constexpr std::uint32_t kPatchStream = 1, kNoiseStream = 2, kValidationStream = 3, kProbeStream = 4, kDetailStream = 5,
                        kNeighbourNoiseStream = 6, kLoneSliceStream = 7;

bool is_volume(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.ends_with(".nii.gz") || name.ends_with(".nii") || name.ends_with(".mha") || name.ends_with(".mhd");
}

// Photographs: 8-bit PNGs, or float images on the same 0–255 scale (noisy data for SURE training
// keeps its noise unrounded and unclipped).
bool is_picture(const fs::path& p) {
  const std::string extension = p.extension().string();
  return extension == ".png" || extension == ".tif" || extension == ".tiff" || extension == ".mha" || extension == ".mhd";
}

std::vector<fs::path> image_files(const TrainingRecipe& recipe, const fs::path& folder) {
  if (!fs::is_directory(folder)) throw IoError("training data folder '" + folder.string() + "' does not exist");
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    if (recipe.modality == "ct" ? is_volume(entry.path()) : is_picture(entry.path())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    throw IoError("no " + std::string(recipe.modality == "ct" ? "CT volumes" : "images (PNG, TIFF, MHA)") + " in '" + folder.string() + "'");
  }
  return files;
}

void add_to_checksum(std::uint32_t& crc, const fs::path& file, const fs::path& folder) {
  const std::string name = fs::relative(file, folder).string();
  crc = static_cast<std::uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(name.data()), static_cast<uInt>(name.size())));
  std::ifstream in(file, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  crc = static_cast<std::uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// The slices of a file as 2D images in network units.
std::vector<Image> slices_of(const fs::path& file, const Normalisation& n, bool ct) {
  const Image volume = read_image(file);
  std::vector<Image> slices;
  for (std::int64_t z = 0; z < volume.shape().nz; ++z) {
    Image slice(Shape::image(volume.shape().nx, volume.shape().ny));
    const float* in = volume.row_data(0, z);
    for (std::int64_t k = 0; k < slice.size(); ++k) {
      const float value = ct ? std::clamp(in[k], -1024.0f, 3071.0f) : in[k];
      slice.data()[k] = static_cast<float>((value - n.offset) / n.scale);
    }
    slices.push_back(std::move(slice));
  }
  return slices;
}

// The detail of each p×p patch position of an image, row by row: the sum of the squared
// differences between horizontal and vertical neighbours over its first p − 1 rows and columns
// (box sums of one summed-area table).
void write_patch_details(const Image& image, std::int64_t p, double* details) {
  const std::int64_t nx = image.shape().nx, ny = image.shape().ny;
  std::vector<double> table(static_cast<std::size_t>((nx + 1) * (ny + 1)), 0.0);
  const auto at = [&](std::int64_t x, std::int64_t y) -> double& { return table[static_cast<std::size_t>(y * (nx + 1) + x)]; };
  for (std::int64_t y = 0; y < ny; ++y) {
    for (std::int64_t x = 0; x < nx; ++x) {
      const double dx = x + 1 < nx ? image.at(x + 1, y) - image.at(x, y) : 0.0;
      const double dy = y + 1 < ny ? image.at(x, y + 1) - image.at(x, y) : 0.0;
      at(x + 1, y + 1) = dx * dx + dy * dy + at(x, y + 1) + at(x + 1, y) - at(x, y);
    }
  }
  const std::int64_t q = p - 1;
  for (std::int64_t y = 0; y + p <= ny; ++y) {
    for (std::int64_t x = 0; x + p <= nx; ++x) *details++ = at(x + q, y + q) - at(x, y + q) - at(x + q, y) + at(x, y);
  }
}

// ImageSet::detail_through for a set whose images and positions are in place.
void add_cumulative_details(ImageSet& set, std::int64_t p) {
  set.detail_through.resize(static_cast<std::size_t>(set.positions_through.back()));
  tbb::parallel_for(std::size_t{0}, set.images.size(), [&](std::size_t k) {
    write_patch_details(set.images[k], p, set.detail_through.data() + (k == 0 ? 0 : set.positions_through[k - 1]));
  });
  std::partial_sum(set.detail_through.begin(), set.detail_through.end(), set.detail_through.begin());
  if (!(set.detail_through.back() > 0)) throw ParameterError("detail_fraction needs training images with some detail; these are flat");
}

// Slice z with `context` neighbours on each side as one volume; a missing neighbour repeats z.
Image stack_around(const std::vector<Image>& slices, std::int64_t z, std::int64_t context) {
  const Image& middle = slices[static_cast<std::size_t>(z)];
  const std::int64_t nx = middle.shape().nx, ny = middle.shape().ny;
  Image stack(context == 0 ? Shape::image(nx, ny) : Shape::volume(nx, ny, 1 + 2 * context));
  for (std::int64_t d = -context; d <= context; ++d) {
    const std::int64_t source = z + d >= 0 && z + d < static_cast<std::int64_t>(slices.size()) ? z + d : z;
    std::copy_n(slices[static_cast<std::size_t>(source)].data(), middle.size(), stack.row_data(0, d + context));
  }
  return stack;
}

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "%08x", value);
  return text;
}

}  // namespace

ImageSet load_training_images(const TrainingRecipe& recipe, const fs::path& folder) {
  const std::vector<fs::path> files = image_files(recipe, folder);
  const auto scales = static_cast<std::int64_t>(recipe.scales.size());
  std::vector<std::vector<Image>> per_file(files.size());  // slice after slice, each at each of the recipe's scales
  tbb::parallel_for(std::size_t{0}, files.size(), [&](std::size_t k) {
    for (const Image& slice : slices_of(files[k], recipe.normalisation(), recipe.modality == "ct")) {
      for (const double scale : recipe.scales) per_file[k].push_back(resize(slice, scale));  // scale 1: a copy
    }
  });
  ImageSet set;
  std::uint32_t crc = 0;
  const std::int64_t context = recipe.architecture.context;
  for (std::size_t k = 0; k < files.size(); ++k) {
    add_to_checksum(crc, files[k], folder);
    const auto count = static_cast<std::int64_t>(per_file[k].size());
    // Images too small for a patch are left out (all slices of a scale alike).
    std::vector<std::int64_t> index_in_set(static_cast<std::size_t>(count), -1);
    for (std::int64_t i = 0; i < count; ++i) {
      Image& image = per_file[k][static_cast<std::size_t>(i)];
      if (image.shape().nx < recipe.patch || image.shape().ny < recipe.patch) continue;
      const auto positions = static_cast<std::uint64_t>((image.shape().nx - recipe.patch + 1) * (image.shape().ny - recipe.patch + 1));
      set.positions_through.push_back((set.positions_through.empty() ? 0 : set.positions_through.back()) + positions);
      index_in_set[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(set.images.size());
      set.images.push_back(std::move(image));
    }
    for (std::int64_t i = 0; context > 0 && i < count; ++i) {
      if (index_in_set[static_cast<std::size_t>(i)] < 0) continue;
      for (std::int64_t d = -context; d <= context; ++d) {
        const std::int64_t neighbour = i + d * scales;  // the same scale, d slices away
        set.inputs.push_back(neighbour >= 0 && neighbour < count ? index_in_set[static_cast<std::size_t>(neighbour)]
                                                                 : index_in_set[static_cast<std::size_t>(i)]);
      }
    }
  }
  set.checksum = hex(crc);
  set.files = static_cast<std::int64_t>(files.size());
  if (set.images.empty()) {
    throw IoError("no image in '" + folder.string() + "' is at least " + std::to_string(recipe.patch) + " pixels on each side");
  }
  if (recipe.detail_fraction > 0) add_cumulative_details(set, recipe.patch);
  return set;
}

ImageSet load_validation_images(const TrainingRecipe& recipe) {
  const std::vector<fs::path> files = image_files(recipe, recipe.validation_data);
  ImageSet set;
  std::uint32_t crc = 0;
  for (const fs::path& file : files) {
    if (static_cast<std::int64_t>(set.images.size()) >= recipe.validation_images) break;
    const std::vector<Image> slices = slices_of(file, recipe.normalisation(), recipe.modality == "ct");
    set.images.push_back(stack_around(slices, static_cast<std::int64_t>(slices.size()) / 2, recipe.architecture.context));
    add_to_checksum(crc, file, recipe.validation_data);
    ++set.files;
  }
  set.checksum = hex(crc);
  return set;
}

void sample_batch(const TrainingRecipe& recipe, const ImageSet& set, std::int64_t step, Batch& batch) {
  const std::int64_t p = recipe.patch, b = recipe.batch, slices = recipe.architecture.input_slices();
  const std::int64_t middle = recipe.architecture.context;
  batch.clean.resize({b, p, p, 1});
  batch.corrupted.resize({b, p, p, slices});
  batch.levels.assign(static_cast<std::size_t>(b), 0.0f);
  const CounterRng choices(recipe.seed, kPatchStream), noise(recipe.seed, kNoiseStream), by_detail(recipe.seed, kDetailStream);
  const CounterRng neighbour_noise(recipe.seed, kNeighbourNoiseStream), lone(recipe.seed, kLoneSliceStream);
  const double scale = recipe.corruption == Corruption::gaussian ? recipe.normalisation().scale : 1.0;
  tbb::parallel_for(std::int64_t{0}, b, [&](std::int64_t item) {
    const auto id = static_cast<std::uint64_t>(step * b + item);
    CounterRng::Sequence draw = choices.at(id);
    std::uint64_t position = draw.next_u64() % set.positions_through.back();
    if (!set.detail_through.empty()) {
      CounterRng::Sequence pick = by_detail.at(id);
      if (pick.uniform() < recipe.detail_fraction) {
        const double target = pick.uniform() * set.detail_through.back();
        position = static_cast<std::uint64_t>(std::upper_bound(set.detail_through.begin(), set.detail_through.end(), target) - set.detail_through.begin());
      }
    }
    const auto which = std::upper_bound(set.positions_through.begin(), set.positions_through.end(), position);
    const auto index = static_cast<std::int64_t>(which - set.positions_through.begin());
    const Image& image = set.images[static_cast<std::size_t>(index)];
    const std::uint64_t in_image = position - (which == set.positions_through.begin() ? 0 : *std::prev(which));
    const auto columns = static_cast<std::uint64_t>(image.shape().nx - p + 1);
    const auto y0 = static_cast<std::int64_t>(in_image / columns), x0 = static_cast<std::int64_t>(in_image % columns);
    const std::uint32_t transform = draw.next_u32() % 8;  // the 8 flips and rotations of a square
    const double level = recipe.level_min + (recipe.level_max - recipe.level_min) * draw.uniform();
    const auto level_network = static_cast<float>(level / scale);
    batch.levels[static_cast<std::size_t>(item)] = level_network;
    // A 2.5D patch: the same place in the neighbouring slices, each with noise of its own, or, as
    // a lone slice, the noisy middle repeated in every channel (and in those of missing
    // neighbours at the ends of a volume), as CnnDenoiser feeds them.
    const bool lone_slice = slices > 1 && lone.at(id).uniform() < recipe.lone_slice_fraction;
    for (std::int64_t y = 0; y < p; ++y) {
      for (std::int64_t x = 0; x < p; ++x) {
        std::int64_t u = (transform & 1) ? p - 1 - x : x, v = (transform & 2) ? p - 1 - y : y;
        if (transform & 4) std::swap(u, v);
        const float value = image.at(x0 + u, y0 + v);
        batch.clean.at(item, y, x, 0) = value;
        const auto pixel = static_cast<std::uint64_t>(y * p + x);
        CounterRng::Sequence n = noise.at(id * static_cast<std::uint64_t>(p * p) + pixel);
        float corrupted = value;
        switch (recipe.corruption) {
          case Corruption::gaussian:  // SURE training: the images already carry the noise
            if (recipe.loss == TrainingLoss::mse) corrupted = value + level_network * static_cast<float>(n.normal());
            break;
          case Corruption::masking: corrupted = n.uniform() < level ? 0.0f : value; break;
          case Corruption::salt_and_pepper:
            if (n.uniform() < level) corrupted = n.uniform() < 0.5 ? 0.0f : 1.0f;
            break;
        }
        float* channels = batch.corrupted.pixel(item, y, x);
        channels[middle] = corrupted;
        for (std::int64_t k = 0; k < slices; ++k) {
          if (k == middle) continue;
          const std::int64_t source = set.inputs[static_cast<std::size_t>(index * slices + k)];
          if (lone_slice || source == index) {
            channels[k] = corrupted;
            continue;
          }
          const Image& neighbour = set.images[static_cast<std::size_t>(source)];
          const auto draw_index = (id * static_cast<std::uint64_t>(slices) + static_cast<std::uint64_t>(k)) * static_cast<std::uint64_t>(p * p) + pixel;
          channels[k] = neighbour.at(x0 + u, y0 + v) + level_network * static_cast<float>(neighbour_noise.normal(draw_index));
        }
      }
    }
  });
}

Image add_validation_noise(const Image& clean, double sigma_network, std::uint64_t seed) {
  const CounterRng noise(seed, kValidationStream);
  Image noisy = clean.clone();
  for (std::int64_t k = 0; k < noisy.size(); ++k) {
    noisy.data()[k] += static_cast<float>(sigma_network * noise.normal(static_cast<std::uint64_t>(k)));
  }
  return noisy;
}

void fill_probe(const TrainingRecipe& recipe, std::int64_t step, Tensor& probe) {
  const CounterRng rng(recipe.seed, kProbeStream);
  const auto first = static_cast<std::uint64_t>(step * probe.size());
  for (std::int64_t k = 0; k < probe.size(); ++k) probe.data()[k] = static_cast<float>(rng.normal(first + static_cast<std::uint64_t>(k)));
}

}  // namespace tweedie
