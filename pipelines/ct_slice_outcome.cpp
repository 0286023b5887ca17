#include "pipelines/ct_slice_outcome.h"

#include "core/error.h"
#include "solvers/solver_history.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace tweedie {
namespace {

using nlohmann::json;

// Layout: the JSON header's length (8 bytes), the header, then the images' floats in order
// start, volume[, spread].
void append_floats(std::string& bytes, const Image& image) {
  bytes.append(reinterpret_cast<const char*>(image.data()), static_cast<std::size_t>(image.size()) * sizeof(float));
}

Image read_floats(const std::string& bytes, std::size_t& at, const ImageGeometry& grid) {
  Image image(grid);
  const std::size_t size = static_cast<std::size_t>(image.size()) * sizeof(float);
  if (at + size > bytes.size()) throw IoError("a packed slice is shorter than its images");
  std::memcpy(image.data(), bytes.data() + at, size);
  at += size;
  return image;
}

}  // namespace

std::string pack(const CtSliceOutcome& o) {
  SolverHistory history;
  history.runs.push_back(SolverResult{Image(), o.run.history, o.run.termination});
  json header{{"history", history_text(history)}, {"spread", o.spread.has_value()}};
  if (o.estimated_photons) header["estimated_photons"] = *o.estimated_photons;
  if (o.prior_level) {
    const PriorLevelChoice& p = *o.prior_level;
    header["prior_level"] = {{"sigma", p.choice.sigma},   {"sure", p.choice.sure},
                             {"curve", p.choice.curve},   {"image_domain", p.domain == RiskDomain::image},
                             {"reconstructions", p.reconstructions}, {"seconds", p.seconds}};
  }
  const std::string text = header.dump();
  const std::uint64_t length = text.size();
  std::string bytes(reinterpret_cast<const char*>(&length), sizeof length);
  bytes += text;
  append_floats(bytes, o.start);
  append_floats(bytes, o.volume);
  if (o.spread) append_floats(bytes, *o.spread);
  return bytes;
}

CtSliceOutcome unpack_slice_outcome(const std::string& bytes, const ImageGeometry& grid) {
  std::uint64_t length = 0;
  if (bytes.size() < sizeof length) throw IoError("a packed slice is empty");
  std::memcpy(&length, bytes.data(), sizeof length);
  if (sizeof length + length > bytes.size()) throw IoError("a packed slice is shorter than its header");
  try {
    const json header = json::parse(bytes.substr(sizeof length, length));
    CtSliceOutcome o;
    o.run = std::move(parse_history(header.at("history").get<std::string>()).runs.front());
    if (header.contains("estimated_photons")) o.estimated_photons = header.at("estimated_photons").get<double>();
    if (header.contains("prior_level")) {
      const json& p = header.at("prior_level");
      PriorLevelChoice choice;
      choice.choice.sigma = p.at("sigma").get<double>();
      choice.choice.sure = p.at("sure").get<double>();
      choice.choice.curve = p.at("curve").get<std::vector<std::pair<double, double>>>();
      choice.domain = p.at("image_domain").get<bool>() ? RiskDomain::image : RiskDomain::measurement;
      choice.reconstructions = p.at("reconstructions").get<int>();
      choice.seconds = p.at("seconds").get<double>();
      o.prior_level = std::move(choice);
    }
    std::size_t at = sizeof length + length;
    o.start = read_floats(bytes, at, grid);
    o.volume = read_floats(bytes, at, grid);
    if (header.at("spread").get<bool>()) o.spread = read_floats(bytes, at, grid);
    return o;
  } catch (const json::exception& e) {
    throw IoError(std::string("a packed slice's header does not parse: ") + e.what());
  }
}

}  // namespace tweedie
