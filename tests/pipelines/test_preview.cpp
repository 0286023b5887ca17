#include "core/image_io.h"
#include "pipelines/bitmap_font.h"
#include "pipelines/ct_preview.h"
#include "pipelines/preview.h"
#include "support/temporary_folder.h"

#include <boost/test/unit_test.hpp>

using namespace tweedie;

BOOST_AUTO_TEST_SUITE(preview)

BOOST_AUTO_TEST_CASE(text_is_drawn_inside_its_box_and_cut_at_the_border) {
  Image canvas(Shape::image(40, 12));
  draw_text(canvas, 1, 2, "fbp 1.0", 1, 255.0f);
  BOOST_TEST(text_width("fbp 1.0", 1) == 7 * kGlyphAdvance);
  std::int64_t set = 0;
  for (std::int64_t j = 0; j < canvas.shape().ny; ++j) {
    for (std::int64_t i = 0; i < canvas.shape().nx; ++i) {
      if (canvas.at(i, j) == 0.0f) continue;
      ++set;
      BOOST_TEST((j >= 2 && j < 2 + kGlyphHeight));
    }
  }
  BOOST_TEST(set > 20);
  Image same(Shape::image(40, 12));
  draw_text(same, 1, 2, "FBP 1.0", 1, 255.0f);  // letters are capitals either way
  BOOST_TEST((same.array() == canvas.array()).all());
  BOOST_CHECK_NO_THROW(draw_text(canvas, 35, 8, "beyond ± − é", 2, 1.0f));
}

BOOST_AUTO_TEST_CASE(a_percentile_window_spans_the_chosen_quantiles) {
  Image ramp(Shape::image(101, 1));
  for (std::int64_t k = 0; k < 101; ++k) ramp.data()[k] = static_cast<float>(k);
  const DisplayWindow window = percentile_window(ramp, 0.1, 0.9);
  BOOST_TEST(window.low() == 10.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(window.high() == 90.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(previews_put_a_captioned_strip_above_the_panels) {
  testing::TemporaryFolder folder;
  std::vector<std::pair<std::string, Image>> panels;
  for (const char* name : {"fbp 28.05 dB 0.561", "pnp-hqs 36.36 dB 0.897"}) {
    Image panel(Shape::image(64, 48));
    panel.array() = 40.0f;
    panels.emplace_back(name, std::move(panel));
  }
  const std::string names = write_preview(panels, nullptr, "", DisplayWindow{}, (folder / "p.png").string());
  BOOST_TEST(names == "fbp 28.05 dB 0.561 | pnp-hqs 36.36 dB 0.897");
  const Image png = read_image(folder / "p.png");
  BOOST_TEST(png.shape().nx == 2 * 64 + 4);
  BOOST_TEST(png.shape().ny > 48);
  BOOST_TEST(png.at(10, png.shape().ny - 1) == 128.0f);  // level 40 of the soft-tissue window: mid-grey
  float brightest_caption_pixel = 0.0f;
  for (std::int64_t j = 0; j < png.shape().ny - 48; ++j) {
    for (std::int64_t i = 0; i < 64; ++i) brightest_caption_pixel = std::max(brightest_caption_pixel, png.at(i, j));
  }
  BOOST_TEST(brightest_caption_pixel == 255.0f);
}

// A reconstruction's preview: every panel named, with its quality where a reference was given, and
// in attenuation a window from the FBP's values rather than the HU soft-tissue window (which would
// show values of 0.02 mm⁻¹ as black).
BOOST_AUTO_TEST_CASE(a_ct_preview_captions_its_panels_and_windows_attenuation_from_the_fbp) {
  testing::TemporaryFolder folder;
  Image fbp(Shape::image(32, 24));
  for (std::int64_t k = 0; k < fbp.size(); ++k) fbp.data()[k] = 0.01f + 0.02f * static_cast<float>(k % 32) / 31.0f;
  CtReconstruction r;
  r.volume = fbp.clone();
  r.summary.quality = QualityChange{.start_name = "fbp", .start_psnr = 28.05, .psnr = 36.36, .start_ssim = 0.561, .ssim = 0.897};
  const Image reference = fbp.clone();
  const std::string path = (folder / "ct.png").string();
  const auto starts_with = [](const std::string& text, const std::string& start) { return text.rfind(start, 0) == 0; };
  BOOST_TEST(starts_with(write_ct_preview(r, fbp, &reference, ImageUnits::hounsfield, "pnp-hqs", std::nullopt, path),
                         "fbp 28.05 dB 0.561 | pnp-hqs 36.36 dB 0.897 | reference | pnp-hqs − reference"));
  r.summary.quality.reset();
  BOOST_TEST(starts_with(write_ct_preview(r, fbp, nullptr, ImageUnits::attenuation, "pnp-hqs", std::nullopt, path),
                         "fbp | pnp-hqs | pnp-hqs − fbp"));
  const Image png = read_image(path);
  const std::int64_t last_row = png.shape().ny - 1;  // the FBP's bottom row: a ramp from dark to bright
  BOOST_TEST(png.at(1, last_row) < 20.0f);
  BOOST_TEST(png.at(30, last_row) > 235.0f);
}

BOOST_AUTO_TEST_SUITE_END()
