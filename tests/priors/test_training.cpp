#include "core/error.h"
#include "core/image_io.h"
#include "core/image_ops.h"
#include "core/random.h"
#include "priors/recent_rate.h"
#include "priors/training.h"
#include "priors/training_data.h"
#include "support/temporary_folder.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>

using namespace tweedie;

namespace {

// Piecewise-constant 8-bit pictures: a toy problem a small net learns within a few dozen steps.
void write_blocks(const std::filesystem::path& folder, int count, std::uint64_t seed) {
  std::filesystem::create_directories(folder);
  const CounterRng rng(seed, 0);
  for (int k = 0; k < count; ++k) {
    Image image(Shape::image(48, 48));
    for (std::int64_t j = 0; j < 48; ++j) {
      for (std::int64_t i = 0; i < 48; ++i) {
        image.at(i, j) = std::round(static_cast<float>(40 + 170 * rng.uniform(static_cast<std::uint64_t>(k * 100 + (i / 12) * 10 + j / 12))));
      }
    }
    write_image(image, folder / ("image" + std::to_string(k) + ".png"));
  }
}

struct ToyProblem {
  testing::TemporaryFolder folder;
  TrainingRecipe recipe;
  ToyProblem(std::int64_t steps, const std::string& corruption = R"({"type": "gaussian", "level": 25})") {
    write_blocks(folder.path() / "train", 6, 1);
    write_blocks(folder.path() / "validation", 2, 2);
    recipe = TrainingRecipe::parse(R"({"train_data": "train", "validation_data": "validation",
        "architecture": {"depth": 4, "width": 32}, "patch": 24, "batch": 16, "steps": )" +
                                       std::to_string(steps) + R"(, "corruption": )" + corruption + R"(,
        "learning_rate": 1e-3, "warmup_steps": 5, "epoch_steps": 10, "checkpoint_steps": 7, "seed": 4})",
                                   folder.path());
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(training)

BOOST_AUTO_TEST_CASE(a_small_network_learns_the_toy_problem) {
  ToyProblem toy(150);
  std::vector<double> losses, psnrs;
  TrainingOptions options;
  options.progress = [&](const TrainingProgress& p) {
    losses.push_back(p.loss);
    if (p.validation_psnr) psnrs.push_back(*p.validation_psnr);
  };
  const TrainingResult result = train(toy.recipe, options);
  BOOST_TEST(result.finished);
  const auto mean = [](auto first, auto last) { return std::accumulate(first, last, 0.0) / static_cast<double>(last - first); };
  BOOST_TEST(mean(losses.end() - 10, losses.end()) < 0.5 * mean(losses.begin(), losses.begin() + 10));
  BOOST_TEST_INFO("validation PSNR " << psnrs.front() << " → " << psnrs.back());
  BOOST_TEST(psnrs.back() > psnrs.front());
  BOOST_TEST(psnrs.back() > 20.2 + 3.0);  // the noisy input at σ = 25 is at 20.2 dB
}

BOOST_AUTO_TEST_CASE(a_stopped_and_resumed_run_ends_exactly_where_an_uninterrupted_one_does) {
  ToyProblem toy(24);
  TrainingOptions straight;
  const Model uninterrupted = train(toy.recipe, straight).model;

  std::atomic<bool> stop{false};
  TrainingOptions first;
  first.checkpoint = toy.folder.path() / "run.checkpoint";
  first.stop = &stop;
  first.progress = [&](const TrainingProgress& p) { stop = p.step == 11; };  // like a SIGTERM after step 11
  const TrainingResult stopped = train(toy.recipe, first);
  BOOST_TEST(!stopped.finished);
  BOOST_TEST(stopped.step == 11);

  TrainingOptions second;
  second.resume = read_checkpoint(first.checkpoint);
  BOOST_TEST(second.resume->step == 11);
  const TrainingResult resumed = train(toy.recipe, second);
  BOOST_TEST(resumed.finished);
  BOOST_TEST(resumed.model.parameters == uninterrupted.parameters);
}

BOOST_AUTO_TEST_CASE(masking_and_salt_and_pepper_corrupt_the_requested_fraction) {
  for (const std::string type : {"masking", "salt-and-pepper"}) {
    ToyProblem toy(1, R"({"type": ")" + type + R"(", "level": 0.3})");
    toy.recipe.batch = 64;
    const ImageSet set = load_training_images(toy.recipe, toy.recipe.train_data);
    Batch batch;
    sample_batch(toy.recipe, set, 0, batch);
    std::int64_t changed = 0;
    for (std::int64_t k = 0; k < batch.clean.size(); ++k) changed += batch.clean.data()[k] != batch.corrupted.data()[k];
    const double fraction = static_cast<double>(changed) / static_cast<double>(batch.clean.size());
    BOOST_TEST_INFO(type);
    // Salt or pepper may land on a pixel that already has that value; none of these images does.
    BOOST_TEST(std::abs(fraction - 0.3) < 0.01);
  }
}

BOOST_AUTO_TEST_CASE(every_patch_position_of_the_set_is_equally_likely) {
  // One 24² image (1 position for 24² patches) and one 72² image (49² positions): the large image
  // must give 2401 of 2402 patches, not half of them.
  ToyProblem toy(1);
  std::filesystem::remove_all(toy.recipe.train_data);
  std::filesystem::create_directories(toy.recipe.train_data);
  Image small(Shape::image(24, 24)), large(Shape::image(72, 72));
  std::ranges::fill(small.values(), 50.0f);
  std::ranges::fill(large.values(), 200.0f);
  write_image(small, toy.recipe.train_data / "small.png");
  write_image(large, toy.recipe.train_data / "large.png");
  toy.recipe.batch = 256;
  const ImageSet set = load_training_images(toy.recipe, toy.recipe.train_data);
  std::int64_t from_small = 0;
  Batch batch;
  for (std::int64_t step = 0; step < 8; ++step) {
    sample_batch(toy.recipe, set, step, batch);
    for (std::int64_t item = 0; item < toy.recipe.batch; ++item) from_small += batch.clean.at(item, 0, 0, 0) < 0.5f;
  }
  BOOST_TEST(from_small <= 5);  // 2048 patches: 0.85 expected
}

BOOST_AUTO_TEST_CASE(a_detail_fraction_draws_that_share_of_patches_in_proportion_to_their_detail) {
  // Two 72² images of the same vertical stripes, one at twice the other's contrast: four times
  // its detail at every position. Drawn by detail, 4 patches in 5 come from the stronger image;
  // with half the patches drawn by detail and half uniformly, 0.5·0.8 + 0.5·0.5 = 0.65.
  ToyProblem toy(1);
  std::filesystem::remove_all(toy.recipe.train_data);
  std::filesystem::create_directories(toy.recipe.train_data);
  for (const float amplitude : {10.0f, 20.0f}) {
    Image stripes(Shape::image(72, 72));
    for (std::int64_t y = 0; y < 72; ++y) {
      for (std::int64_t x = 0; x < 72; ++x) stripes.at(x, y) = (x / 4) % 2 == 0 ? 100.0f - amplitude : 100.0f + amplitude;
    }
    write_image(stripes, toy.recipe.train_data / ("stripes" + std::to_string(static_cast<int>(amplitude)) + ".png"));
  }
  toy.recipe.batch = 256;
  for (const double fraction : {0.0, 0.5, 1.0}) {
    toy.recipe.detail_fraction = fraction;
    const ImageSet set = load_training_images(toy.recipe, toy.recipe.train_data);
    BOOST_TEST(set.detail_through.empty() == (fraction == 0));
    std::int64_t from_strong = 0;
    Batch batch;
    for (std::int64_t step = 0; step < 8; ++step) {
      sample_batch(toy.recipe, set, step, batch);
      for (std::int64_t item = 0; item < toy.recipe.batch; ++item) {
        const auto [low, high] = std::minmax_element(&batch.clean.at(item, 0, 0, 0), &batch.clean.at(item, 0, 0, 0) + 24 * 24);
        from_strong += *high - *low > 30.0f / 255.0f;
      }
    }
    const double expected = 0.5 + 0.3 * fraction, share = static_cast<double>(from_strong) / 2048.0;
    BOOST_TEST_INFO("detail_fraction " << fraction << ": " << share << " of the patches from the stronger stripes");
    BOOST_TEST(std::abs(share - expected) < 0.04);  // 2048 draws: standard deviation ≤ 0.011
  }
  toy.recipe.detail_fraction = 1.0;
  std::filesystem::remove(toy.recipe.train_data / "stripes10.png");
  std::filesystem::remove(toy.recipe.train_data / "stripes20.png");
  Image flat(Shape::image(72, 72));
  std::ranges::fill(flat.values(), 90.0f);
  write_image(flat, toy.recipe.train_data / "flat.png");
  BOOST_CHECK_THROW(load_training_images(toy.recipe, toy.recipe.train_data), ParameterError);
}

BOOST_AUTO_TEST_CASE(scales_add_each_image_shrunk_with_its_own_patch_positions) {
  // A 72² image at scales 1 and ½: a 72² and a 36² copy, with 49² and 13² positions for 24²
  // patches. The shrunk copy is the scene seen from twice as far: stripes repeating every 8
  // pixels repeat every 4.
  ToyProblem toy(1);
  std::filesystem::remove_all(toy.recipe.train_data);
  std::filesystem::create_directories(toy.recipe.train_data);
  Image stripes(Shape::image(72, 72));
  for (std::int64_t y = 0; y < 72; ++y) {
    for (std::int64_t x = 0; x < 72; ++x) stripes.at(x, y) = (x / 4) % 2 == 0 ? 40.0f : 200.0f;
  }
  write_image(stripes, toy.recipe.train_data / "stripes.png");
  toy.recipe.scales = {1.0, 0.5};
  const ImageSet set = load_training_images(toy.recipe, toy.recipe.train_data);
  BOOST_REQUIRE(set.images.size() == 2u);
  BOOST_TEST(set.images[1].shape() == Shape::image(36, 36));
  BOOST_TEST(set.positions_through.back() == 49u * 49u + 13u * 13u);
  const auto period = [](const Image& image) {  // pixels between rising edges along a middle row
    std::vector<std::int64_t> rises;
    const float middle = 0.5f * (40.0f + 200.0f) / 255.0f;
    for (std::int64_t x = 1; x < image.shape().nx; ++x) {
      if (image.at(x - 1, 18) < middle && image.at(x, 18) >= middle) rises.push_back(x);
    }
    return rises.size() < 2 ? 0.0 : static_cast<double>(rises.back() - rises.front()) / static_cast<double>(rises.size() - 1);
  };
  BOOST_TEST(period(set.images[0]) == 8.0);
  BOOST_TEST(period(set.images[1]) == 4.0);
}

BOOST_AUTO_TEST_CASE(a_run_can_start_from_a_trained_model) {
  ToyProblem toy(150);
  const Model trained = train(toy.recipe, TrainingOptions{}).model;
  write_model(trained, toy.folder.path() / "trained.tdm");

  const auto first_validation = [](const TrainingRecipe& recipe) {
    std::vector<double> psnrs;
    TrainingOptions options;
    options.progress = [&](const TrainingProgress& p) {
      if (p.validation_psnr) psnrs.push_back(*p.validation_psnr);
    };
    train(recipe, options);
    return psnrs.front();
  };
  TrainingRecipe fresh = toy.recipe, fine_tuned = toy.recipe;
  fresh.steps = fine_tuned.steps = 10;
  fine_tuned.initial_model = toy.folder.path() / "trained.tdm";
  BOOST_TEST(first_validation(fine_tuned) > first_validation(fresh) + 2.0);

  // Trained at 25, then at 10–20: the file says it knows 10–25.
  fine_tuned.level_min = 10.0, fine_tuned.level_max = 20.0;
  const Model narrower = train(fine_tuned, TrainingOptions{}).model;
  BOOST_TEST(narrower.sigma_min == 10.0);
  BOOST_TEST(narrower.sigma_max == 25.0);

  fine_tuned.architecture.width = 16;
  BOOST_CHECK_EXCEPTION(train(fine_tuned, TrainingOptions{}), ParameterError, [](const ParameterError& e) {
    return std::string(e.what()).find("initial model") != std::string::npos;
  });
}

namespace {

// CT volumes (HU) of independent pixel values repeated along z: a 2D denoiser can do little more
// than shrink towards the mean, while the neighbouring slices are two more looks at each pixel.
void write_texture_volumes(const std::filesystem::path& folder, int count, std::uint64_t seed) {
  std::filesystem::create_directories(folder);
  const CounterRng rng(seed, 0);
  for (int k = 0; k < count; ++k) {
    Image volume(Shape::volume(32, 32, 9));
    for (std::int64_t z = 0; z < 9; ++z) {
      for (std::int64_t j = 0; j < 32; ++j) {
        for (std::int64_t i = 0; i < 32; ++i) volume.at(i, j, z) = static_cast<float>(-200 + 400 * rng.uniform(static_cast<std::uint64_t>((k * 32 + j) * 32 + i)));
      }
    }
    write_image(volume, folder / ("volume" + std::to_string(k) + ".mha"));
  }
}

TrainingRecipe ct_recipe(const std::filesystem::path& folder, std::int64_t context, std::int64_t steps) {
  return TrainingRecipe::parse(R"({"modality": "ct", "train_data": "train", "validation_data": "validation",
      "architecture": {"depth": 4, "width": 32, "context": )" + std::to_string(context) + R"(}, "patch": 24, "batch": 16,
      "steps": )" + std::to_string(steps) + R"(, "corruption": {"type": "gaussian", "level": 50}, "validation_sigma": 50,
      "learning_rate": 1e-3, "warmup_steps": 5, "epoch_steps": 10, "checkpoint_steps": 50, "seed": 6})",
                               folder);
}

}  // namespace

// Slice z holds 100·z HU everywhere: each channel of a noiseless 2.5D patch names its slice.
BOOST_AUTO_TEST_CASE(a_patch_with_neighbouring_slices_takes_them_from_the_same_volume) {
  testing::TemporaryFolder folder;
  std::filesystem::create_directories(folder.path() / "train");
  Image volume(Shape::volume(16, 16, 5));
  for (std::int64_t z = 0; z < 5; ++z) volume.slice(z).setConstant(static_cast<float>(100 * z));
  write_image(volume, folder.path() / "train" / "ramp.mha");
  TrainingRecipe recipe = ct_recipe(folder.path(), 1, 1);
  recipe.level_min = recipe.level_max = 0.0;
  recipe.patch = 8;
  recipe.batch = 64;
  const ImageSet set = load_training_images(recipe, recipe.train_data);
  BOOST_REQUIRE(set.images.size() == 5u);
  BOOST_REQUIRE(set.inputs.size() == 15u);
  const auto slice_of = [](float network_value) { return std::lround((network_value * 1000.0f - 1000.0f) / 100.0f); };  // HU / 100
  std::int64_t lone = 0, ends = 0;
  Batch batch;
  for (std::int64_t step = 0; step < 4; ++step) {
    sample_batch(recipe, set, step, batch);
    for (std::int64_t item = 0; item < recipe.batch; ++item) {
      const long below = slice_of(batch.corrupted.at(item, 3, 5, 0)), middle = slice_of(batch.corrupted.at(item, 3, 5, 1));
      const long above = slice_of(batch.corrupted.at(item, 3, 5, 2));
      BOOST_TEST(slice_of(batch.clean.at(item, 3, 5, 0)) == middle);
      if (below == middle && above == middle) {
        ++lone;
        continue;
      }
      ends += middle == 0 || middle == 4;
      BOOST_TEST(below == (middle == 0 ? 0 : middle - 1));
      BOOST_TEST(above == (middle == 4 ? 4 : middle + 1));
    }
  }
  // A share of lone slices near lone_slice_fraction (256 patches), and the volume's ends among the rest.
  BOOST_TEST(std::abs(static_cast<double>(lone) / 256.0 - recipe.lone_slice_fraction) < 0.1);
  BOOST_TEST(ends > 0);
}

// A 2.5D network goes on from a 2D one and learns what the neighbouring slices tell: on textures
// repeated along z, far more than the 2D one trained as long again.
BOOST_AUTO_TEST_CASE(a_network_with_neighbouring_slices_starts_from_a_2d_model_and_gains_from_them) {
  testing::TemporaryFolder folder;
  write_texture_volumes(folder.path() / "train", 4, 1);
  write_texture_volumes(folder.path() / "validation", 1, 2);
  write_model(train(ct_recipe(folder.path(), 0, 100), TrainingOptions{}).model, folder.path() / "flat.tdm");

  const auto last_validation = [](const TrainingRecipe& recipe) {
    double psnr = 0.0;
    TrainingOptions options;
    options.progress = [&](const TrainingProgress& p) {
      if (p.validation_psnr) psnr = *p.validation_psnr;
    };
    const Model model = train(recipe, options).model;
    BOOST_TEST(model.architecture.context == recipe.architecture.context);
    return psnr;
  };
  TrainingRecipe wide = ct_recipe(folder.path(), 1, 600), flat = ct_recipe(folder.path(), 0, 600);
  wide.initial_model = flat.initial_model = folder.path() / "flat.tdm";
  BOOST_TEST(last_validation(wide) > last_validation(flat) + 1.5);

  // The neighbour weights cannot be taken away again.
  wide.steps = 10;
  write_model(train(wide, TrainingOptions{}).model, folder.path() / "wide.tdm");
  flat.initial_model = folder.path() / "wide.tdm";
  BOOST_CHECK_THROW(train(flat, TrainingOptions{}), ParameterError);
}

BOOST_AUTO_TEST_CASE(the_loss_floor_weights_each_patch_by_its_noise_level) {
  ToyProblem toy(1, R"({"type": "gaussian", "level": [0, 50]})");
  BOOST_TEST(patch_loss_weight(toy.recipe, 40.0f / 255.0f) == 1.0);
  toy.recipe.loss_floor = 10.0;
  BOOST_TEST(patch_loss_weight(toy.recipe, 5.0f / 255.0f) == 1.0);
  BOOST_TEST(patch_loss_weight(toy.recipe, 40.0f / 255.0f) == 0.25, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(a_sure_trained_network_approaches_the_clean_trained_one) {
  // The same toy pictures, once clean (noise added in training, MSE) and once only as noisy float
  // MetaImages (σ = 25, one realisation each) trained by SURE without a clean target.
  const auto final_validation = [](const TrainingRecipe& recipe) {
    double last = 0.0;
    TrainingOptions options;
    options.progress = [&](const TrainingProgress& p) {
      if (p.validation_psnr) last = *p.validation_psnr;
    };
    train(recipe, options);
    return last;
  };
  ToyProblem toy(150);
  const double clean_trained = final_validation(toy.recipe);

  const std::filesystem::path noisy_folder = toy.folder.path() / "noisy";
  std::filesystem::create_directories(noisy_folder);
  int k = 0;
  for (const auto& entry : std::filesystem::directory_iterator(toy.recipe.train_data)) {
    Image image = read_image(entry.path());
    Image noise(image.geometry());
    fill_normal(noise, 50, static_cast<std::uint32_t>(k++));
    image.array() += 25.0f * noise.array();  // kept in float: unrounded, unclipped
    write_image(image, noisy_folder / entry.path().filename().replace_extension(".mha"));
  }
  TrainingRecipe sure = toy.recipe;
  sure.train_data = noisy_folder;
  sure.loss = TrainingLoss::sure;
  const double sure_trained = final_validation(sure);
  BOOST_TEST_MESSAGE("validation PSNR: clean-trained " << clean_trained << " dB, SURE-trained " << sure_trained << " dB");
  BOOST_TEST(sure_trained > 20.2 + 3.0);  // the noisy input is at 20.2 dB
  BOOST_TEST(sure_trained > clean_trained - 1.0);
}

BOOST_AUTO_TEST_CASE(bad_recipes_are_refused_with_the_field_named) {
  const auto refused = [](const std::string& json, const std::string& words) {
    try {
      TrainingRecipe::parse(json, ".");
      return false;
    } catch (const ParameterError& e) {
      BOOST_TEST_INFO(e.what());
      return std::string(e.what()).find(words) != std::string::npos;
    }
  };
  BOOST_TEST(refused(R"({"validation_data": "v"})", "train_data"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "corruption": {"type": "blur"}})", "unknown corruption"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "patch": 33})", "patch"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "modality": "mri"})", "modality"));
  BOOST_TEST(refused("{not json", "not valid JSON"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "loss": "sure", "corruption": {"level": [0, 50]}})",
                     "one level"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "loss": "l1"})", "unknown loss"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "corruption": {"type": "masking", "level": 0.5},
                         "loss_floor": 5})", "loss_floor"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "scales": [1, 1.5]})", "scales"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "scales": []})", "scales"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "detail_fraction": 1.5})", "detail_fraction"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "architecture": {"context": 1}})", "context"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "modality": "ct", "architecture": {"context": 3}})",
                     "context"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "lone_slice_fraction": -0.1})", "lone_slice_fraction"));
  // Whole numbers only: 2.5 steps is not silently 2, and 1e300 is not cast to an integer.
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "steps": 2.5})", "'steps' must be a whole number"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "batch": 1e300})", "'batch' must be a whole number"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "seed": -1})", "'seed' must be a whole number from 0"));
  BOOST_TEST(refused(R"({"train_data": "t", "validation_data": "v", "architecture": {"depth": 1e20}})", "'depth'"));
}

// A run that slows from 10 to 2 steps per second: the rate follows the last window of steps, where
// the run's average would still be far above 2.
BOOST_AUTO_TEST_CASE(the_recent_rate_follows_the_last_steps) {
  RecentRate rate(20);
  BOOST_TEST(rate.per_second() == 0.0);
  double t = 0.0;
  rate.record(t);
  for (int step = 0; step < 100; ++step) rate.record(t += 0.1);
  BOOST_TEST(rate.per_second() == 10.0, boost::test_tools::tolerance(1e-9));
  for (int step = 0; step < 10; ++step) rate.record(t += 0.5);
  BOOST_TEST(rate.per_second() == 20.0 / (10 * 0.1 + 10 * 0.5), boost::test_tools::tolerance(1e-9));
  for (int step = 0; step < 20; ++step) rate.record(t += 0.5);
  BOOST_TEST(rate.per_second() == 2.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_SUITE_END()
